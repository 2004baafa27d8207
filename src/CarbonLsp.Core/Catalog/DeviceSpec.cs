using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>An accelerator (or CPU) with the specifications the estimator needs.</summary>
public sealed class DeviceSpec
{
    [JsonProperty("id")] public string Id { get; init; } = "";
    [JsonProperty("name")] public string Name { get; init; } = "";
    [JsonProperty("kind")] public DeviceKind Kind { get; init; } = DeviceKind.Gpu;
    /// <summary>Where such a device usually runs: "data-centre", "workstation", "desktop", "laptop".
    /// Decides the default PUE and which generic class stands in for an unknown device of the kind.</summary>
    [JsonProperty("class")] public DeviceClass Class { get; init; } = DeviceClass.Desktop;
    /// <summary>"nvidia", "amd", "intel", "apple" or "cpu".</summary>
    [JsonProperty("vendor")] public string Vendor { get; init; } = "";
    /// <summary>Chip generation ("hopper", "ampere", "ada", …): devices of one generation share how well
    /// diffusion models use them (the fitted utilisation).</summary>
    [JsonProperty("generation")] public string Generation { get; init; } = "";
    /// <summary>A named class standing in for a device the catalog does not know (wide range).</summary>
    [JsonProperty("generic")] public bool Generic { get; init; }
    [JsonProperty("aliases")] public List<string> Aliases { get; init; } = new();
    /// <summary>Phrases of the hardware's own name (NVML, /proc/cpuinfo, sysctl) that identify it; the
    /// longest matching phrase wins, so "rtx 4090 laptop" beats "rtx 4090".</summary>
    [JsonProperty("match")] public List<string> Match { get; init; } = new();
    [JsonProperty("tdpW")] public double TdpW { get; init; }
    /// <summary>Dense fp16/bf16 peak (tensor cores where present), TFLOPS.</summary>
    [JsonProperty("peakTflops")] public double PeakTflops { get; init; }
    /// <summary>How much longer (and costlier) an fp32 run is than fp16 on this device.</summary>
    [JsonProperty("fp32Slowdown")] public double Fp32Slowdown { get; init; } = 1;
    /// <summary>Whether the device has fp8 tensor cores (Ada, Hopper, Blackwell, CDNA3).</summary>
    [JsonProperty("fp8")] public bool Fp8 { get; init; }
    /// <summary>Power of the rest of the machine (CPU, RAM, board) while the accelerator works, W.</summary>
    [JsonProperty("hostW")] public double HostW { get; init; }
    [JsonProperty("memoryGb")] public double MemoryGb { get; init; }
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();

    public bool IsDataCentre => Class == DeviceClass.DataCentre;
    public override string ToString() => Id;
}

public sealed class RegionIntensity
{
    [JsonProperty("code")] public string Code { get; init; } = "";
    [JsonProperty("name")] public string Name { get; init; } = "";
    [JsonProperty("gPerKWh")] public double GramsPerKWh { get; init; }
    [JsonProperty("year")] public int Year { get; init; }
    [JsonProperty("source")] public string Source { get; init; } = "";
}
