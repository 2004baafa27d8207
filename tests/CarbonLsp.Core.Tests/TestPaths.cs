namespace CarbonLsp.Core.Tests;

/// <summary>Locates the repository root (the folder with CarbonLsp.sln) and the team's shared folder beside it.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
    public static string ClipFolder => Path.Combine(Shared, "clip");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CarbonLsp.sln not found above the test folder.");
    }
}
