using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Rules;

public enum Severity { Error = 1, Warning = 2, Information = 3, Hint = 4 }

public sealed record RelatedLocation(TextSpan Span, string Message);

/// <summary>Something the analysis found: a stable code, a message that states the saving, where it
/// is, and the fixes computed with it.</summary>
public sealed record Finding(string Code, Severity Severity, string Message, TextSpan Span)
{
    public IReadOnlyList<Fix> Fixes { get; init; } = Array.Empty<Fix>();
    public IReadOnlyList<RelatedLocation> Related { get; init; } = Array.Empty<RelatedLocation>();
    /// <summary>The text is redundant (e.g. a duplicate prompt): editors fade it.</summary>
    public bool Unnecessary { get; init; }
    /// <summary>The prompt this finding is about (index in the prompts array), if any.</summary>
    public int? PromptIndex { get; init; }
    /// <summary>Energy the preferred fix saves, Wh (mid), when it is an advice finding.</summary>
    public double? SavingWh { get; init; }
}
