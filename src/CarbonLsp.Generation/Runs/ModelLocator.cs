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
        var looksLikePath = modelName.StartsWith('.') || modelName.StartsWith('/') || modelName.Contains('\\') || (modelName.Length > 2 && modelName[1] == ':');
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
        throw new ModelFolderException($"Model \"{modelName}\" is not available locally. Put its diffusers ONNX export in a folder named \"{spec?.Id ?? modelName}\" under {string.Join(" or ", modelDirectories.Take(1))} (setting carbonlsp.modelsPath), or set \"model\" to a local folder. carbon-tiny ships with CarbonLsp and needs no download.");
    }
}
