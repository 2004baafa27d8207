using CarbonLsp.Core.Catalog;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Workspace;

/// <summary>
/// Maps a model name that is a path to a diffusers ONNX folder onto the catalog entry of its family,
/// so the estimate knows its compute: a "carbonlsp.catalogId" key in model_index.json names it
/// directly; otherwise the folder's files tell (text_encoder_2 → SDXL class; LCM scheduler → LCM;
/// trailing spacing → a turbo model; else SD 1.5 class), and its own configs refine that: the UNet's
/// sample_size gives the native size, the size of its weights the parameter count, and both scale the
/// family's FLOPs. A folder whose UNet is not the family's size is priced from first principles (no
/// borrowed efficiency).
/// </summary>
public sealed class LocalModelResolver
{
    private readonly string _baseDirectory;
    private readonly ModelCatalog _catalog;

    public LocalModelResolver(string baseDirectory, ModelCatalog catalog)
    {
        _baseDirectory = baseDirectory;
        _catalog = catalog;
    }

    private ModelSpec? FamilyOf(string folder)
    {
        if (Directory.Exists(Path.Combine(folder, "text_encoder_2"))) return _catalog.FindModelById("sdxl");
        var scheduler = Path.Combine(folder, "scheduler", "scheduler_config.json");
        if (File.Exists(scheduler))
        {
            var s = JObject.Parse(File.ReadAllText(scheduler));
            if ((string?)s["_class_name"] == "LCMScheduler") return _catalog.FindModelById("lcm-dreamshaper-v7");
            if ((string?)s["timestep_spacing"] == "trailing") return _catalog.FindModelById("sd-turbo");
        }
        return _catalog.FindModelById("sd15");
    }

    /// <summary>The family's entry adapted to the folder's own UNet: native size from sample_size (× 8,
    /// the VAE's scale), parameters from the weights' bytes (fp16 when that matches the family's size,
    /// else fp32), FLOPs scaled by both.</summary>
    private static ModelSpec Refine(ModelSpec family, string folder)
    {
        var unet = Path.Combine(folder, "unet");
        var config = Path.Combine(unet, "config.json");
        var native = family.NativeWidth;
        if (File.Exists(config) && JObject.Parse(File.ReadAllText(config))["sample_size"] is JValue { Type: JTokenType.Integer } size && (int)size > 0)
            native = (int)size * 8;
        var bytes = Directory.Exists(unet) ? Directory.EnumerateFiles(unet).Where(f => f.EndsWith(".onnx", StringComparison.Ordinal) || f.EndsWith(".onnx_data", StringComparison.Ordinal) || f.EndsWith(".data", StringComparison.Ordinal)).Sum(f => new FileInfo(f).Length) : 0;
        var familyParams = family.DenoiserParamsB * 1e9;
        double paramsB = family.DenoiserParamsB;
        if (bytes > 0)
        {
            var asFp16 = bytes / 2.0;
            var asFp32 = bytes / 4.0;
            paramsB = (Math.Abs(Math.Log(asFp16 / familyParams)) < Math.Abs(Math.Log(asFp32 / familyParams)) ? asFp16 : asFp32) / 1e9;
        }
        var sameSize = paramsB / family.DenoiserParamsB is > 0.8 and < 1.25;
        if (sameSize && native == family.NativeWidth) return family;
        var pixelRatio = (double)native * native / family.NativePixels;
        var paramRatio = paramsB / family.DenoiserParamsB;
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        return new ModelSpec
        {
            Id = "local:" + name, Name = $"{name} (local folder, {family.Name} architecture)", Aliases = new(), Family = family.Family,
            BaseModel = sameSize ? (family.BaseModel ?? family.Id) : null, Architecture = family.Architecture, TextEncoder = family.TextEncoder,
            Tier = family.Tier, ParamsB = family.ParamsB - family.DenoiserParamsB + paramsB, DenoiserParamsB = paramsB,
            NativeWidth = native, NativeHeight = native, RecommendedSteps = family.RecommendedSteps, MaxUsefulSteps = family.MaxUsefulSteps,
            DefaultGuidance = family.DefaultGuidance, GuidanceDistilled = family.GuidanceDistilled, GuidanceEmbedded = family.GuidanceEmbedded,
            DefaultScheduler = family.DefaultScheduler, TflopsPerPass = family.TflopsPerPass * paramRatio * pixelRatio,
            TextEncoderTflops = family.TextEncoderTflops, VaeDecodeTflops = family.VaeDecodeTflops * pixelRatio,
            Sources = new() { ["tflopsPerPass"] = $"[D] from the folder: {family.Id}'s FLOPs x {paramRatio:0.###} (UNet weights) x {pixelRatio:0.###} (sample_size)" },
        };
    }

    public ModelSpec? Resolve(string name)
    {
        try
        {
            var folder = Path.IsPathRooted(name) ? name : Path.GetFullPath(Path.Combine(_baseDirectory, name));
            var index = Path.Combine(folder, "model_index.json");
            if (!File.Exists(index)) return null;
            var json = JObject.Parse(File.ReadAllText(index));
            if (json["carbonlsp"]?["catalogId"]?.ToString() is { } id && _catalog.FindModelById(id) is { } named) return named;
            var family = FamilyOf(folder);
            return family == null ? null : Refine(family, folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}
