namespace CarbonLsp.Cli;

/// <summary>The files `estimate` and `check` read: each argument a file, or a folder searched recursively for
/// *.prompts.json (hidden, build and dependency folders and links skipped, as the server's workspace totals
/// skip them), in a stable order.</summary>
public static class PromptFiles
{
    /// <summary>The files, and for a folder with no prompt file a sentence saying so (the caller reports it).</summary>
    public static (List<string> Files, List<string> Problems) Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        var problems = new List<string>();
        foreach (var arg in arguments)
        {
            if (!Directory.Exists(arg)) { files.Add(arg); continue; }
            var found = Search(arg).Order(StringComparer.Ordinal).ToList();
            if (found.Count == 0) problems.Add($"{arg}: no *.prompts.json in this folder or below it.");
            files.AddRange(found);
        }
        return (files, problems);
    }

    private static IEnumerable<string> Search(string folder) => LanguageServer.Documents.WorkspaceFiles.PromptFilesUnder(folder);
}
