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
    public sealed record Outcome(string Text, IReadOnlyList<FixAllItem> Applied, IReadOnlyList<string> Diff)
    {
        public IReadOnlyList<FixAllPass> Passes { get; init; } = Array.Empty<FixAllPass>();
    }

    public static Outcome Fix(string text, Func<string, DocumentAnalysis> analyze)
    {
        var passes = CodeActions.FixAllPasses(analyze(text), analyze);
        var diff = passes.SelectMany(p => p.Items.SelectMany(item => item.Fix.Edits.SelectMany(edit => Lines(p.Analysis, p.Analysis.Document.Text, edit, item.Fix.Title)))).ToList();
        return new Outcome(passes.Count > 0 ? passes[^1].TextAfter : text, passes.SelectMany(p => p.Items).ToList(), diff) { Passes = passes };
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

    /// <summary>Records each applied fix's saving in the workspace's ledger ("what the product saved", issue 22).
    /// A ledger that cannot be written costs a line on stderr, never the fix.</summary>
    public static void RecordSavings(string path, Outcome outcome, string? workspace)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetFullPath(workspace ?? Directory.GetCurrentDirectory());
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal)) root = Path.GetDirectoryName(full)!;
        try
        {
            using var ledger = new Ledger.RunLedger(new Generation.Runs.GenerationOptions { WorkspaceRoot = root }.LedgerPath);
            foreach (var pass in outcome.Passes)
                foreach (var item in pass.Items)
                {
                    var saving = Reports.ReportBuilder.Saving(pass.Analysis, item);
                    if (saving.SavingWh <= 0) continue;
                    ledger.AddSaving(new Ledger.SavingRecord
                    {
                        Code = saving.Code, Title = saving.Title, File = Path.GetRelativePath(root, full).Replace('\\', '/'), PromptId = saving.Prompt ?? "",
                        EnergyWh = saving.SavingWh, Co2eGrams = saving.SavingGrams, Where = "check --fix",
                    });
                }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LiteDB.LiteException)
        {
            Console.Error.WriteLine($"carbonlsp: {path}: fixed, but its saving was not recorded in the ledger ({ex.Message}).");
        }
    }

    public static string Saving(IReadOnlyList<FixAllItem> applied)
    {
        var wh = applied.Sum(i => i.Finding.SavingWh ?? 0);
        return wh > 0 ? $", saves ≈ {Units.Wh(wh)}" : "";
    }
}
