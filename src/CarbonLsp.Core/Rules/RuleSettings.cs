namespace CarbonLsp.Core.Rules;

/// <summary>Thresholds for the advice rules: settings (from the editor's configuration or the command
/// line), never literals inside a rule.</summary>
public sealed record RuleSettings
{
    /// <summary>Steps above the model's useful maximum times this factor are flagged.</summary>
    public double StepsTolerance { get; init; } = 1.0;
    /// <summary>Pixels above native times this factor are flagged.</summary>
    public double ResolutionTolerance { get; init; } = 1.0;
    /// <summary>More images than this in one prompt are flagged.</summary>
    public int MaxImages { get; init; } = 8;
    /// <summary>Least share of a prompt's energy that batching its images must save to be suggested (CL109).</summary>
    public double BatchMinSaving { get; init; } = 0.15;
    /// <summary>A lighter model is suggested when it saves at least this fraction of the energy.</summary>
    public double LighterModelMinSaving { get; init; } = 0.5;
    /// <summary>The CLIP window in tokens, start and end tokens included.</summary>
    public int TokenWindow { get; init; } = 77;
    /// <summary>Codes the user switched off.</summary>
    public IReadOnlySet<string> Disabled { get; init; } = new HashSet<string>();

    public static readonly RuleSettings Default = new();

    /// <summary>Equal when every threshold is and the same codes are off (a record compares the set by
    /// reference: settings read twice from the same JSON were unequal, and each read re-analysed every file).</summary>
    public bool Equals(RuleSettings? other) =>
        other is not null && StepsTolerance.Equals(other.StepsTolerance) && ResolutionTolerance.Equals(other.ResolutionTolerance) && MaxImages == other.MaxImages
        && BatchMinSaving.Equals(other.BatchMinSaving) && LighterModelMinSaving.Equals(other.LighterModelMinSaving) && TokenWindow == other.TokenWindow
        && Disabled.SetEquals(other.Disabled);

    public override int GetHashCode() => HashCode.Combine(StepsTolerance, ResolutionTolerance, MaxImages, BatchMinSaving, LighterModelMinSaving, TokenWindow, Disabled.Count);
    public bool IsEnabled(string code) => !Disabled.Contains(code);
}
