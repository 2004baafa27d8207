using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Features;
using CarbonLsp.Core.Fixes;

namespace CarbonLsp.Cli;

/// <summary>`check --fix`: the preferred fixes the editor's "fix all" applies (CodeActions.FixAll: errors and
/// warnings with a sure fix; no suggestions or guesses), applied to the file and written atomically; with
/// `--dry-run`, each change shown as -/+ lines and nothing written (issue 22). Fixes in one prompt are taken
/// one per pass, so a few passes run until nothing is left to fix.</summary>
public static class CheckFix
{
    public sealed record Outcome(string Text, IReadOnlyList<FixAllItem> Applied, IReadOnlyList<string> Diff);

    public static Outcome Fix(string text, Func<string, DocumentAnalysis> analyze)
    {
        var applied = new List<FixAllItem>();
        var diff = new List<string>();
        for (var pass = 0; pass < 8; pass++)
        {
            var analysis = analyze(text);
            var items = CodeActions.FixAll(analysis);
            if (items.Count == 0) break;
            foreach (var item in items)
                foreach (var edit in item.Fix.Edits) diff.AddRange(Lines(analysis, text, edit, item.Fix.Title));
            text = TextEdits.Apply(text, items.SelectMany(i => i.Fix.Edits));
            applied.AddRange(items);
        }
        return new Outcome(text, applied, diff);
    }

    /// <summary>The lines an edit touches, before and after, numbered as in the file before the pass.</summary>
    private static IEnumerable<string> Lines(DocumentAnalysis analysis, string text, TextEdit edit, string title)
    {
        var lines = analysis.Document.Lines;
        var first = lines.GetPosition(edit.Span.Start).Line;
        var last = lines.GetPosition(edit.Span.End).Line;
        var start = lines.LineStart(first);
        var end = last + 1 < lines.LineCount ? lines.LineStart(last + 1) : text.Length;
        var before = text[start..end].TrimEnd('\r', '\n');
        var after = (text[start..edit.Span.Start] + edit.NewText + text[edit.Span.End..end]).TrimEnd('\r', '\n');
        yield return $"@@ line {first + 1}: {title}";
        foreach (var l in before.Split('\n')) yield return "-" + l.TrimEnd('\r');
        foreach (var l in after.Split('\n')) yield return "+" + l.TrimEnd('\r');
    }

    /// <summary>Writes the fixed text next to the file and renames it over: a crash leaves the old file or the new, never half.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temp = path + ".carbonlsp-fix.tmp";
        File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    public static string Saving(IReadOnlyList<FixAllItem> applied)
    {
        var wh = applied.Sum(i => i.Finding.SavingWh ?? 0);
        return wh > 0 ? $", saves ≈ {Units.Wh(wh)}" : "";
    }
}
