namespace CarbonLsp.Core.Tests;

/// <summary>Locates the repository root (the folder with CarbonLsp.sln) and the test data inside it
/// (tests read nothing outside the repository: a fresh clone has nothing beside it).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();
    /// <summary>The CLIP vocabulary that ships with the executable.</summary>
    public static string ClipFolder => Path.Combine(RepoRoot, "src", "CarbonLsp", "clip");
    public static string ClipTestVectors => Path.Combine(RepoRoot, "tests", "data", "clip", "test-vectors.json");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CarbonLsp.sln not found above the test folder.");
    }
}
