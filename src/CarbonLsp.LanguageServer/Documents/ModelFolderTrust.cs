using CarbonLsp.Generation.Output;
using CarbonLsp.Generation.Runs;
using CarbonLsp.LanguageServer.Configuration;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>
/// Which model folders the server may read on its own (issue 20, item 6). Opening a prompt file reads the
/// folder its "model" names (configs to price it; for reuse hints, tokenizer files and a megabyte of each
/// model.onnx). A file from a cloned repository must not make the editor read arbitrary folders, so, as
/// editors do for untrusted workspaces, only these are read without asking: folders inside a workspace
/// folder (or, with none, inside the file's own folder), inside the configured modelsPath, inside a folder
/// the user lists in trustedModelFolders, and the models shipped with CarbonLsp. A link that leads out of
/// them does not count as inside. The VS Code extension keeps modelsPath and trustedModelFolders from
/// untrusted workspaces (restrictedConfigurations), so a cloned repository's settings cannot allow itself.
/// </summary>
public static class ModelFolderTrust
{
    private static readonly IReadOnlyList<string> s_shipped = ModelLocator.DefaultDirectories(null);

    /// <summary>Null when <paramref name="folder"/> may be read; else why not, as a clause for a finding.</summary>
    public static string? WhyNotRead(string folder, string documentFolder, IReadOnlyList<string> workspaceRoots, ServerSettings settings)
    {
        var roots = workspaceRoots.Count > 0 ? workspaceRoots : new[] { documentFolder };
        var allowed = roots.Concat(settings.TrustedModelFolders.Items).Concat(s_shipped);
        if (!string.IsNullOrWhiteSpace(settings.ModelsPath)) allowed = allowed.Append(settings.ModelsPath!);
        var index = Path.Combine(folder, "model_index.json");
        foreach (var root in allowed)
        {
            try
            {
                WorkspacePaths.ResolveInside(root, index);   // inside, and no link on the way leads out
                return null;
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or ArgumentException) { }
        }
        return $"it is outside the workspace ({string.Join(", ", roots)}) and the folders you allowed";
    }
}
