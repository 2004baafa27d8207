using CarbonLsp.Core.Catalog;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Workspace;

/// <summary>
/// Maps a model name that is a path to a diffusers ONNX folder onto the catalog entry of its family,
/// so the estimate knows its compute: a "carbonlsp.catalogId" key in model_index.json names it
/// directly; otherwise the folder's files tell (text_encoder_2 → SDXL class; LCM scheduler → LCM;
/// trailing spacing → a turbo model; else SD 1.5 class).
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

    public ModelSpec? Resolve(string name)
    {
        try
        {
            var folder = Path.IsPathRooted(name) ? name : Path.GetFullPath(Path.Combine(_baseDirectory, name));
            var index = Path.Combine(folder, "model_index.json");
            if (!File.Exists(index)) return null;
            var json = JObject.Parse(File.ReadAllText(index));
            if (json["carbonlsp"]?["catalogId"]?.ToString() is { } id && _catalog.FindModelById(id) is { } named) return named;
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }
}
