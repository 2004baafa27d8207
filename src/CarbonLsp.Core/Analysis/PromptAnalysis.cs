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
    // The findings as they were found, unbound, in the coordinates of the version they were found in;
    // _placement takes their spans into this version. A prompt that an edit elsewhere only moved keeps the
    // very same array: an edit allocates nothing per finding of an untouched prompt.
    private Finding[] _found = Array.Empty<Finding>();
    private Placement _placement;
    private Finding[]? _findings;

    /// <summary>The findings about this prompt, in this version's coordinates, their fixes built on this
    /// version's text. Made on first use (the diagnostics of an edit do not need them: see
    /// <see cref="DocumentAnalysis.FindingsAsFound"/>).</summary>
    public IReadOnlyList<Finding> Findings
    {
        get
        {
            if (_found.Length == 0) return _found;
            if (Volatile.Read(ref _findings) is { } done) return done;
            var placement = _placement;
            var context = Context;
            var made = Array.ConvertAll(_found, f => f.Remapped(placement.Map, context));
            return Interlocked.CompareExchange(ref _findings, made, null) ?? made;
        }
    }

    internal Finding[] Found => _found;
    internal Placement Placement => _placement;

    /// <summary>Sets the findings of a prompt analysed in this version (sorted, unbound).</summary>
    internal void SetFound(Finding[] found) => (_found, _placement) = (found, new Placement(Entry.Span, 0, 0));

    /// <summary>Keeps the findings of the same prompt in the version before <paramref name="change"/> (an edit
    /// inside another prompt). Spans inside this prompt move with it; spans outside it (in "defaults") are
    /// all before the edit or all after it, so they move alike too; if not, the findings are moved one by one.</summary>
    internal void KeepFound(PromptAnalysis before, Text.TextChange change)
    {
        var was = before._placement;
        int? outside = null;
        var alike = true;
        foreach (var f in before._found)
        {
            if (!was.IsInside(f.Span)) { alike = false; break; }
            foreach (var s in f.OtherSpans())
            {
                if (was.IsInside(s)) continue;
                var at = s.Shifted(was.Outside);
                var to = change.Map(at);
                var d = to.Start - at.Start;
                if (to.End - at.End != d || (outside is { } o && o != d)) { alike = false; break; }
                outside = d;
            }
            if (!alike) break;
        }
        if (alike)
        {
            _found = before._found;
            _placement = was with { Inside = was.Inside + Entry.Offset - before.Entry.Offset, Outside = was.Outside + (outside ?? 0) };
            return;
        }
        _found = Array.ConvertAll(before._found, f => f.Remapped(s => change.Map(was.Map(s)), null));
        _placement = new Placement(Entry.Span, 0, 0);
    }

    /// <summary>What the context of this prompt is built from (shared by every prompt of one analysis).</summary>
    internal AnalysisScope? Scope { get; init; }
    private PromptContext? _context;

    /// <summary>What a rule sees of this prompt in this version; made on first use.</summary>
    internal PromptContext? Context
    {
        get
        {
            if (Volatile.Read(ref _context) is { } done || Scope == null) return _context;
            var made = Scope.ContextFor(this);
            return Interlocked.CompareExchange(ref _context, made, null) ?? made;
        }
    }

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

/// <summary>A finding as it was found, and where it is in the version it is read in.</summary>
public readonly record struct FoundFinding(Finding Found, Placement Placement, PromptAnalysis? Prompt, int Index)
{
    /// <summary>The finding's span in this version.</summary>
    public Text.TextSpan Span => Placement.Map(Found.Span);

    /// <summary>The finding in this version's coordinates, its fixes bound to this version's text.</summary>
    public Finding InThisVersion => Prompt == null ? Found : Prompt.Findings[Index];
}

/// <summary>Where the findings of a prompt, as found, are in a later version: spans inside the prompt (as
/// found) moved by <see cref="Inside"/>, spans outside it (in "defaults") by <see cref="Outside"/>.</summary>
public readonly record struct Placement(Text.TextSpan Prompt, int Inside, int Outside)
{
    public bool IsInside(Text.TextSpan s) => s.Start >= Prompt.Start && s.End <= Prompt.End;
    public Text.TextSpan Map(Text.TextSpan s) => IsInside(s) ? s.Shifted(Inside) : s.Shifted(Outside);
}

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
    private IReadOnlyList<Finding>? _findings;

    /// <summary>Every finding: syntax, schema, advice; in text order, in this version's coordinates, with
    /// fixes built on this version's text. Made on first use from the file's findings and each prompt's
    /// (or given whole when the analysis is built by hand).</summary>
    public IReadOnlyList<Finding> Findings
    {
        get
        {
            if (Volatile.Read(ref _findings) is { } done) return done;
            var made = FindingsAsFound().Select(f => f.InThisVersion).ToArray();
            return Interlocked.CompareExchange(ref _findings, made, null) ?? made;
        }
        init => _findings = value;
    }

    /// <summary>The findings about the file as a whole (and about prompts that failed to analyse), sorted;
    /// set by the analyzer, which leaves each prompt's findings with the prompt.</summary>
    internal IReadOnlyList<Finding>? FileFindings { get; init; }

    /// <summary>Whether the prompts' findings, taken prompt by prompt, are in text order (each lies inside
    /// its prompt); when not, <see cref="FindingsAsFound"/> sorts.</summary>
    internal bool PromptFindingsInOrder { get; init; } = true;

    /// <summary>Every finding in text order as it was found, with the offset that takes its spans into this
    /// version: nothing is copied, so an edit of a file with ten thousand findings costs no allocation per
    /// finding. For hot paths that read positions, codes and messages (publishing diagnostics);
    /// <see cref="FoundFinding.InThisVersion"/> gives the finding with its fixes.</summary>
    public IEnumerable<FoundFinding> FindingsAsFound()
    {
        if (FileFindings is not { } file)
        {
            foreach (var f in _findings ?? Array.Empty<Finding>()) yield return new FoundFinding(f, default, null, 0);
            yield break;
        }
        if (!PromptFindingsInOrder)
        {
            var all = new List<FoundFinding>(file.Count);
            all.AddRange(file.Select(f => new FoundFinding(f, default, null, 0)));
            foreach (var p in Prompts)
                for (var i = 0; i < p.Found.Length; i++) all.Add(new FoundFinding(p.Found[i], p.Placement, p, i));
            all.Sort(static (a, b) => Finding.Compare(a.Found, a.Span, b.Found, b.Span));
            foreach (var f in all) yield return f;
            yield break;
        }
        var next = 0;
        foreach (var p in Prompts)
        {
            var found = p.Found;
            for (var i = 0; i < found.Length; i++)
            {
                var here = new FoundFinding(found[i], p.Placement, p, i);
                var span = here.Span;
                while (next < file.Count && Finding.Compare(file[next], file[next].Span, here.Found, span) <= 0) yield return new FoundFinding(file[next++], default, null, 0);
                yield return here;
            }
        }
        while (next < file.Count) yield return new FoundFinding(file[next++], default, null, 0);
    }
    /// <summary>How many findings <see cref="FindingsAsFound"/> yields, counted without making them (a writer
    /// sizes its arrays once).</summary>
    public int FindingCount
    {
        get
        {
            if (FileFindings is not { } file) return _findings?.Count ?? 0;
            var count = file.Count;
            foreach (var p in Prompts) count += p.Found.Length;
            return count;
        }
    }

    public required FileTotals Totals { get; init; }
    public required DeviceSpec Device { get; init; }
    /// <summary>How the device was chosen (named, detected, default) and whether the catalog knows it.</summary>
    public required DeviceChoice DeviceChoice { get; init; }
    public required RegionIntensity Region { get; init; }
    /// <summary>The grid figure the estimates used: the region's annual average, or a live figure the host gave.</summary>
    public Grid.IntensityChoice Intensity { get; init; } = new(0, Grid.IntensityKind.AnnualAverage, "", null);
    /// <summary>The zone the grid figure is for: the region's code, or a provider's zone ("GB-13", "US-CAL-CISO").</summary>
    public string GridZone { get; init; } = "";
    /// <summary>The grid provider's latest answer for the region, with its forecast, when the host has one.</summary>
    public Grid.GridSignal? GridSignal { get; init; }

    /// <summary>The cleanest time within <paramref name="within"/> (8 h by default) to run this prompt's images,
    /// as of the provider's answer, when waiting saves at least 5 %; null otherwise or without a forecast.</summary>
    public Grid.CleanWindow? GreenerWindow(PromptAnalysis prompt, TimeSpan? within = null)
    {
        if (GridSignal is not { Forecast.Count: > 0 } s || !prompt.Estimated) return null;
        var job = TimeSpan.FromSeconds(Math.Max(1, prompt.Footprint.SecondsPerImage * prompt.Footprint.Images));
        var w = Grid.CleanestWindow.Find(s.Forecast, s.FetchedAt, job, within ?? TimeSpan.FromHours(8), out _);
        return w is { Saving: >= 0.05 } ? w : null;
    }
    public required double Pue { get; init; }
    /// <summary>The options the analysis was asked for (an update reuses prompts only under the same options).</summary>
    public AnalysisOptions? Options { get; init; }
    /// <summary>Per prompt (as in Document.Prompts): its analysis, or null when it failed (CL003).</summary>
    internal PromptAnalysis?[] PromptsByIndex { get; init; } = Array.Empty<PromptAnalysis?>();

    public bool HasErrors => FindingsAsFound().Any(f => f.Found.Severity == Severity.Error && FindingCodes.Errors.Contains(f.Found.Code));
    public bool BudgetExceeded => FindingsAsFound().Any(f => f.Found.Code == FindingCodes.BudgetExceeded);

    public PromptAnalysis? PromptAt(int offset)
    {
        var i = Document.PromptIndexAt(offset);
        if (i < 0) return null;
        var entry = Document.Prompts[i];
        // Prompts align with Document.Prompts unless one failed to analyse.
        return i < Prompts.Count && ReferenceEquals(Prompts[i].Entry, entry) ? Prompts[i] : Prompts.FirstOrDefault(p => p.Entry == entry);
    }
}
