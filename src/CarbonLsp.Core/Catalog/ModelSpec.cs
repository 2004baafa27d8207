using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>One text-to-image model as the catalog describes it (Data/catalog.json).</summary>
public sealed class ModelSpec
{
    [JsonProperty("id")] public string Id { get; init; } = "";
    [JsonProperty("name")] public string Name { get; init; } = "";
    [JsonProperty("aliases")] public List<string> Aliases { get; init; } = new();
    [JsonProperty("baseModel")] public string? BaseModel { get; init; }
    /// <summary>The model family ("flux", "stable-diffusion-xl", …), for suggestions and stand-ins.</summary>
    [JsonProperty("family")] public string Family { get; init; } = "";
    [JsonProperty("architecture")] public ModelArchitecture Architecture { get; init; } = ModelArchitecture.Unet;
    /// <summary>"clip" when the model reads only CLIP's 77-token window; "t5" when a T5 encoder reads longer prompts.</summary>
    [JsonProperty("textEncoder")] public string TextEncoder { get; init; } = "clip";
    /// <summary>The model's family (the catalog's "tier"): models of one family produce comparable images; lighter
    /// alternatives come from the same or a named family. Every catalog model names one.</summary>
    [JsonProperty("tier", Required = Required.Always)] public ModelFamily Tier { get; init; }
    [JsonProperty("paramsB")] public double ParamsB { get; init; }
    [JsonProperty("denoiserParamsB")] public double DenoiserParamsB { get; init; }
    [JsonProperty("nativeWidth")] public int NativeWidth { get; init; }
    [JsonProperty("nativeHeight")] public int NativeHeight { get; init; }
    [JsonProperty("recommendedSteps")] public int RecommendedSteps { get; init; }
    [JsonProperty("maxUsefulSteps")] public int MaxUsefulSteps { get; init; }
    [JsonProperty("defaultGuidance")] public double DefaultGuidance { get; init; }
    /// <summary>True when the model was distilled to work without classifier-free guidance: a scale above 1
    /// buys nothing and, unless <see cref="GuidanceEmbedded"/>, runs the denoiser twice per step.</summary>
    [JsonProperty("guidanceDistilled")] public bool GuidanceDistilled { get; init; }
    /// <summary>True when the pipeline feeds the guidance scale to the model as an input (LCM's w embedding,
    /// FLUX.1-dev) or ignores it (FLUX.1-schnell): one denoiser pass per step whatever the scale.</summary>
    [JsonProperty("guidanceEmbedded")] public bool GuidanceEmbedded { get; init; }
    [JsonProperty("defaultScheduler")] public string DefaultScheduler { get; init; } = "euler";
    [JsonProperty("tflopsPerPass")] public double TflopsPerPass { get; init; }
    [JsonProperty("textEncoderTflops")] public double TextEncoderTflops { get; init; }
    [JsonProperty("vaeDecodeTflops")] public double VaeDecodeTflops { get; init; }
    [JsonProperty("trainingEmissions")] public TrainingEmissions? TrainingEmissions { get; init; }
    [JsonProperty("lighterAlternatives")] public List<string> LighterAlternatives { get; init; } = new();
    /// <summary>For a model trained on a closed world (carbon-tiny): every word its captions use. Empty: any prompt.</summary>
    [JsonProperty("vocabulary")] public List<string> Vocabulary { get; init; } = new();
    [JsonProperty("measurements")] public List<PublishedMeasurement> Measurements { get; init; } = new();
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();

    public bool UsesClipWindowOnly => TextEncoder == "clip";
    public long NativePixels => (long)NativeWidth * NativeHeight;
    public override string ToString() => Id;
}

public sealed class TrainingEmissions
{
    [JsonProperty("kgCo2e")] public double KgCo2e { get; init; }
    [JsonProperty("note")] public string Note { get; init; } = "";
}

/// <summary>A published per-image energy figure with the settings it was measured at.</summary>
public sealed class PublishedMeasurement
{
    [JsonProperty("source")] public string Source { get; init; } = "";
    [JsonProperty("note")] public string Note { get; init; } = "";
    [JsonProperty("device")] public string Device { get; init; } = "";
    [JsonProperty("steps")] public int Steps { get; init; }
    [JsonProperty("width")] public int Width { get; init; }
    [JsonProperty("height")] public int Height { get; init; }
    [JsonProperty("precision")] public Precision Precision { get; init; } = Precision.Fp16;
    [JsonProperty("batch")] public int Batch { get; init; } = 1;
    [JsonProperty("guidance")] public double Guidance { get; init; }
    [JsonProperty("wh")] public double Wh { get; init; }
    /// <summary>Time per image in seconds (batch latency ÷ batch size), where the source publishes it.</summary>
    [JsonProperty("seconds")] public double? Seconds { get; init; }
    /// <summary>"gpu" (board only, the default), "wall" (whole machine above idle) or
    /// "cpu-time-estimate" (CPU time × a power per core: an estimate, never fitted).</summary>
    [JsonProperty("scope")] public string Scope { get; init; } = "gpu";
    /// <summary>The source did not state the settings; ours are the pipeline defaults it likely used.</summary>
    [JsonProperty("assumedSettings")] public bool AssumedSettings { get; init; }
    /// <summary>A point the model cannot explain; kept visible, never fitted.</summary>
    [JsonProperty("outlier")] public bool Outlier { get; init; }

    /// <summary>Whether the estimator is fitted to this point: a measurement (GPU board or wall) with
    /// stated settings that the model can explain.</summary>
    public bool Fitted => Scope is "gpu" or "wall" && !Outlier && !AssumedSettings;
}
