using CarbonLsp.Core.Catalog;
using CarbonLsp.Generation.Models;

namespace CarbonLsp.Generation.Runs;

/// <summary>Finds the ONNX folder for a prompt's model: a path (relative to the prompt file), or a
/// catalog id looked up as a folder named after the id (or an alias) in the models directories —
/// the user's modelsPath first, then the models shipped beside the executable (carbon-tiny).</summary>
public sealed class ModelLocator(IReadOnlyList<string> modelDirectories, ModelCatalog catalog)
{
    public static IReadOnlyList<string> DefaultDirectories(string? userModelsPath)
    {
        var dirs = new List<string>();
        if (!string.IsNullOrWhiteSpace(userModelsPath)) dirs.Add(userModelsPath);
        dirs.Add(Path.Combine(AppContext.BaseDirectory, "models"));
        // A source checkout: the repository's models/ (the executable lives under src/CarbonLsp/bin/...).
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "CarbonLsp.sln"))) { dirs.Add(Path.Combine(d.FullName, "models")); break; }
        return dirs;
    }

    public string Locate(string modelName, string documentDirectory)
    {
        var looksLikePath = ModelResolver.LooksLikePath(modelName);
        if (looksLikePath || Directory.Exists(Path.Combine(documentDirectory, modelName, "unet")))
            return Path.GetFullPath(Path.Combine(documentDirectory, modelName));
        var spec = catalog.FindModel(modelName);
        var names = spec == null ? new[] { modelName } : spec.Aliases.Append(spec.Id).Prepend(modelName).Select(n => n.Replace('/', '_')).Distinct().ToArray();
        foreach (var dir in modelDirectories)
        foreach (var name in names)
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(Path.Combine(candidate, "model_index.json"))) return candidate;
        }
        throw new ModelFolderException(NotInstalled(modelName, spec));
    }

    /// <summary>What to do about a model that is not installed: the exact export command (Hugging Face Optimum's
    /// ONNX export of the model's Hugging Face id, when the catalog knows one) and where the folder goes.</summary>
    private string NotInstalled(string modelName, ModelSpec? spec) =>
        $"Model \"{modelName}\" is not installed. {HowToGet(modelName, spec)}. Another models folder: the carbonlsp.modelsPath setting (or --models); a local folder: set \"model\" to its path. carbon-tiny ships with CarbonLsp and needs no download.";

    /// <summary>How to install a model: the Optimum export of its Hugging Face id into the first models folder,
    /// or where to put its diffusers ONNX export when the catalog knows no Hugging Face id.</summary>
    public string HowToGet(string modelName, ModelSpec? spec)
    {
        var folder = Path.Combine(modelDirectories[0], spec?.Id ?? modelName.Replace('/', '_'));
        var hfId = spec?.Aliases.FirstOrDefault(a => a.Count(c => c == '/') == 1) ?? (modelName.Count(c => c == '/') == 1 ? modelName : null);
        return hfId != null
            ? $"Export it once with Hugging Face Optimum (pip install \"optimum[onnxruntime]\"): optimum-cli export onnx --model {hfId} \"{folder}\""
            : $"Put its diffusers ONNX export (a folder with model_index.json) at \"{folder}\"";
    }

    /// <summary>The installed folder of a catalog model, or null.</summary>
    public string? Installed(ModelSpec spec, string documentDirectory)
    {
        try { return Locate(spec.Id, documentDirectory); }
        catch (ModelFolderException) { return null; }
    }
}
