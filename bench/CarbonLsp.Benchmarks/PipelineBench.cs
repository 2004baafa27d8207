using System.Diagnostics;
using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Pipeline;

namespace CarbonLsp.Benchmarks;

/// <summary>`--pipeline`: the generation pipeline's own overhead per step (everything but the UNet
/// session's Run: scheduler math, tensor copies, guidance) and images per second, on the tiny
/// fixtures and on carbon-tiny, on this machine's CPU.</summary>
public static class PipelineBench
{
    public static void Run(string repo)
    {
        Console.WriteLine("| model | size | steps | images/s | ms/image | pipeline overhead per step | share of denoising |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, path, size, steps, guidance) in new[]
                 {
                     ("tiny-sd15-int32", Path.Combine(repo, "tests", "models", "tiny-sd15-int32"), 64, 20, 7.5),
                     ("tiny-sdxl", Path.Combine(repo, "tests", "models", "tiny-sdxl"), 64, 20, 5.0),
                     ("carbon-tiny", Path.Combine(repo, "models", "carbon-tiny"), 64, 20, 4.0),
                 })
        {
            if (!File.Exists(Path.Combine(path, "unet", "model.onnx"))) continue;
            var pipeline = new DiffusionPipeline(new ModelSessions(ModelFolder.Open(path), TimeSpan.FromMinutes(5)));
            var request = new GenerationRequest { Prompt = "two small red circles on a blue background, top left", Width = size, Height = size, Steps = steps, Guidance = guidance, Seed = 1 };
            for (var i = 0; i < 3; i++) pipeline.Generate(request); // warm-up: load sessions, JIT
            const int runs = 10;
            var watch = Stopwatch.StartNew();
            TimeSpan denoise = TimeSpan.Zero, session = TimeSpan.Zero;
            var calls = 0;
            for (var i = 0; i < runs; i++)
            {
                var r = pipeline.Generate(request with { Seed = i });
                denoise += r.Timings.Denoising;
                session += r.UnetRunTime;
                calls += r.UnetCalls;
            }
            var perImage = watch.Elapsed.TotalMilliseconds / runs;
            var overheadPerStep = (denoise - session).TotalMilliseconds / calls;
            Console.WriteLine($"| {name} | {size}×{size} | {steps} | {runs / watch.Elapsed.TotalSeconds:F1} | {perImage:F0} | {overheadPerStep * 1000:F0} µs | {(denoise - session) / denoise:P1} |");
        }
    }
}
