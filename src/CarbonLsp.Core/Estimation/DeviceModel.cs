using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Estimation;

/// <summary>
/// The parameters of the device model, fitted to the published measurements (<see cref="EstimatorFit"/>).
/// Time and power are modelled apart, because published batch-1 data show that small models on big GPUs
/// are bound by per-step overhead, not compute, and draw far below their TDP while they wait:
/// <code>
/// compute time of a denoiser call   c = FLOPs × k(model) × precision / (peak × u(device))
/// overhead of a call                o = overhead(arch) × denoiser params^γ        (device-independent)
/// time of a call                    t = (o^n + c^n)^(1/n)                         (overhead hides under compute)
/// power during it                   P = floor + (Pmax − floor) × c / t
/// u(device) = min(uMax, u₀ × (peak / 1000 TFLOPS)^−β) × e^δu(generation)           NVIDIA GPUs
/// Pmax = ρ₀ × e^δρ(generation) × TDP,   floor = φ × TDP
/// </code>
/// The per-generation shifts δ and per-model efficiencies k exist only where measurements fix them and
/// are shrunk towards none; everything else follows the fitted trend or the catalog's priors.
/// </summary>
public sealed record DeviceModelParameters
{
    /// <summary>Fraction of peak reached at 1,000 TFLOPS of peak (the trend's level).</summary>
    public required double Utilisation1000 { get; init; }
    /// <summary>How fast the reached fraction falls as peak rises: faster chips are starved sooner.</summary>
    public required double UtilisationExponent { get; init; }
    /// <summary>Power while computing, as a fraction of TDP.</summary>
    public required double MaxPowerFraction { get; init; }
    /// <summary>Power while waiting on launches, as a fraction of TDP.</summary>
    public required double FloorPowerFraction { get; init; }
    /// <summary>How sharply compute hides the overhead (1: they add; large: the larger wins).</summary>
    public required double Overlap { get; init; }
    /// <summary>Per-call overhead, seconds, of a 1B-parameter denoiser of each architecture.</summary>
    public required double UnetOverheadSeconds { get; init; }
    public required double TransformerOverheadSeconds { get; init; }
    public required double OverheadExponent { get; init; }
    /// <summary>Fraction of a CPU's peak a diffusion pipeline reaches.</summary>
    public required double CpuUtilisation { get; init; }
    /// <summary>Natural-log shifts of utilisation and of max power for GPU generations with measurements.</summary>
    public required IReadOnlyDictionary<string, double> GenerationUtilisationShift { get; init; }
    public required IReadOnlyDictionary<string, double> GenerationPowerShift { get; init; }
    /// <summary>Per-model efficiency k (keyed by the model, or its base for a fine-tune): what the FLOP
    /// count misses (memory-bound layers, kernel quality). Only models with measurements have one.</summary>
    public required IReadOnlyDictionary<string, double> ModelEfficiency { get; init; }
    /// <summary>Generations with published energy (not only speed): their power is measured too.</summary>
    public required IReadOnlySet<string> EnergyMeasuredGenerations { get; init; }
    /// <summary>The median k of each architecture: a model without measurements gets it.</summary>
    public required IReadOnlyDictionary<string, double> ArchitectureEfficiency { get; init; }
}

/// <summary>One device as the model sees it.</summary>
internal readonly record struct DeviceProfile(double EffectiveTflops, double MaxPowerW, double FloorPowerW, bool HasOverhead);

/// <summary>Time and accelerator energy of one image, by phase.</summary>
public readonly record struct PhaseEstimate(double TextEncodingJ, double DenoisingJ, double DecodingJ, double Seconds)
{
    public double TotalJ => TextEncodingJ + DenoisingJ + DecodingJ;
}

/// <summary>The device model's arithmetic: pure functions of the parameters, the catalog and a request.</summary>
public static class DeviceModel
{
    public static string EfficiencyKey(ModelSpec model) => model.BaseModel ?? model.Id;

    internal static DeviceProfile Profile(DeviceModelParameters p, EstimatorConstants c, DeviceSpec d)
    {
        var tdp = Math.Max(1e-3, d.TdpW);
        var peak = Math.Max(1e-6, d.PeakTflops);
        switch (d.Kind)
        {
            case DeviceKind.Cpu:
                var cpuPower = c.Priors.CpuPowerFraction * tdp;
                return new DeviceProfile(peak * p.CpuUtilisation, cpuPower, cpuPower, false);
            case DeviceKind.Apple:
                var u = c.Priors.Utilisation.GetValueOrDefault("apple", 0.3) * Math.Exp(p.GenerationUtilisationShift.GetValueOrDefault(d.Generation));
                return new DeviceProfile(peak * u, c.Priors.ApplePowerFraction * tdp, p.FloorPowerFraction * tdp, true);
        }
        var du = p.GenerationUtilisationShift.GetValueOrDefault(d.Generation);
        var dr = p.GenerationPowerShift.GetValueOrDefault(d.Generation);
        double utilisation;
        if (d.Vendor == "nvidia")
            utilisation = Math.Min(c.Priors.MaxUtilisation, p.Utilisation1000 * Math.Pow(peak / 1000, -p.UtilisationExponent)) * Math.Exp(du);
        else
            utilisation = c.Priors.Utilisation.GetValueOrDefault(d.Vendor, c.Priors.Utilisation.GetValueOrDefault("gpu", 0.25)) * Math.Exp(du);
        var max = Math.Min(1.0, p.MaxPowerFraction * Math.Exp(dr)) * tdp;
        var floor = Math.Min(max, p.FloorPowerFraction * tdp);
        return new DeviceProfile(peak * utilisation, max, floor, true);
    }

    /// <summary>Per-call overhead in seconds for a model's denoiser.</summary>
    internal static double Overhead(DeviceModelParameters p, ModelSpec m)
    {
        var perBillion = m.Architecture == ModelArchitecture.Transformer ? p.TransformerOverheadSeconds : p.UnetOverheadSeconds;
        return perBillion * Math.Pow(Math.Max(1e-6, m.DenoiserParamsB), p.OverheadExponent);
    }

    public static double Efficiency(DeviceModelParameters p, ModelSpec m, out bool fitted)
    {
        if (p.ModelEfficiency.TryGetValue(EfficiencyKey(m), out var k)) { fitted = true; return k; }
        fitted = false;
        return p.ArchitectureEfficiency.TryGetValue(m.Architecture.Name(), out k) ? k
            : p.ArchitectureEfficiency.TryGetValue("unet", out k) ? k : 1;
    }

    /// <summary>Accelerator energy and time of one image of a batch.</summary>
    public static PhaseEstimate Predict(DeviceModelParameters p, EstimatorConstants c, EstimateRequest r, double precisionFactor)
    {
        var profile = Profile(p, c, r.Device);
        var m = r.Model;
        var k = Efficiency(p, m, out _);
        var batch = Math.Max(1, r.Batch);
        var exponent = c.PixelExponent.TryGetValue(m.Architecture.Name(), out var e) ? e : 1.0;
        var pixelRatio = (double)Math.Max(1, r.Width) * Math.Max(1, r.Height) / Math.Max(1, m.NativePixels);
        var cfg = r.UsesCfg ? 2 : 1;
        var scale = k * precisionFactor / profile.EffectiveTflops; // seconds per TFLOP of this model here

        // Denoising: one call per step, the whole batch (×2 with guidance) at once.
        var compute = m.TflopsPerPass * Math.Pow(pixelRatio, exponent) * cfg * batch * scale;
        double callSeconds, callPower;
        if (profile.HasOverhead)
        {
            var overhead = Overhead(p, m);
            var n = p.Overlap;
            callSeconds = compute <= 0 ? overhead : Math.Pow(Math.Pow(overhead, n) + Math.Pow(compute, n), 1 / n);
            callPower = profile.FloorPowerW + (profile.MaxPowerW - profile.FloorPowerW) * (callSeconds > 0 ? compute / callSeconds : 1);
        }
        else
        {
            callSeconds = compute;
            callPower = profile.MaxPowerW;
        }
        var steps = Math.Max(0, r.Steps);
        var denoiseJ = steps * callSeconds * callPower / batch;
        var denoiseSeconds = steps * callSeconds / batch;

        // Text encoding (per prompt, ×2 with guidance) and decoding (one image at a time): compute-bound.
        var textSeconds = m.TextEncoderTflops * cfg * scale;
        var decodeSeconds = m.VaeDecodeTflops * pixelRatio * scale;
        return new PhaseEstimate(textSeconds * profile.MaxPowerW, denoiseJ, decodeSeconds * profile.MaxPowerW,
            denoiseSeconds + textSeconds + decodeSeconds);
    }
}
