using CarbonLsp.Generation.Runs;
using CarbonLsp.LanguageServer.Features.Generation;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Issue 18, item 4: a file from another workspace root must never dispose the service (ONNX
/// sessions, ledger) that a generation in the first root is using.</summary>
public sealed class GenerationRegistryTests : IDisposable
{
    private readonly string _a = Directory.CreateTempSubdirectory("carbonlsp-root-a-").FullName;
    private readonly string _b = Directory.CreateTempSubdirectory("carbonlsp-root-b-").FullName;

    public void Dispose()
    {
        Directory.Delete(_a, true);
        Directory.Delete(_b, true);
    }

    [Fact]
    public void Each_root_keeps_its_own_service_while_another_root_is_used()
    {
        var created = new List<string>();
        using var registry = new GenerationRegistry(root => new GenerationOptions { WorkspaceRoot = root }, s => created.Add(s.Ledger.Path));
        var a = registry.For(_a);
        var ledgerA = a.Ledger;
        ledgerA.Add(new CarbonLsp.Ledger.RunRecord { ModelId = "sd15", Device = "cpu", EnergyJoules = 1, EstimatedWh = 0.001, EnergyMethod = "rapl" });
        var b = registry.For(_b);                  // a diagnostics pass for a file in root B
        _ = registry.ReuseFor(_b);
        Assert.NotSame(a, b);
        Assert.Same(a, registry.For(_a));
        Assert.Same(a, registry.Existing(_a));
        Assert.Equal(2, registry.Count);
        // Root A's ledger is still open and usable: nothing disposed it.
        Assert.Single(ledgerA.All());
        Assert.StartsWith(_a, created[0]);
        Assert.StartsWith(_b, created[1]);
        Assert.Null(registry.Existing(Path.Combine(_a, "sub")));
    }
}
