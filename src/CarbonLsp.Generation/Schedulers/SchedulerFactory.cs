using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>Builds a scheduler by our name (the prompt file's "scheduler") or by the folder's diffusers
/// class, keeping the folder's betas, prediction type, offset and spacing.</summary>
public static class SchedulerFactory
{
    public static readonly IReadOnlyList<string> Names = new[] { "euler", "euler-a", "ddim", "dpm++2m", "lcm" };

    /// <summary>Our name for a diffusers class, or null for a class we neither implement nor stand in for.
    /// Stand-ins are stated here, not silent: PNDM and LMS run as DDIM (same betas and timesteps), the
    /// single-step and other multistep ODE solvers as DPM-Solver++ 2M, Heun and KDPM2 as Euler.</summary>
    public static string? NameFor(string className) => className switch
    {
        "EulerDiscreteScheduler" => "euler",
        "EulerAncestralDiscreteScheduler" => "euler-a",
        "DDIMScheduler" => "ddim",
        "DPMSolverMultistepScheduler" => "dpm++2m",
        "LCMScheduler" => "lcm",
        "PNDMScheduler" or "LMSDiscreteScheduler" => "ddim",
        "DPMSolverSinglestepScheduler" or "UniPCMultistepScheduler" or "DEISMultistepScheduler" => "dpm++2m",
        "HeunDiscreteScheduler" or "KDPM2DiscreteScheduler" => "euler",
        _ => null,
    };

    /// <summary>The algorithm a request runs: the prompt's own "scheduler", else the folder's class. A folder
    /// class we cannot run is refused with the way out (name one in the prompt), never replaced quietly.</summary>
    public static string Resolve(string? requested, SchedulerConfig config) =>
        requested ?? NameFor(config.ClassName) ?? throw UnknownSchedulerException.WithMessage(
            $"The model folder's scheduler/scheduler_config.json names \"{config.ClassName}\", which CarbonLsp cannot run. " +
            $"Set \"scheduler\" in the prompt (or its defaults) to one of: {string.Join(", ", Names)}; the folder's betas and timesteps are kept.");

    public static Scheduler Create(string? name, SchedulerConfig config)
    {
        var chosen = Resolve(name, config);
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

public sealed class UnknownSchedulerException : Exception
{
    public UnknownSchedulerException(string name)
        : base($"Unknown scheduler \"{name}\". Use one of: {string.Join(", ", SchedulerFactory.Names)}.") { }

    private UnknownSchedulerException(string message, bool _) : base(message) { }

    internal static UnknownSchedulerException WithMessage(string message) => new(message, true);
}
