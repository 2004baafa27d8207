namespace CarbonLsp.Core.Documents;

/// <summary>Field names of the prompt file. The schema (schemas/prompts.schema.json) is the source of
/// truth; a test checks that these lists and the schema agree.</summary>
public static class FieldNames
{
    public const string Prompts = "prompts";
    public const string Defaults = "defaults";
    public const string Budget = "budget";
    public const string BudgetCo2eGrams = "co2eGrams";
    public const string Region = "region";
    public const string Device = "device";
    public const string Pue = "pue";
    public const string Schema = "$schema";

    public const string Id = "id";
    public const string Prompt = "prompt";
    public const string NegativePrompt = "negativePrompt";
    public const string Model = "model";
    public const string Steps = "steps";
    public const string Width = "width";
    public const string Height = "height";
    public const string Guidance = "guidance";
    public const string Scheduler = "scheduler";
    public const string Seed = "seed";
    public const string Images = "images";
    public const string Batch = "batch";
    public const string Precision = "precision";
    public const string Output = "output";

    public static readonly IReadOnlyList<string> TopLevel = new[] { Schema, Prompts, Defaults, Budget, Region, Device, Pue };

    /// <summary>Fields a prompt may set, in the order fixes insert them.</summary>
    public static readonly IReadOnlyList<string> PromptFields = new[]
    {
        Id, Prompt, NegativePrompt, Model, Steps, Width, Height, Guidance, Scheduler, Seed, Images, Batch, Precision, Output,
    };

    /// <summary>Fields that may sit in "defaults" (everything but the prompt's identity and text).</summary>
    public static readonly IReadOnlyList<string> DefaultableFields = PromptFields.Where(f => f is not (Id or Prompt)).ToArray();

    public static readonly IReadOnlyList<string> Schedulers = new[] { "euler", "euler-a", "ddim", "dpm++2m", "lcm" };
    public static IReadOnlyList<string> Precisions => Catalog.KindNames.PrecisionNames;
}
