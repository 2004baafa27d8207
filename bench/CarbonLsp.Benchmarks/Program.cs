using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

if (args.Contains("--pipeline"))
{
    var repo = new DirectoryInfo(AppContext.BaseDirectory);
    while (repo != null && !File.Exists(Path.Combine(repo.FullName, "CarbonLsp.sln"))) repo = repo.Parent;
    CarbonLsp.Benchmarks.PipelineBench.Run(repo!.FullName);
    return;
}

// Runs on one core (affinity 1) so the numbers mean "on one core", as the targets are stated.
// Twenty warm-up iterations: methods that run once per parse (the loop over the prompts array) reach
// optimised (tier-1) code only after 30 calls, and with three warm-ups BenchmarkDotNet measured
// partly unoptimised code (~5x slower). A language server re-parses on every keystroke, so the
// steady state is what a user sees after the first few edits; the cold first parse is measured
// separately by the server benchmark (didOpen -> first diagnostics).
// Tiered PGO off, as the shipped carbonlsp executable is configured (src/CarbonLsp/CarbonLsp.csproj).
var config = DefaultConfig.Instance.AddJob(Job.Default.WithAffinity((IntPtr)1)
    .WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredPGO", "0")).WithWarmupCount(20).WithIterationCount(10));
BenchmarkSwitcher.FromAssembly(typeof(CarbonLsp.Benchmarks.AnalysisBenchmarks).Assembly).Run(args, config);
