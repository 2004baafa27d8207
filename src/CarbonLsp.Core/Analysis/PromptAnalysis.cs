using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Rules;

namespace CarbonLsp.Core.Analysis;

/// <summary>The analysis of one prompt: its effective settings, the model the estimate used,
/// the footprint and the findings about it.</summary>
public sealed class PromptAnalysis
{
    public required PromptEntry Entry { get; init; }
    public required EffectiveSettings Settings { get; init; }
    /// <summary>The model used for the estimate: the named one, or the stand-in for an unknown name (its
    /// family when the name says, else the catalog's unknown-model stand-in).</summary>
    public required ModelSpec EstimateModel { get; init; }
    public required bool ModelKnown { get; init; }
    /// <summary>Whether <see cref="EstimateModel"/> stands in for the model named, and on what grounds.</summary>
    public StandInKind StandIn { get; init; }
    /// <summary>Set when the model is a hosted service: nothing is estimated (<see cref="Estimated"/> is false).</summary>
    public HostedService? Hosted { get; init; }
    /// <summary>False for a hosted service: its footprint is zero and it is not in the file's totals.</summary>
    public bool Estimated => Hosted == null;
    public required Footprint Footprint { get; init; }
    private List<Finding>? _findings;
    /// <summary>The findings about this prompt (most prompts have none: no list is allocated for them).</summary>
    public IReadOnlyList<Finding> Findings => (IReadOnlyList<Finding>?)_findings ?? Array.Empty<Finding>();
    internal void AddFinding(Finding finding) => (_findings ??= new List<Finding>(1)).Add(finding);

    internal PromptContext? Context { get; set; }

    // Published once, whole: a reader on another thread sees either nothing yet or the finished value,
    // never a half-written pair of fields (the snapshot is shared across threads).
    private sealed record LightestResult(Alternative? Value);
    private LightestResult? _lightest;

    /// <summary>The lightest sensible alternative and its footprint, when one saves energy (even below
    /// the rule's threshold). Computed on first use: only hovers ask. Two threads racing compute equal
    /// values (the computation is pure) and the first one published is kept.</summary>
    public Alternative? LightestAlternative
    {
        get
        {
            if (Volatile.Read(ref _lightest) is { } done) return done.Value;
            var computed = new LightestResult(ComputeLightest());
            return (Interlocked.CompareExchange(ref _lightest, computed, null) ?? computed).Value;
        }
        internal set => Volatile.Write(ref _lightest, new LightestResult(value));
    }

    /// <summary>Keeps what <paramref name="before"/> computed (the same prompt in an earlier version: the
    /// alternative does not depend on where the prompt is).</summary>
    internal void CopyLightestFrom(PromptAnalysis before) => Volatile.Write(ref _lightest, Volatile.Read(ref before._lightest));

    private Alternative? ComputeLightest()
    {
        if (Context == null || !ModelKnown || !Estimated) return null;
        var catalog = Context.Estimator.Catalog;
        Alternative? best = null;
        foreach (var id in EstimateModel.LighterAlternatives)
            if (catalog.FindModelById(id) is { } m && Rules.LighterModelRule.Alternative(Context, m) is { SavingFraction: > 0 } a && (best == null || a.SavingFraction > best.SavingFraction))
                best = a;
        return best;
    }
}

public sealed record Alternative(ModelSpec Model, int Steps, int Width, int Height, double Guidance, Footprint Footprint, double SavingFraction);

/// <summary>Totals for a file.</summary>
public sealed record FileTotals(EnergyRange EnergyWh, EnergyRange Co2eGrams, int Prompts, int Images, double? BudgetGrams)
{
    /// <summary>Prompts whose footprint is not estimated (hosted services): not in the totals.</summary>
    public int NotEstimated { get; init; }
}

/// <summary>The whole analysis of a document: immutable once built.</summary>
public sealed class DocumentAnalysis
{
    public required PromptDocument Document { get; init; }
    public required IReadOnlyList<PromptAnalysis> Prompts { get; init; }
    /// <summary>Every finding: syntax, schema, advice; in text order.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }
    public required FileTotals Totals { get; init; }
    public required DeviceSpec Device { get; init; }
    /// <summary>How the device was chosen (named, detected, default) and whether the catalog knows it.</summary>
    public required DeviceChoice DeviceChoice { get; init; }
    public required RegionIntensity Region { get; init; }
    public required double Pue { get; init; }
    /// <summary>The options the analysis was asked for (an update reuses prompts only under the same options).</summary>
    public AnalysisOptions? Options { get; init; }
    /// <summary>Per prompt (as in Document.Prompts): its analysis, or null when it failed (CL003).</summary>
    internal PromptAnalysis?[] PromptsByIndex { get; init; } = Array.Empty<PromptAnalysis?>();

    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error && FindingCodes.Errors.Contains(f.Code));
    public bool BudgetExceeded => Findings.Any(f => f.Code == FindingCodes.BudgetExceeded);

    public PromptAnalysis? PromptAt(int offset)
    {
        var i = Document.PromptIndexAt(offset);
        if (i < 0) return null;
        var entry = Document.Prompts[i];
        // Prompts align with Document.Prompts unless one failed to analyse.
        return i < Prompts.Count && ReferenceEquals(Prompts[i].Entry, entry) ? Prompts[i] : Prompts.FirstOrDefault(p => p.Entry == entry);
    }
}
