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
var config = DefaultConfig.Instance.AddJob(Job.Default.WithAffinity((IntPtr)1).WithWarmupCount(3).WithIterationCount(10));
BenchmarkSwitcher.FromAssembly(typeof(CarbonLsp.Benchmarks.AnalysisBenchmarks).Assembly).Run(args, config);
