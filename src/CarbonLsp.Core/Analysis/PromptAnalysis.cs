using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Rules;

namespace CarbonLsp.Core.Analysis;

/// <summary>The analysis of one prompt: its effective settings, the model the estimate used,
/// the footprint and the findings about it.</summary>
/// <remarks>One object serves every version of the document in which the prompt is where it was and
/// unchanged (an edit in a later prompt): it holds nothing of a version, no document and no text, so it
/// keeps no old version alive. A prompt that an edit only moved gets a new object of four fields that
/// shares the rest (<see cref="Facts"/>). Both are what an edit of a 10,000-prompt file would otherwise
/// allocate ten thousand times (issue 18, memory during a burst of edits). What needs a version — a
/// rule's context, fixes built on the text — comes from the <see cref="DocumentAnalysis"/>
/// (<see cref="DocumentAnalysis.ContextOf"/>, <see cref="DocumentAnalysis.FindingsOf"/>).</remarks>
public sealed class PromptAnalysis
{
    /// <summary>What does not depend on where the prompt is in the text.</summary>
    internal sealed class Facts(EffectiveSettings settings, ModelSpec estimateModel, bool modelKnown, StandInKind standIn, HostedService? hosted, Footprint footprint)
    {
        public EffectiveSettings Settings { get; } = settings;
        public ModelSpec EstimateModel { get; } = estimateModel;
        public bool ModelKnown { get; } = modelKnown;
        public StandInKind StandIn { get; } = standIn;
        public HostedService? Hosted { get; } = hosted;
        public Footprint Footprint { get; } = footprint;
        // Published once, whole: a reader on another thread sees either nothing yet or the finished value,
        // never a half-written pair of fields (analyses are shared across threads).
        public LightestResult? Lightest;
    }

    internal sealed record LightestResult(Alternative? Value);

    private readonly Facts _facts;
    // The findings as they were found, unbound, in the coordinates of the version they were found in;
    // _placement takes their spans into this version. A prompt that an edit elsewhere only moved keeps the
    // very same array: an edit allocates nothing per finding of an untouched prompt.
    private Finding[] _found = Array.Empty<Finding>();
    private Placement _placement;

    internal PromptAnalysis(PromptEntry entry, Facts facts) => (Entry, _facts) = (entry, facts);

    public PromptEntry Entry { get; }
    public EffectiveSettings Settings => _facts.Settings;
    /// <summary>The model used for the estimate: the named one, or the stand-in for an unknown name (its
    /// family when the name says, else the catalog's unknown-model stand-in).</summary>
    public ModelSpec EstimateModel => _facts.EstimateModel;
    public bool ModelKnown => _facts.ModelKnown;
    /// <summary>Whether <see cref="EstimateModel"/> stands in for the model named, and on what grounds.</summary>
    public StandInKind StandIn => _facts.StandIn;
    /// <summary>Set when the model is a hosted service: nothing is estimated (<see cref="Estimated"/> is false).</summary>
    public HostedService? Hosted => _facts.Hosted;
    /// <summary>False for a hosted service: its footprint is zero and it is not in the file's totals.</summary>
    public bool Estimated => Hosted == null;
    public Footprint Footprint => _facts.Footprint;

    internal Finding[] Found => _found;
    internal Placement Placement => _placement;

    /// <summary>Sets the findings of a prompt analysed in this version (sorted, unbound).</summary>
    internal void SetFound(Finding[] found) => (_found, _placement) = (found, new Placement(Entry.Span, 0, 0));

    /// <summary>The same prompt in the version after <paramref name="change"/> (an edit inside another prompt),
    /// at <paramref name="entry"/>: this very object when nothing about it moved, else a new one that shares
    /// everything but its position. Spans inside this prompt move with it; spans outside it (in "defaults")
    /// are all before the edit or all after it, so they move alike too; if not, the findings are moved one by one.</summary>
    internal PromptAnalysis MovedBy(PromptEntry entry, Text.TextChange change)
    {
        var was = _placement;
        int? outside = null;
        var alike = true;
        foreach (var f in _found)
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
        if (alike && ReferenceEquals(entry, Entry) && (outside ?? 0) == 0) return this;
        var moved = new PromptAnalysis(entry, _facts);
        if (alike)
        {
            moved._found = _found;
            moved._placement = was with { Inside = was.Inside + entry.Offset - Entry.Offset, Outside = was.Outside + (outside ?? 0) };
        }
        else
        {
            moved._found = Array.ConvertAll(_found, f => f.Remapped(s => change.Map(was.Map(s)), null));
            moved._placement = new Placement(entry.Span, 0, 0);
        }
        return moved;
    }

    /// <summary>The findings in the coordinates of the version <paramref name="scope"/> is of, their fixes built on its text.</summary>
    internal Finding[] BoundIn(AnalysisScope scope)
    {
        if (_found.Length == 0) return _found;
        var placement = _placement;
        var context = scope.ContextFor(this);
        return Array.ConvertAll(_found, f => f.Remapped(placement.Map, context));
    }

    /// <summary>Set by the lighter-model rule when it prices the alternatives anyway.</summary>
    internal void SetLightest(Alternative? value) => Volatile.Write(ref _facts.Lightest, new LightestResult(value));

    /// <summary>The lightest sensible alternative and its footprint, when one saves energy (even below
    /// the rule's threshold). Computed on first use (only hovers ask) and kept with the facts: it does not
    /// depend on where the prompt is. Two threads racing compute equal values (the computation is pure)
    /// and the first one published is kept.</summary>
    internal Alternative? LightestIn(AnalysisScope scope)
    {
        if (Volatile.Read(ref _facts.Lightest) is { } done) return done.Value;
        var computed = new LightestResult(ComputeLightest(scope.ContextFor(this)));
        return (Interlocked.CompareExchange(ref _facts.Lightest, computed, null) ?? computed).Value;
    }

    private Alternative? ComputeLightest(PromptContext context)
    {
        if (!ModelKnown || !Estimated) return null;
        var catalog = context.Estimator.Catalog;
        Alternative? best = null;
        foreach (var id in EstimateModel.LighterAlternatives)
            if (catalog.FindModelById(id) is { } m && Rules.LighterModelRule.Alternative(context, m) is { SavingFraction: > 0 } a && (best == null || a.SavingFraction > best.SavingFraction))
                best = a;
        return best;
    }
}

public sealed record Alternative(ModelSpec Model, int Steps, int Width, int Height, double Guidance, Footprint Footprint, double SavingFraction);

/// <summary>A finding as it was found, and where it is in the version (<paramref name="Owner"/>) it is read in.</summary>
public readonly record struct FoundFinding(Finding Found, Placement Placement, PromptAnalysis? Prompt, int Index, DocumentAnalysis? Owner = null)
{
    /// <summary>The finding's span in this version.</summary>
    public Text.TextSpan Span => Placement.Map(Found.Span);

    /// <summary>The finding in this version's coordinates, its fixes bound to this version's text.</summary>
    public Finding InThisVersion => Prompt == null || Owner == null ? Found : Owner.FindingsOf(Prompt)[Index];
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
                for (var i = 0; i < p.Found.Length; i++) all.Add(new FoundFinding(p.Found[i], p.Placement, p, i, this));
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
                var here = new FoundFinding(found[i], p.Placement, p, i, this);
                var span = here.Span;
                while (next < file.Count && Finding.Compare(file[next], file[next].Span, here.Found, span) <= 0) yield return new FoundFinding(file[next++], default, null, 0);
                yield return here;
            }
        }
        while (next < file.Count) yield return new FoundFinding(file[next++], default, null, 0);
    }
    /// <summary>What every prompt's context in this version is built from (null for an analysis built by hand).</summary>
    internal AnalysisScope? Scope { get; init; }

    /// <summary>What a rule sees of <paramref name="prompt"/> in this version: a new context each call (cheap),
    /// on this version's document.</summary>
    public PromptContext? ContextOf(PromptAnalysis prompt) => Scope?.ContextFor(prompt);

    // The findings of prompts bound to this version, made when asked for (code actions, the whole list);
    // an edit's diagnostics do not need them (FindingsAsFound).
    private System.Collections.Concurrent.ConcurrentDictionary<PromptAnalysis, Finding[]>? _bound;

    /// <summary>The findings about <paramref name="prompt"/> in this version's coordinates, their fixes built on
    /// this version's text. Made on first use for each prompt.</summary>
    public IReadOnlyList<Finding> FindingsOf(PromptAnalysis prompt)
    {
        if (prompt.Found.Length == 0 || Scope is not { } scope) return prompt.Found;
        var bound = Volatile.Read(ref _bound) ?? Interlocked.CompareExchange(ref _bound, new(), null) ?? _bound!;
        return bound.GetOrAdd(prompt, static (p, s) => p.BoundIn(s), scope);
    }

    /// <summary>The lightest sensible alternative to the prompt's model and its footprint, when one saves
    /// energy (even below the lighter-model rule's threshold). Computed on first use: only hovers ask.</summary>
    public Alternative? LightestAlternativeOf(PromptAnalysis prompt) => Scope is { } scope ? prompt.LightestIn(scope) : null;

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
