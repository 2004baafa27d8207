using System.Text;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Rules;

namespace CarbonLsp.Core.Tests;

/// <summary>
/// Diagnostics baselines written inline in prompt files (tests/baselines/*.prompts.json), as Bicep's are:
/// under each line, a comment <c>//@[start:end) CODE severity</c> for every finding that starts on it
/// (UTF-16 columns; <c>end</c> is <c>…</c> when the finding ends on a later line). Comments are allowed in
/// prompt files, so a baseline is itself a prompt file; the test strips the markers, analyses the file
/// and requires the same markers back. CARBONLSP_UPDATE_BASELINES=1 rewrites them (review the diff).
/// </summary>
public class BaselineTests
{
    private const string Marker = "//@[";
    private static readonly string Folder = Path.Combine(TestPaths.RepoRoot, "tests", "baselines");

    public static IEnumerable<object[]> Files() =>
        Directory.EnumerateFiles(Folder, "*.prompts.json").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Files))]
    public void Findings_match_the_inline_baseline(string name)
    {
        var path = Path.Combine(Folder, name);
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var clean = string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith(Marker, StringComparison.Ordinal)));
        var expected = Render(clean, new DocumentAnalyzer().Analyze(clean));
        if (expected != text && System.Environment.GetEnvironmentVariable("CARBONLSP_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }
        Assert.Equal(expected, text);
    }

    private static string Render(string clean, DocumentAnalysis a)
    {
        var lines = clean.Split('\n');
        var byLine = a.Findings.GroupBy(f => a.Document.GetRange(f.Span).Start.Line).ToDictionary(g => g.Key, g => g.ToList());
        var sb = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            sb.Append(lines[i]);
            if (i < lines.Length - 1 || byLine.ContainsKey(i)) sb.Append('\n');
            if (!byLine.TryGetValue(i, out var found)) continue;
            var indent = new string(' ', lines[i].Length - lines[i].TrimStart().Length);
            foreach (var f in found.OrderBy(f => f.Span.Start).ThenBy(f => f.Code, StringComparer.Ordinal))
            {
                var r = a.Document.GetRange(f.Span);
                var end = r.End.Line == r.Start.Line ? r.End.Character.ToString() : "…";
                sb.Append(indent).Append(Marker).Append(r.Start.Character).Append(':').Append(end).Append(") ").Append(f.Code).Append(' ')
                  .Append(f.Severity.ToString().ToLowerInvariant()).Append(f.HasFixes ? " (fix)" : "").Append('\n');
            }
        }
        return sb.ToString();
    }
}
