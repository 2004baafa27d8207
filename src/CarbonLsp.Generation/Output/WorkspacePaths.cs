namespace CarbonLsp.Generation.Output;

/// <summary>Generated files and the run ledger stay inside the workspace: a path that escapes it (.., an
/// absolute path elsewhere, a folder or file that is a symbolic link pointing out) is refused.</summary>
public static class WorkspacePaths
{
    public static string ResolveInside(string workspaceRoot, string path)
    {
        var root = Path.GetFullPath(workspaceRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!full.StartsWith(root, comparison))
            throw new UnauthorizedAccessException($"Output path \"{path}\" is outside the workspace ({root.TrimEnd(Path.DirectorySeparatorChar)}); generated files must stay inside it.");
        // An existing folder on the way that is a link could lead outside: resolve and check it too.
        var dir = new DirectoryInfo(Path.GetDirectoryName(full)!);
        for (var d = dir; d != null && d.FullName.Length >= root.Length - 1; d = d.Parent)
        {
            if (!d.Exists || d.LinkTarget == null) continue;
            var target = d.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            if (target != null && !(target + Path.DirectorySeparatorChar).StartsWith(root, comparison))
                throw new UnauthorizedAccessException($"Output folder {d.FullName} is a link to {target}, outside the workspace; refusing to write there.");
        }
        // The file itself, when it exists, must not be a link out either (a ledger is opened and written in place).
        var file = new FileInfo(full);
        if (file.Exists && file.LinkTarget != null && file.ResolveLinkTarget(returnFinalTarget: true)?.FullName is { } fileTarget
            && !fileTarget.StartsWith(root, comparison))
            throw new UnauthorizedAccessException($"{full} is a link to {fileTarget}, outside the workspace; refusing to write there.");
        return full;
    }
}
