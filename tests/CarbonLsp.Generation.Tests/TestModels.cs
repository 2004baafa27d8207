namespace CarbonLsp.Generation.Tests;

/// <summary>The tiny ONNX fixtures the project makes itself (tools/test-models, tests/models).</summary>
public static class TestModels
{
    public static string Root { get; } = FindRoot();
    public static string Models => Path.Combine(Root, "tests", "models");
    public static string Folder(string name) => Path.Combine(Models, name);
    public static readonly string[] Working = { "tiny-sd15-int32", "tiny-sd-int64-floatts", "tiny-sd-scalar-ts", "tiny-sdxl", "tiny-lcm" };

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CarbonLsp.sln not found");
    }
}
