using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Rules;

public enum Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 }

public sealed record RelatedLocation(TextSpan Span, string Message);

/// <summary>Something the analysis found: a stable code, a message that states the saving, where it
/// is, and the fixes computed with it.</summary>
public sealed record Finding(string Code, Severity Severity, string Message, TextSpan Span)
{
    private Func<IReadOnlyList<Fix>>? _fixesFactory;
    private Func<PromptContext, IReadOnlyList<Fix>>? _fixesFor;
    private PromptContext? _context;
    private IReadOnlyList<Fix>? _computedFixes;
    private IReadOnlyList<Fix> _fixes = Array.Empty<Fix>();

    /// <summary>The fixes. Rules may supply them as a function computed on first use: a 10,000-prompt file
    /// publishes every message but asks for few fixes. The function is pure, so two threads racing on
    /// first use get equal lists and one is kept.</summary>
    public IReadOnlyList<Fix> Fixes
    {
        get
        {
            if (_fixesFactory == null && _fixesFor == null) return _fixes;
            return Volatile.Read(ref _computedFixes)
                   ?? Interlocked.CompareExchange(ref _computedFixes, ComputeFixes(), null)
                   ?? _computedFixes!;
        }
        init => _fixes = value;
    }

    private IReadOnlyList<Fix> ComputeFixes() =>
        _fixesFor != null ? _fixesFor(_context ?? throw new InvalidOperationException($"{Code}: a prompt finding's fixes need the prompt it is bound to."))
            : _fixesFactory!();

    /// <summary>Fixes of a file-wide finding, computed on first use.</summary>
    public Func<IReadOnlyList<Fix>> FixesFactory
    {
        init => _fixesFactory = value;
    }

    /// <summary>Fixes of a prompt rule's finding, computed on first use from the context of the prompt
    /// the finding is bound to — not the one the rule saw: when an edit elsewhere moves the prompt, the
    /// finding is kept and bound to the prompt in the new text, so its fixes are built on that text.
    /// The function must not capture the rule's context.</summary>
    public Func<PromptContext, IReadOnlyList<Fix>> FixesFor
    {
        init => _fixesFor = value;
    }

    /// <summary>Whether the finding has fixes, without computing them (every rule that offers fixes offers at least one).</summary>
    public bool HasFixes => _fixesFactory != null || _fixesFor != null || _fixes.Count > 0;
    public IReadOnlyList<RelatedLocation> Related { get; init; } = Array.Empty<RelatedLocation>();
    /// <summary>The text is redundant (e.g. a duplicate prompt): editors fade it.</summary>
    public bool Unnecessary { get; init; }
    /// <summary>The prompt this finding is about (index in the prompts array), if any.</summary>
    public int? PromptIndex { get; init; }
    /// <summary>Energy the preferred fix saves, Wh (mid), when it is an advice finding.</summary>
    public double? SavingWh { get; init; }

    /// <summary>Whether the finding is bound to a prompt of one version (a finding as found is not: kept from
    /// version to version, it must not keep an old text alive).</summary>
    internal bool IsBound => _context != null;

    /// <summary>The order of findings in an analysis: by position, then code, end and message (spans given:
    /// a finding as found is read at its place in a later version).</summary>
    internal static int Compare(Finding a, TextSpan sa, Finding b, TextSpan sb)
    {
        if (sa.Start != sb.Start) return sa.Start.CompareTo(sb.Start);
        if (string.CompareOrdinal(a.Code, b.Code) is var c and not 0) return c;
        return sa.End != sb.End ? sa.End.CompareTo(sb.End) : string.CompareOrdinal(a.Message, b.Message);
    }

    /// <summary>Every span other than the finding's own: related locations and the edits of fixes computed
    /// with it (fixes computed on first use are built on the text they are asked in, so have none here).</summary>
    internal IEnumerable<TextSpan> OtherSpans()
    {
        foreach (var r in Related) yield return r.Span;
        if (_fixesFactory == null && _fixesFor == null)
            foreach (var f in _fixes)
            foreach (var e in f.Edits)
                yield return e.Span;
    }

    /// <summary>This finding, found in a prompt's own coordinates, in the document's: spans and static fix
    /// edits moved by <paramref name="offset"/>.</summary>
    internal Finding Shifted(int offset) => offset == 0 ? this : Moved(new TextChange(0, 0, offset), null);

    /// <summary>This finding about a prompt that an edit elsewhere moved: its spans (the prompt's own, and
    /// any in "defaults") taken through the change, its fixes bound to the prompt in the new text.</summary>
    internal Finding Moved(TextChange change, PromptContext? context) => Remapped(change.Map, context);

    /// <summary>This finding with every span mapped (its own, related ones, static fix edits), its fixes bound
    /// to <paramref name="context"/> (null: unbound).</summary>
    internal Finding Remapped(Func<TextSpan, TextSpan> map, PromptContext? context)
    {
        var moved = this with
        {
            Span = map(Span),
            Related = Related.Count == 0 ? Related : Related.Select(r => r with { Span = map(r.Span) }).ToArray(),
        };
        if (_fixesFactory == null && _fixesFor == null && _fixes.Count > 0)
            moved._fixes = _fixes.Select(f => f with { Edits = f.Edits.Select(e => e with { Span = map(e.Span) }).ToArray() }).ToArray();
        moved._computedFixes = null;
        moved._context = context;
        return moved;
    }

    /// <summary>Code, severity, span and message (the fixes of an unbound finding cannot be listed).</summary>
    public override string ToString() => $"{Code} {Severity} {Span} {Message}";
}
