namespace CarbonLsp.Generation.Pipeline;

/// <summary>One prompt to generate, with everything that decides the image.</summary>
public sealed record GenerationRequest
{
    public required string Prompt { get; init; }
    public string NegativePrompt { get; init; } = "";
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Steps { get; init; }
    public required double Guidance { get; init; }
    /// <summary>Our scheduler name; null uses the folder's own.</summary>
    public string? Scheduler { get; init; }
    public required long Seed { get; init; }
    public int Images { get; init; } = 1;
}

/// <summary>Progress after each denoising step.</summary>
public sealed record GenerationProgress(int Image, int Images, int Step, int Steps, TimeSpan Elapsed, TimeSpan Remaining)
{
    public double Fraction => (Image * (double)Steps + Step) / Math.Max(1, Images * Steps);
}

/// <summary>Wall time spent in each phase, for the ledger and for calibration.</summary>
public sealed record PhaseTimings(TimeSpan TextEncoding, TimeSpan Denoising, TimeSpan Decoding, TimeSpan Loading)
{
    public TimeSpan Total => TextEncoding + Denoising + Decoding + Loading;
}

/// <summary>One image: RGB bytes (row-major, 3 per pixel) and the seed that made it.</summary>
public sealed record GeneratedImage(byte[] Rgb, int Width, int Height, long Seed);

public sealed record GenerationResult(IReadOnlyList<GeneratedImage> Images, PhaseTimings Timings, string Provider, string ProviderReason, string SchedulerName, int UnetCalls)
{
    /// <summary>Time spent inside the UNet session's Run (the rest of the denoising time is the pipeline's own overhead).</summary>
    public TimeSpan UnetRunTime { get; init; }
}
