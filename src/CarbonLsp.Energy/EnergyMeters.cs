namespace CarbonLsp.Energy;

/// <summary>Picks the meter for a run: NVML when it ran on an NVIDIA GPU, RAPL when the CPU did and
/// the counters are readable, otherwise the labelled CPU-time estimate.</summary>
public static class EnergyMeters
{
    public static IEnergyMeter For(string provider)
    {
        if (provider == "cuda" && NvmlMeter.TryCreate() is { } nvml) return nvml;
        if (RaplMeter.TryCreate() is { } rapl) return rapl;
        return new CpuTimeEstimateMeter();
    }
}
