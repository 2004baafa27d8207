using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Tokenization;

namespace CarbonLsp.Core.Analysis;

/// <summary>Where and how the images would be made. Null fields mean "not said at this level".</summary>
public sealed record Environment(string? Region = null, string? Device = null, double? Pue = null, double? BudgetGrams = null);

/// <summary>Everything an analysis depends on besides the text.</summary>
public sealed record AnalysisOptions
{
    /// <summary>Wins over the file (e.g. command-line flags).</summary>
    public Environment Overrides { get; init; } = new();
    /// <summary>Used when neither the overrides nor the file say (e.g. the editor's settings).</summary>
    public Environment Fallbacks { get; init; } = new();
    public RuleSettings Rules { get; init; } = RuleSettings.Default;
    /// <summary>The prompt rules to run; null: <see cref="BuiltInRules.Prompt"/>.</summary>
    public IReadOnlyList<IPromptRule>? PromptRules { get; init; }
    /// <summary>The file rules to run; null: <see cref="BuiltInRules.File"/>.</summary>
    public IReadOnlyList<IFileRule>? FileRules { get; init; }
    /// <summary>Exact CLIP token counts when available; otherwise an approximation, labelled as such.</summary>
    public ITokenCounter? Tokenizer { get; init; }
    /// <summary>Resolves names the catalog does not know, such as a local model folder (the host does the I/O).</summary>
    public Func<string, ModelSpec?>? ResolveModel { get; init; }
    /// <summary>Why the host did not read the model folder a name points at (outside the workspace and not
    /// allowed by the user: a cloned file must not make the editor read arbitrary folders); null when it read
    /// it or there is none. CL004 says it.</summary>
    public Func<string, string?>? ModelFolderWithheld { get; init; }
    /// <summary>A live grid figure for a region code, when the host has one (a configured provider, fetched off
    /// the typing path); null: the region's annual average. The analysis says which it used
    /// (<see cref="DocumentAnalysis.Intensity"/>).</summary>
    public Func<string, Grid.IntensityChoice?>? GridIntensity { get; init; }
    /// <summary>The provider's latest answer (with its forecast) for a region code, when the host has one: the
    /// cleanest window in the hover and the lens is computed from it, as of its fetch time.</summary>
    public Func<string, Grid.GridSignal?>? GridForecast { get; init; }
    /// <summary>The local hardware, when the host looked: used when no one names a device.</summary>
    public DetectedHardware? DetectedDevice { get; init; }

    public static readonly AnalysisOptions Default = new();
}
