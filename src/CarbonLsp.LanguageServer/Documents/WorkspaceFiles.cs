using System.Collections.Concurrent;
using CarbonLsp.Core.Analysis;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>Prompt files in the workspace folders that are not open, for workspace totals. Bounded
/// (at most <see cref="MaxFiles"/> files, skipping build and dependency folders) and cached by
/// modification time, so the status bar can ask often.</summary>
public sealed class WorkspaceFiles
{
    public const int MaxFiles = 2000;
    private static readonly HashSet<string> s_skip = new(StringComparer.OrdinalIgnoreCase) { ".git", "node_modules", "bin", "obj", ".vs", ".idea", "artifacts" };
    private readonly ConcurrentDictionary<string, (DateTime Stamp, long Length, long Generation, FileTotals Totals)> _cache = new();

    public IEnumerable<(string Uri, FileTotals Totals)> Totals(IEnumerable<string> folderUris, ISet<string> openUris, AnalysisService service, CancellationToken ct)
    {
        foreach (var path in Find(folderUris))
        {
            ct.ThrowIfCancellationRequested();
            var uri = new Uri(path).AbsoluteUri;
            if (openUris.Contains(uri)) continue;
            FileTotals? totals = null;
            try
            {
                var info = new FileInfo(path);
                if (info.Length > 64L * 1024 * 1024) continue;
                if (_cache.TryGetValue(path, out var c) && c.Stamp == info.LastWriteTimeUtc && c.Length == info.Length && c.Generation == service.Generation)
                    totals = c.Totals;
                else
                {
                    totals = service.Analyzer.Analyze(File.ReadAllText(path), service.OptionsFor(uri), ct).Totals;
                    _cache[path] = (info.LastWriteTimeUtc, info.Length, service.Generation, totals);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
            if (totals != null) yield return (uri, totals);
        }
    }

    private static IEnumerable<string> Find(IEnumerable<string> folderUris)
    {
        var count = 0;
        foreach (var folderUri in folderUris)
        {
            if (!Uri.TryCreate(folderUri, UriKind.Absolute, out var u) || !u.IsFile || !Directory.Exists(u.LocalPath)) continue;
            foreach (var f in PromptFilesUnder(u.LocalPath))
            {
                if (++count > MaxFiles) yield break;
                yield return f;
            }
        }
    }

    /// <summary>Every *.prompts.json under a folder, depth first, skipping hidden folders, build and dependency
    /// folders and links (no loops, nothing outside). The server's workspace totals and the CLI's folder
    /// arguments both search this way.</summary>
    public static IEnumerable<string> PromptFilesUnder(string folder)
    {
        var stack = new Stack<string>();
        stack.Push(folder);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            string[] files, dirs;
            try
            {
                files = Directory.GetFiles(dir, "*.prompts.json");
                dirs = Directory.GetDirectories(dir);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            foreach (var f in files) yield return f;
            foreach (var d in dirs)
            {
                var name = Path.GetFileName(d);
                if (!name.StartsWith('.') && !s_skip.Contains(name) && (File.GetAttributes(d) & FileAttributes.ReparsePoint) == 0) stack.Push(d);
            }
        }
    }
}
