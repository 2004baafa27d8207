using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>Builds a scheduler by our name (the prompt file's "scheduler") or by the folder's diffusers
/// class, keeping the folder's betas, prediction type, offset and spacing.</summary>
public static class SchedulerFactory
{
    public static readonly IReadOnlyList<string> Names = new[] { "euler", "euler-a", "ddim", "dpm++2m", "lcm" };

    /// <summary>Our name for a diffusers class; unknown classes (PNDM, LMS, KDPM2…) map to a supported algorithm.</summary>
    public static string NameFor(string className) => className switch
    {
        "EulerDiscreteScheduler" => "euler",
        "EulerAncestralDiscreteScheduler" => "euler-a",
        "DDIMScheduler" => "ddim",
        "DPMSolverMultistepScheduler" => "dpm++2m",
        "LCMScheduler" => "lcm",
        "PNDMScheduler" or "LMSDiscreteScheduler" => "ddim",
        _ => "euler",
    };

    public static Scheduler Create(string? name, SchedulerConfig config)
    {
        var chosen = name ?? NameFor(config.ClassName);
        return chosen switch
        {
            "euler" => new EulerScheduler(config, ancestral: false),
            "euler-a" => new EulerScheduler(config, ancestral: true),
            "ddim" => new DdimScheduler(config with { ClipSample = config.ClassName == "DDIMScheduler" && config.ClipSample }),
            "dpm++2m" => new DpmSolverMultistepScheduler(config),
            "lcm" => new LcmScheduler(config with { ClipSample = config.ClassName == "LCMScheduler" && config.ClipSample }),
            _ => throw new UnknownSchedulerException(chosen),
        };
    }
}

public sealed class UnknownSchedulerException(string name)
    : Exception($"Unknown scheduler \"{name}\". Use one of: {string.Join(", ", SchedulerFactory.Names)}.");
