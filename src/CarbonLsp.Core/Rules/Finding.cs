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

    /// <summary>Binds a new finding to the prompt it is about (before it is published).</summary>
    internal void Bind(PromptContext context) => _context = context;

    /// <summary>This finding, found in a prompt's own coordinates, in the document's: spans and static fix
    /// edits moved by <paramref name="offset"/>.</summary>
    internal Finding Shifted(int offset) => offset == 0 ? this : Moved(new TextChange(0, 0, offset), null);

    /// <summary>This finding about a prompt that an edit elsewhere moved: its spans (the prompt's own, and
    /// any in "defaults") taken through the change, its fixes bound to the prompt in the new text.</summary>
    internal Finding Moved(TextChange change, PromptContext? context)
    {
        var moved = this with
        {
            Span = change.Map(Span),
            Related = Related.Count == 0 ? Related : Related.Select(r => r with { Span = change.Map(r.Span) }).ToArray(),
        };
        if (_fixesFactory == null && _fixesFor == null && _fixes.Count > 0)
            moved._fixes = _fixes.Select(f => f with { Edits = f.Edits.Select(e => e with { Span = change.Map(e.Span) }).ToArray() }).ToArray();
        moved._computedFixes = null;
        moved._context = context;
        return moved;
    }
}
