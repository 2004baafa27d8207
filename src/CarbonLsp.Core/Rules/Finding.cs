using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Rules;

public enum Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 }

public sealed record RelatedLocation(TextSpan Span, string Message);

/// <summary>Something the analysis found: a stable code, a message that states the saving, where it
/// is, and the fixes computed with it.</summary>
public sealed record Finding(string Code, Severity Severity, string Message, TextSpan Span)
{
    private Lazy<IReadOnlyList<Fix>>? _lazyFixes;
    private IReadOnlyList<Fix> _fixes = Array.Empty<Fix>();

    /// <summary>The fixes. Rules may supply them as a function of the (immutable) analysis context,
    /// computed on first use: a 10,000-prompt file publishes every message but asks for few fixes.</summary>
    public IReadOnlyList<Fix> Fixes
    {
        get => _lazyFixes?.Value ?? _fixes;
        init => _fixes = value;
    }

    public Func<IReadOnlyList<Fix>> FixesFactory
    {
        init => _lazyFixes = new Lazy<IReadOnlyList<Fix>>(value, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether the finding has fixes, without computing them (every rule that offers fixes offers at least one).</summary>
    public bool HasFixes => _lazyFixes != null || _fixes.Count > 0;
    public IReadOnlyList<RelatedLocation> Related { get; init; } = Array.Empty<RelatedLocation>();
    /// <summary>The text is redundant (e.g. a duplicate prompt): editors fade it.</summary>
    public bool Unnecessary { get; init; }
    /// <summary>The prompt this finding is about (index in the prompts array), if any.</summary>
    public int? PromptIndex { get; init; }
    /// <summary>Energy the preferred fix saves, Wh (mid), when it is an advice finding.</summary>
    public double? SavingWh { get; init; }
}
