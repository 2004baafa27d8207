namespace CarbonLsp.Cli;

/// <summary>The files `estimate` and `check` read: each argument a file, or a folder searched recursively for
/// *.prompts.json (hidden folders, node_modules and the generated images skipped), in a stable order.</summary>
public static class PromptFiles
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.OrdinalIgnoreCase) { "node_modules", "bin", "obj" };

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

    private static IEnumerable<string> Search(string folder)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            string[] entries, subfolders;
            try
            {
                entries = Directory.GetFiles(dir, "*.prompts.json");
                subfolders = Directory.GetDirectories(dir);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException) { continue; }
            foreach (var f in entries) yield return f;
            foreach (var sub in subfolders)
            {
                var name = Path.GetFileName(sub);
                // Hidden folders (.git, .carbonlsp), dependencies and build output; links are not followed (no loops).
                if (name.StartsWith('.') || s_skipped.Contains(name) || new DirectoryInfo(sub).LinkTarget != null) continue;
                pending.Push(sub);
            }
        }
    }
}
