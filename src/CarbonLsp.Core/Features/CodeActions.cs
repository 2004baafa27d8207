using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Features;

/// <summary>A lighter model for a prompt and the fix that switches to it.</summary>
public sealed record LighterModelAction(Alternative Alternative, Fix Fix);

/// <summary>
/// Code actions as plain data in document coordinates (the editor-feature layer): the fixes of the
/// findings a range touches (computed with the findings), the lighter models for a prompt, and fix-all.
/// Handlers only filter by kind and map to protocol types.
/// </summary>
public static class CodeActions
{
    /// <summary>Each finding touching the range with its fixes.</summary>
    public static IEnumerable<Finding> FixableAt(DocumentAnalysis analysis, TextSpan range) =>
        analysis.FindingsAsFound().Where(f => f.Span.Overlaps(range) && f.Found.HasFixes).Select(f => f.InThisVersion);

    /// <summary>Every catalog model that makes this prompt at least 5% cheaper, lightest first (at most eight),
    /// with the fix that switches to it (adapting steps, guidance and size).</summary>
    public static IReadOnlyList<LighterModelAction> LighterModels(DocumentAnalysis analysis, PromptAnalysis prompt, FootprintEstimator estimator)
    {
        if (!prompt.ModelKnown || !prompt.Estimated || analysis.ContextOf(prompt) is not { } context) return Array.Empty<LighterModelAction>();
        var candidates = estimator.Catalog.Models.Where(m => m.Id != prompt.EstimateModel.Id && m.Tier != ModelFamily.Toy);
        return LighterModelRule.Alternatives(context, candidates).Where(a => a.SavingFraction > 0.05).OrderBy(a => a.Footprint.EnergyWh.Mid).Take(8)
            .Select(a => new LighterModelAction(a, LighterModelRule.SwitchFix(context, a, false))).ToList();
    }

    /// <summary>What fix-all applies: the preferred fix of each problem (warnings and errors) whose fix is
    /// certain, biggest saving first, skipping any whose edits overlap one already taken and taking one per
    /// prompt (two fixes in one object could combine into an invalid one); a second pass after re-analysis
    /// picks the rest up. Not in bulk: suggestions (information and hints, e.g. switching to a lighter
    /// model: a choice of look, not a fix), guesses (a did-you-mean for a misspelt key, model or device),
    /// and fixes that only run a command. Each item names its finding, so the action can list them.</summary>
    public static IReadOnlyList<FixAllItem> FixAll(DocumentAnalysis analysis)
    {
        var taken = new List<FixAllItem>();
        var spans = new List<TextSpan>();
        foreach (var finding in analysis.Findings.OrderByDescending(f => f.SavingWh ?? 0))
        {
            if (finding.Severity is not (Severity.Error or Severity.Warning) || !finding.HasFixes
                || finding.Code is FindingCodes.Schema or FindingCodes.UnknownModel or FindingCodes.UnknownDevice) continue;
            var fix = finding.Fixes.FirstOrDefault(f => f.IsPreferred);
            if (fix == null || fix.Edits.Count == 0) continue;
            if (fix.Edits.Any(e => spans.Any(s => s.Overlaps(e.Span)))) continue;
            var prompt = finding.PromptIndex is { } i ? analysis.Document.Prompts.FirstOrDefault(x => x.Index == i) : null;
            if (prompt != null && spans.Any(s => s.Overlaps(prompt.Span))) continue;
            taken.Add(new FixAllItem(finding, fix));
            spans.AddRange(fix.Edits.Select(e => e.Span));
            if (prompt != null) spans.Add(prompt.Span);
        }
        return taken;
    }

    /// <summary>Fix-all to the end: one pass takes one fix per prompt, so passes run (each on the text the last
    /// one left, analysed again) until nothing is left to fix, at most <paramref name="maxPasses"/>. Each pass
    /// with the analysis its items were found in and the text after it. `check --fix` and the report use this.</summary>
    public static IReadOnlyList<FixAllPass> FixAllPasses(DocumentAnalysis first, Func<string, DocumentAnalysis> analyze, int maxPasses = 8)
    {
        var passes = new List<FixAllPass>();
        var analysis = first;
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var items = FixAll(analysis);
            if (items.Count == 0) break;
            var text = TextEdits.Apply(analysis.Document.Text, items.SelectMany(i => i.Fix.Edits));
            passes.Add(new FixAllPass(analysis, items, text));
            if (pass + 1 < maxPasses) analysis = analyze(text);
        }
        return passes;
    }

    /// <summary>"Fix 3 problems: 2 × more steps than the model needs, 1 × duplicate prompt".</summary>
    public static string FixAllTitle(IReadOnlyList<FixAllItem> items) =>
        $"Fix {Units.Count(items.Count, "problem")}: " + string.Join(", ", items.GroupBy(x => x.Finding.Code).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Count()} × {(FindingCodes.Titles.TryGetValue(g.Key, out var t) ? char.ToLowerInvariant(t[0]) + t[1..] : g.Key)}"));
}

/// <summary>One pass of fix-all: the analysis it was found in, what it applied, the text after it.</summary>
public sealed record FixAllPass(DocumentAnalysis Analysis, IReadOnlyList<FixAllItem> Items, string TextAfter);

/// <summary>One fix that fix-all applies, with the finding it fixes.</summary>
public sealed record FixAllItem(Finding Finding, Fix Fix);
