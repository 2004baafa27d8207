namespace CarbonLsp.Tests.Shared;

/// <summary>How long the fuzz tests run: CARBONLSP_FUZZ_SCALE multiplies their case counts (1 in CI: a
/// minute or two for the whole suite; docs/reliability.md has a longer run's figures), CARBONLSP_FUZZ_SEED
/// fixes the random seed (printed by each test, so a failure can be replayed).</summary>
internal static class FuzzScale
{
    public static int Factor => int.TryParse(System.Environment.GetEnvironmentVariable("CARBONLSP_FUZZ_SCALE"), out var f) && f > 0 ? f : 1;

    public static int Seed => int.TryParse(System.Environment.GetEnvironmentVariable("CARBONLSP_FUZZ_SEED"), out var s) ? s : System.Environment.TickCount & 0x7FFFFFFF;
}
