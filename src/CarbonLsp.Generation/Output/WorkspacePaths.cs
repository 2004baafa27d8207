namespace CarbonLsp.Generation.Output;

/// <summary>Generated files and the run ledger stay inside the workspace: a path that escapes it (.., an
/// absolute path elsewhere, a folder or file that is a symbolic link pointing out, a dangling link whose
/// target would be created outside, a chain of links) is refused.</summary>
public static class WorkspacePaths
{
    private const int MaxLinks = 40; // as the kernel's limit on links followed (ELOOP)

    public static string ResolveInside(string workspaceRoot, string path)
    {
        var root = Path.GetFullPath(workspaceRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!full.StartsWith(root, comparison))
            throw new UnauthorizedAccessException($"Output path \"{path}\" is outside the workspace ({root.TrimEnd(Path.DirectorySeparatorChar)}); generated files must stay inside it.");
        // Where the path leads once every link on the way is followed, dangling ones included (a file opened
        // for writing is created at a dangling link's target): it must be inside where the root leads.
        var realRoot = Follow(Path.TrimEndingDirectorySeparator(root), out _) is { } r ? Path.TrimEndingDirectorySeparator(r) + Path.DirectorySeparatorChar : root;
        if (realRoot.EndsWith($"{Path.DirectorySeparatorChar}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) realRoot = realRoot[..^1]; // the file system's root
        var real = Follow(full, out var firstLink);
        if (real == null)
            throw new UnauthorizedAccessException($"{full} leads through a loop of links; refusing to write there.");
        if (!(real + Path.DirectorySeparatorChar).StartsWith(realRoot, comparison))
            throw new UnauthorizedAccessException($"{firstLink ?? full} is a link that leads to {real}, outside the workspace; refusing to write there.");
        return full;
    }

    /// <summary>A full path with each component that is a link replaced by its target (resolved again, relative
    /// targets against the link's folder), whether or not the target exists; null for a loop. The path is
    /// normalised first, as .NET does before it opens a file. <paramref name="firstLink"/>: the first link met.</summary>
    private static string? Follow(string full, out string? firstLink)
    {
        firstLink = null;
        for (var hops = 0; hops <= MaxLinks; hops++)
        {
            full = Path.GetFullPath(full);
            var rootPart = Path.GetPathRoot(full)!;
            var parts = full[rootPart.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = rootPart;
            string? redirected = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Combine(current, parts[i]);
                string? target;
                try { target = new FileInfo(next).LinkTarget; }   // the entry itself (lstat): links to folders too
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { target = null; }
                if (target != null)
                {
                    firstLink ??= next;
                    var resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                    redirected = Path.Combine(new[] { resolved }.Concat(parts.Skip(i + 1)).ToArray());
                    break;
                }
                current = next;
            }
            if (redirected == null) return current;
            full = redirected;
        }
        return null;
    }
}
