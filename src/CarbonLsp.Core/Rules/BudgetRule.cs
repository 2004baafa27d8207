using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Rules;

/// <summary>CL107: the file's CO2e above its budget (fails `carbonlsp check`).</summary>
public sealed class BudgetRule : IFileRule
{
    public string Code => FindingCodes.BudgetExceeded;

    public IEnumerable<Finding> Check(FileContext c)
    {
        if (Report(c.Document, c.Prompts, c.Totals, c.Options) is { } f) yield return f;
    }

    /// <summary>The <paramref name="n"/> prompts with the most CO2e, largest first (the first in the file on a
    /// tie): one pass, no sort of ten thousand prompts on every edit.</summary>
    private static List<PromptAnalysis> Largest(IReadOnlyList<PromptAnalysis> prompts, int n)
    {
        var top = new List<PromptAnalysis>(n + 1);
        foreach (var p in prompts)
        {
            var at = top.Count;
            while (at > 0 && top[at - 1].Footprint.Co2eGrams.Mid < p.Footprint.Co2eGrams.Mid) at--;
            if (at >= n) continue;
            top.Insert(at, p);
            if (top.Count > n) top.RemoveAt(n);
        }
        return top;
    }

    private static Finding? Report(PromptDocument document, IReadOnlyList<PromptAnalysis> prompts, FileTotals totals, AnalysisOptions options)
    {
        if (totals.BudgetGrams is not { } budget || totals.Co2eGrams.Mid <= budget) return null;
        var over = totals.Co2eGrams.Mid / Math.Max(budget, 1e-9) - 1;
        var top = Largest(prompts, 3).Select(p => $"{p.Entry.DisplayName} {Units.Grams(p.Footprint.Co2eGrams.Mid)}");
        var fromFile = options.Overrides.BudgetGrams == null && document.BudgetField?.Value != null;
        var span = fromFile ? document.BudgetField!.Span : document.Root is { } r ? new TextSpan(r.Span.Start, r.Span.Start + 1) : new TextSpan(0, 0);
        return new Finding(FindingCodes.BudgetExceeded, Severity.Error,
            $"This file costs ≈ {Units.Grams(totals.Co2eGrams.Mid)} CO2e (range {Units.Grams(totals.Co2eGrams.Low)}–{Units.Grams(totals.Co2eGrams.High)}), {over:P0} over its budget of {Units.Grams(budget)}. Largest: {string.Join(", ", top)}.{(totals.NotEstimated > 0 ? $" {Units.Count(totals.NotEstimated, "prompt")} on hosted services not counted." : "")}",
            span);
    }
}
