using System.Text;
using System.Text.RegularExpressions;
using CarbonLsp.Core.Documents;
using CarbonLsp.Tests.Shared;
using Xunit.Abstractions;

namespace CarbonLsp.LanguageServer.Tests.Fuzz;

/// <summary>
/// Issue 20, "keep it true": random didChange sequences against a model of the text. Positions past a
/// line's end, past the document's end, up to 2147483647, between the halves of a surrogate pair and
/// between \r and \n; inserted text with CRLF, lone CR, emoji and prompt-file fragments; several changes in
/// one notification. Every few edits the server's text must equal the model's, and the server's
/// analysis (incremental: only the edited prompt is parsed again) must equal a full analysis of that text.
/// </summary>
public partial class EditSequenceFuzzTests(ITestOutputHelper output)
{
    private const string Uri = "file:///fuzz/edits.prompts.json";
    private const string Start = "// a prompt file\r\n{ \"region\": \"DE\",\r\n  \"prompts\": [\n    { \"id\": \"a\", \"prompt\": \"a lighthouse 🌍\", \"model\": \"sdxl\", \"steps\": 80 },\r    { \"id\": \"b\", \"prompt\": \"b\", \"model\": \"flux-dev\", \"guidance\": 3.5, \"images\": 12 },\n    { \"prompt\": \"c\", \"model\": \"sd15\", \"width\": 1024 },\n  ]\n}\n";

    // No lone surrogate is sent (UTF-8 on the wire cannot carry one; the test client's JSON writer would send
    // U+FFFD), but edits at positions between the halves of a pair leave lone ones in the text all the same.
    private static readonly string[] s_inserts =
    {
        "", "a", " ", "\n", "\r\n", "\r", "😀", "🌍x", "é", "\"", ",", "{", "}", "[", "]", ":", "80", "\"steps\": 90, ",
        "{ \"prompt\": \"x\", \"model\": \"sdxl\", \"steps\": 100 },\r\n", "\"model\": \"sd15\"", "// c\n", "/* c */", "\t",
    };

    [GeneratedRegex("\r\n|\r|\n")]
    private static partial Regex LineBreak();

    /// <summary>Numbers and the insides of short strings: where a value is typed.</summary>
    [GeneratedRegex("(?<=\"[a-z]+\": )[0-9.]+|(?<=\"prompt\": \")[^\"\r\n]*")]
    private static partial Regex Values();

    /// <summary>The model's line and character of an offset (the inverse of <see cref="Offset"/>).</summary>
    private static (int Line, int Character) PositionOf(string text, int offset)
    {
        int line = 0, start = 0;
        foreach (Match m in LineBreak().Matches(text))
        {
            if (m.Index + m.Length > offset) break;
            line++;
            start = m.Index + m.Length;
        }
        return (line, offset - start);
    }

    /// <summary>The model: where LSP puts a position in a text (lines end at \n, \r\n or \r; a character past
    /// the line's text is its end, before the break; a line past the last is the text's end).</summary>
    private static int Offset(string text, int line, int character)
    {
        var starts = new List<int> { 0 };
        var ends = new List<int>();
        foreach (Match m in LineBreak().Matches(text)) { ends.Add(m.Index); starts.Add(m.Index + m.Length); }
        ends.Add(text.Length);
        if (line < 0) return 0;
        if (line >= starts.Count) return text.Length;
        return starts[line] + (int)Math.Min(Math.Max(0L, character), ends[line] - starts[line]);
    }

    /// <param name="fillers">Prompts added to the start text: with 600 the text is ~50,000 characters, so the
    /// server keeps it in several pieces (<see cref="Core.Text.SourceText"/>) and edits meet their boundaries.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(600)]
    public async Task Random_edits_keep_the_servers_text_and_analysis_equal_to_the_truth(int fillers)
    {
        var seed = FuzzScale.Seed + fillers;
        var rng = new System.Random(seed);
        var edits = 600 * FuzzScale.Factor;
        int checks = 0, validChecks = 0, applied = 0;
        var first = Start.Replace("  ]\n}", string.Concat(Enumerable.Range(0, fillers).Select(n => $"    {{ \"id\": \"f{n}\", \"prompt\": \"filler {n}\", \"model\": \"sd15\", \"steps\": {n % 90} }},\n")) + "  ]\n}");
        var model = first;
        await using var c = new TestClient();
        await c.InitializeAsync();
        await c.OpenAsync(Uri, model);
        var version = 1;
        var typing = true; // a stretch of valid edits until the next full text; otherwise anything goes
        for (var i = 0; i < edits;)
        {
            var changes = new List<object>();
            for (var k = rng.Next(1, 4); k > 0 && i < edits; k--, i++)
            {
                var lines = LineBreak().Matches(model).Count + 1;
                (int Line, int Character) Pos() => (rng.Next(10) == 0 ? lines + rng.Next(0, 3) : rng.Next(0, lines),
                    rng.Next(12) switch { 0 => int.MaxValue, 1 => 0, _ => rng.Next(0, 90) });
                var (a, b) = (Pos(), Pos());
                if (rng.Next(3) > 0) b = (a.Line + rng.Next(0, 2), a.Character + rng.Next(0, 8)); // mostly small edits
                var inserted = s_inserts[rng.Next(s_inserts.Length)];
                // In a typing stretch every edit keeps the file valid, as typing mostly does (a number or a word inside a value
                // changes), so that the incremental path, which re-parses one prompt, is what gets checked.
                var values = Values().Matches(model);
                if ((typing || rng.Next(2) == 0) && values.Count > 0)
                {
                    var v = values[rng.Next(values.Count)];
                    if (v.Value.Length > 0 && char.IsDigit(v.Value[0]))
                    {
                        (a, b) = (PositionOf(model, v.Index), PositionOf(model, v.Index + v.Length)); // a number typed over
                        inserted = rng.Next(0, 2000).ToString();
                    }
                    else
                    {
                        var at = v.Index + rng.Next(0, v.Length + 1);                               // a word typed into a prompt
                        (a, b) = (PositionOf(model, at), PositionOf(model, Math.Min(v.Index + v.Length, at + rng.Next(0, 2))));
                        inserted = new[] { "x", "🌍", " ", "é", "", "ab" }[rng.Next(6)];
                    }
                }
                var start = Offset(model, a.Line, a.Character);
                var end = Offset(model, b.Line, b.Character);
                if (end < start) (start, end) = (end, start);
                model = model[..start] + inserted + model[end..];
                changes.Add(new { range = new { start = new { line = a.Line, character = a.Character }, end = new { line = b.Line, character = b.Character } }, text = inserted });
                applied++;
            }
            if (rng.Next(25) == 0)
            {
                typing = rng.Next(10) < 7;
                model = first; // sometimes the whole text, as a client that resends it
                changes.Add(new { text = model });
            }
            await c.ChangeAsync(Uri, ++version, changes.ToArray());
            if (rng.Next(8) == 0 || i >= edits)
            {
                checks++;
                if (PromptDocument.Parse(model).SyntaxErrors.Count == 0) validChecks++;
                await Wait.Until(() => c.Server.Documents.Get(Uri)?.Version == version);
                var snapshot = c.Server.Documents.Get(Uri)!;
                var server = snapshot.Text.ToString();
                Assert.True(model == server, $"seed {seed}, edit {i}: the server's text diverged {FirstDifference(model, server)}\nmodel:  {Escape(model)}\nserver: {Escape(server)}");
                var incremental = await snapshot.GetAnalysisAsync(CancellationToken.None);
                var full = c.Server.Analysis.Analyzer.Analyze(PromptDocument.Parse(model), c.Server.Analysis.OptionsFor(Uri));
                var got = incremental.Findings.Select(Describe).ToList();
                var want = full.Findings.Select(Describe).ToList();
                Assert.True(want.SequenceEqual(got), $"seed {seed}, edit {i}: the incremental analysis diverged from a full one\ntext: {Escape(model)}\nfull:\n{string.Join("\n", want)}\nincremental:\n{string.Join("\n", got)}");
            }
        }
        if (fillers > 0) Assert.True(c.Server.Documents.Get(Uri)!.Text.PieceCount > 1 || model == first, "the long text was never cut into pieces");
        output.WriteLine($"seed {seed}: {applied} edits in {version - 1} notifications, {checks} checks of text and analysis against the model ({validChecks} on a file without syntax errors); divergences 0");
    }

    private static string Describe(Core.Rules.Finding f) => $"{f.Code} {f.Severity} [{f.Span.Start},{f.Span.End}) {f.Message}";

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        string At(string s) => i < s.Length ? $"U+{(int)s[i]:X4}" : "end";
        return $"at {i}: model {At(a)}, server {At(b)} (lengths {a.Length}, {b.Length})";
    }

    private static string Escape(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n\n");
}
