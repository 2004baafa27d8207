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
    private IReadOnlyList<Fix>? _computedFixes;
    private IReadOnlyList<Fix> _fixes = Array.Empty<Fix>();

    /// <summary>The fixes. Rules may supply them as a function of the (immutable) analysis context,
    /// computed on first use: a 10,000-prompt file publishes every message but asks for few fixes.
    /// The factory is pure, so two threads racing on first use get equal lists and one is kept.</summary>
    public IReadOnlyList<Fix> Fixes
    {
        get
        {
            if (_fixesFactory == null) return _fixes;
            return Volatile.Read(ref _computedFixes)
                   ?? Interlocked.CompareExchange(ref _computedFixes, _fixesFactory(), null)
                   ?? _computedFixes!;
        }
        init => _fixes = value;
    }

    public Func<IReadOnlyList<Fix>> FixesFactory
    {
        init => _fixesFactory = value;
    }

    /// <summary>Whether the finding has fixes, without computing them (every rule that offers fixes offers at least one).</summary>
    public bool HasFixes => _fixesFactory != null || _fixes.Count > 0;
    public IReadOnlyList<RelatedLocation> Related { get; init; } = Array.Empty<RelatedLocation>();
    /// <summary>The text is redundant (e.g. a duplicate prompt): editors fade it.</summary>
    public bool Unnecessary { get; init; }
    /// <summary>The prompt this finding is about (index in the prompts array), if any.</summary>
    public int? PromptIndex { get; init; }
    /// <summary>Energy the preferred fix saves, Wh (mid), when it is an advice finding.</summary>
    public double? SavingWh { get; init; }
}
