using CarbonLsp.Generation.Output;
using CarbonLsp.Tests.Shared;
using Xunit.Abstractions;

namespace CarbonLsp.Generation.Tests;

/// <summary>
/// Issue 20, "keep it true": random output paths against a random workspace on disk with links in it
/// (to folders inside, to folders outside, to the workspace's parent, chains of links, dangling links,
/// a link for the ledger file). <see cref="WorkspacePaths.ResolveInside"/> must refuse every path whose
/// real location, with every link on the way followed, is outside the workspace; an escape is a path it
/// accepted that leads out. Paths it refuses although they stay inside are counted too (over-refusals).
/// </summary>
public sealed class PathEscapeFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("carbonlsp-escape-").FullName;

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [SkippableFact]
    public void Random_paths_through_links_never_resolve_outside_the_workspace()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var seed = FuzzScale.Seed;
        var rng = new System.Random(seed);
        int cases = 0, accepted = 0, refused = 0, escapes = 0, overRefusals = 0, written = 0;
        var trees = 8 * FuzzScale.Factor;
        for (var t = 0; t < trees; t++)
        {
            var (root, names) = RandomTree(Path.Combine(_base, $"t{t}"), rng);
            for (var i = 0; i < 60; i++)
            {
                cases++;
                var path = RandomPath(root, names, rng);
                var truth = RealLocation(Path.IsPathRooted(path) ? path : Path.Combine(root, path));
                var inside = truth != null && IsInside(RealLocation(root)!, truth);
                string? resolved = null;
                try { resolved = WorkspacePaths.ResolveInside(root, path); accepted++; }
                catch (UnauthorizedAccessException) { refused++; }
                if (resolved != null && !inside)
                {
                    escapes++;
                    Assert.Fail($"seed {seed}: \"{path}\" in {root} was accepted as {resolved}, but it leads to {truth}");
                }
                if (resolved == null && inside) overRefusals++;
                // The second judge: write where it was accepted, as the generator would (folders, then the file).
                if (resolved != null)
                {
                    try
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(resolved)!);
                        File.WriteAllText(resolved, "x");
                        written++;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
                }
            }
            // Nothing may have appeared outside the workspace (links are not followed in this listing).
            var top = Path.GetDirectoryName(root)!;
            var strays = Directory.EnumerateFileSystemEntries(top, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
                .Where(e => !e.StartsWith(root + "/", StringComparison.Ordinal) && e != root && !s_outsideFolders.Contains(Path.GetRelativePath(top, e))).ToList();
            Assert.True(strays.Count == 0, $"seed {seed}: written outside the workspace: {string.Join(", ", strays)}");
        }
        output.WriteLine($"seed {seed}: {cases} paths in {trees} random workspaces with links: {accepted} accepted ({written} written, nothing outside), {refused} refused, escapes {escapes}, refused although inside {overRefusals}");
    }

    /// <summary>Found by the test above: a link to a folder (or file) that does not exist yet, outside, was
    /// accepted, because only existing links were followed; a file is created at a dangling file link's target.</summary>
    [SkippableFact]
    public void Dangling_links_leading_out_are_refused()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var root = Directory.CreateDirectory(Path.Combine(_base, "ws")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "generated"), Path.Combine(outside, "not-yet"));
        File.CreateSymbolicLink(Path.Combine(root, "ledger.db"), Path.Combine(outside, "ledger.db"));
        Directory.CreateSymbolicLink(Path.Combine(root, "loop"), Path.Combine(root, "loop"));
        Assert.Throws<UnauthorizedAccessException>(() => WorkspacePaths.ResolveInside(root, "generated/a.png"));
        Assert.Throws<UnauthorizedAccessException>(() => WorkspacePaths.ResolveInside(root, "ledger.db"));
        Assert.Contains("loop of links", Assert.Throws<UnauthorizedAccessException>(() => WorkspacePaths.ResolveInside(root, "loop/a.png")).Message);
        Directory.CreateSymbolicLink(Path.Combine(root, "images"), "generated-later");   // a dangling link that stays inside
        Assert.Equal(Path.Combine(root, "images", "a.png"), WorkspacePaths.ResolveInside(root, "images/a.png"));
    }

    private static readonly HashSet<string> s_outsideFolders = new() { "outside", "outside/deep" };

    /// <summary>A workspace with folders, and links among them and out of it; the names a path can use.</summary>
    private static (string Root, List<string> Names) RandomTree(string top, System.Random rng)
    {
        var root = Path.Combine(top, "ws");
        var outside = Path.Combine(top, "outside");
        Directory.CreateDirectory(Path.Combine(outside, "deep"));
        Directory.CreateDirectory(root);
        var names = new List<string> { "generated", "a", "b", "ünï", "sp ace" };
        foreach (var n in names) Directory.CreateDirectory(Path.Combine(root, n, "sub"));
        var targets = new[] { outside, Path.Combine(outside, "deep"), top, "/", Path.Combine(root, "a"), Path.Combine(root, "b", "sub"), Path.Combine(top, "missing") };
        var links = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var at = Path.Combine(root, names[rng.Next(5)], $"link{i}");                                 // in a real folder
            var target = rng.Next(4) == 0 && links.Count > 0 ? links[^1] : targets[rng.Next(targets.Length)]; // sometimes a chain
            if (rng.Next(3) == 0) target = Path.GetRelativePath(Path.GetDirectoryName(at)!, target);        // relative links too
            Directory.CreateSymbolicLink(at, target);
            links.Add(at);
        }
        names.AddRange(links.Select(l => Path.GetRelativePath(root, l)));
        var ledgerDir = Path.Combine(root, ".carbonlsp");
        Directory.CreateDirectory(ledgerDir);
        File.CreateSymbolicLink(Path.Combine(ledgerDir, "ledger.db"), Path.Combine(outside, "ledger.db"));
        names.Add(".carbonlsp");
        return (root, names);
    }

    private static string RandomPath(string root, List<string> names, System.Random rng)
    {
        var parts = new List<string>();
        if (rng.Next(8) == 0) parts.Add(rng.Next(2) == 0 ? root : "/tmp");
        for (var k = rng.Next(1, 5); k > 0; k--)
            parts.Add(rng.Next(6) switch { 0 => "..", 1 => ".", 2 => "sub", 3 => "new-folder", _ => names[rng.Next(names.Count)] });
        parts.Add(rng.Next(3) switch { 0 => "image.png", 1 => "ledger.db", _ => "deep" });
        var sep = rng.Next(5) == 0 ? "//" : "/";
        return string.Join(sep, parts).Replace(sep + "/", sep).Replace("//", rng.Next(2) == 0 ? "//" : "/");
    }

    private static bool IsInside(string root, string path) =>
        (path + "/").StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    /// <summary>Where a path really leads once .NET has normalised it (as it does before it opens a file):
    /// each component that is a link replaced by its target, dangling or not (a file is created at a dangling
    /// link's target); null for a loop of links.</summary>
    private static string? RealLocation(string path, int depth = 0)
    {
        if (depth > 40) return null;
        var full = Path.GetFullPath(path);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var link = new FileInfo(next).LinkTarget;   // lstat: the link itself, whether or not its target exists
            if (link != null)
            {
                var target = Path.IsPathRooted(link) ? link : Path.Combine(current, link);
                return RealLocation(Path.Combine(new[] { target }.Concat(parts.Skip(i + 1)).ToArray()), depth + 1);
            }
            current = next;
        }
        return current;
    }
}
