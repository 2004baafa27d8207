using System.Text;
using System.Text.RegularExpressions;
using CarbonLsp.Tests.Shared;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace CarbonLsp.Cli.Tests;

/// <summary>
/// Issue 20, "keep it true": mutated prompt files through the built command line. The examples and the
/// baselines are cut, repeated, spliced with tokens and extreme values (numbers past every range, wrong
/// types, long strings, deep nesting, odd Unicode) and run through `estimate --format json` and
/// `check --format sarif` in one process each. Every file must be reported (a clear diagnostic, never a
/// crash): valid JSON out, every file in it, no "internal error", exit 0 (estimate) or 0/1 (check).
/// </summary>
public sealed partial class PromptFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carbonlsp-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] s_tokens =
    {
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "0", "1e308", "-1e308", "2147483648", "99999999999999999999999", "1.5", "NaN",
        "\"\"", "\"sdxl\"", "\"carbon-tiny\"", "\"../../../etc\"", "\"/tmp/x\"", "\"DE\"", "\"nvidia-h100\"", "\"steps\": ", "\"width\": ", "\"images\": ",
        "\"prompts\": ", "\"defaults\": ", "\"budget\": ", "//", "/*", "*/", "\n", "\r\n", "\r", "😀", "\uFEFF", "\u200D", "\u0000", "é", "\\u0000", "\\ud800",
    };

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Number();

    [Fact]
    public void Mutated_prompt_files_are_diagnostics_never_crashes()
    {
        var seed = FuzzScale.Seed;
        var rng = new System.Random(seed);
        var sources = Directory.GetFiles(Path.Combine(CarbonLspProcess.RepoRoot, "examples"), "*.prompts.json")
            .Concat(Directory.GetFiles(Path.Combine(CarbonLspProcess.RepoRoot, "tests", "baselines"), "*.prompts.json"))
            .Select(File.ReadAllText).ToArray();
        var count = 120 * FuzzScale.Factor;
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var text = sources[rng.Next(sources.Length)];
            for (var m = rng.Next(1, 6); m > 0; m--) text = Mutate(text, rng);
            var path = Path.Combine(_dir, $"f{i:D4}.prompts.json");
            File.WriteAllText(path, text, new UTF8Encoding(false));
            files.Add(path);
        }
        var reported = 0;
        var estimate = CarbonLspProcess.Run(_dir, new[] { "estimate", "--format", "json", "--device", "nvidia-h100" }.Concat(files).ToArray());
        Assert.True(estimate.ExitCode == 0, $"seed {seed}: estimate exit {estimate.ExitCode}\n{estimate.Stderr}");
        Assert.DoesNotContain("internal error", estimate.Stderr);
        var json = JToken.Parse(estimate.Stdout);
        var reportedFiles = json is JArray a ? a : (JArray)json["files"]!;
        Assert.Equal(count, reportedFiles.Count);
        reported += reportedFiles.Count;
        var check = CarbonLspProcess.Run(_dir, new[] { "check", "--format", "sarif" }.Concat(files).ToArray());
        Assert.True(check.ExitCode is 0 or 1, $"seed {seed}: check exit {check.ExitCode}\n{check.Stderr}");
        Assert.DoesNotContain("internal error", check.Stderr);
        Assert.Equal("2.1.0", (string?)JObject.Parse(check.Stdout)["version"]);
        output.WriteLine($"seed {seed}: {count} mutated files through estimate --format json and check --format sarif; {reported} reported, none crashed");
    }

    private static string Mutate(string text, System.Random rng)
    {
        if (text.Length == 0) return s_tokens[rng.Next(s_tokens.Length)];
        var at = rng.Next(text.Length + 1);
        var len = Math.Min(text.Length - at, rng.Next(0, 40));
        switch (rng.Next(7))
        {
            case 0: return text.Remove(at, len);                                                      // cut
            case 1: return text.Insert(at, text.Substring(at, len));                                  // repeat
            case 2: return text.Insert(at, s_tokens[rng.Next(s_tokens.Length)]);                      // splice a token
            case 3:                                                                                    // a number past every range
                var numbers = Number().Matches(text);
                if (numbers.Count == 0) return text;
                var n = numbers[rng.Next(numbers.Count)];
                var wild = new[] { "-1", "0", "1e308", "2147483648", "-2147483649", "1e-320", "\"80\"", "true", "[]", "{}", "null", "999999999" }[rng.Next(12)];
                return text[..n.Index] + wild + text[(n.Index + n.Length)..];
            case 4: return text.Insert(at, "\"" + new string('x', rng.Next(1, 3) * 40_000) + "\"");  // a long string
            case 5:                                                                                    // deep nesting
                var depth = rng.Next(2) == 0 ? rng.Next(10, 200) : rng.Next(1000, 20_000);
                return text.Insert(at, new string('[', depth) + new string(']', rng.Next(0, depth + 1)));
            default:                                                                                   // odd Unicode
                var odd = new[] { "\u202E", "\uFFFF", "\uD83D", "\uDC00", "𝓼", "\u0301", "\u00A0", "\u2028" }[rng.Next(8)];
                return text.Insert(at, odd);
        }
    }
}
