namespace CarbonLsp.Core.Rules;

/// <summary>Stable finding codes. Each has a section in docs/rules.md (anchor = lower-case code).</summary>
public static class FindingCodes
{
    public const string Syntax = "CL001";
    public const string Schema = "CL002";
    public const string AnalysisFailed = "CL003";
    public const string UnknownModel = "CL004";
    public const string UnknownRegion = "CL005";
    public const string UnknownDevice = "CL006";
    public const string HostedModel = "CL007";
    public const string PrecisionUnsupported = "CL008";
    public const string DuplicateId = "CL009";
    public const string ExcessSteps = "CL101";
    public const string CfgOnDistilled = "CL102";
    public const string AboveNativeResolution = "CL103";
    public const string ManyImages = "CL104";
    public const string LighterModel = "CL105";
    public const string PromptTooLong = "CL106";
    public const string BudgetExceeded = "CL107";
    public const string DuplicatePrompt = "CL108";
    public const string BatchImages = "CL109";
    public const string WeightOnlyQuantisation = "CL110";
    public const string OutsideModelWorld = "CL111";
    /// <summary>Raised by a rule the server injects: it needs the run ledger.</summary>
    public const string AlreadyGenerated = "CL201";

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        [Syntax] = "JSON syntax error",
        [Schema] = "Schema violation",
        [AnalysisFailed] = "Analysis failed",
        [UnknownModel] = "Unknown model",
        [UnknownRegion] = "Unknown grid region",
        [UnknownDevice] = "Unknown or detected device",
        [HostedModel] = "Hosted service: no local estimate",
        [PrecisionUnsupported] = "Precision the device cannot run",
        [DuplicateId] = "Two prompts name the same image file",
        [ExcessSteps] = "More steps than the model needs",
        [CfgOnDistilled] = "Classifier-free guidance on a guidance-distilled model",
        [AboveNativeResolution] = "Resolution above the model's native size",
        [ManyImages] = "Very many images",
        [LighterModel] = "A lighter model does this job",
        [PromptTooLong] = "Prompt longer than the 77-token CLIP window",
        [BudgetExceeded] = "Carbon budget exceeded",
        [DuplicatePrompt] = "Duplicate prompt",
        [BatchImages] = "Images generated one at a time",
        [WeightOnlyQuantisation] = "Weight-only quantisation costs energy",
        [OutsideModelWorld] = "Prompt outside the model's world",
        [AlreadyGenerated] = "Image already generated",
    };

    /// <summary>The codes that make a file invalid (fail `carbonlsp check`, and go under "errors" in reports).</summary>
    public static readonly IReadOnlySet<string> Errors = new HashSet<string> { Syntax, Schema, AnalysisFailed, DuplicateId };

    public static string DocsAnchor(string code) => code.ToLowerInvariant();
}
