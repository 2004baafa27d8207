using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>An accelerator (or CPU) with the specifications the estimator needs.</summary>
public sealed class DeviceSpec
{
    [JsonProperty("id")] public string Id { get; init; } = "";
    [JsonProperty("name")] public string Name { get; init; } = "";
    /// <summary>"gpu", "cpu" or "apple".</summary>
    [JsonProperty("kind")] public string Kind { get; init; } = "gpu";
    [JsonProperty("tdpW")] public double TdpW { get; init; }
    /// <summary>Dense fp16/bf16 peak (tensor cores where present), TFLOPS.</summary>
    [JsonProperty("peakTflops")] public double PeakTflops { get; init; }
    /// <summary>How much longer (and costlier) an fp32 run is than fp16 on this device.</summary>
    [JsonProperty("fp32Slowdown")] public double Fp32Slowdown { get; init; } = 1;
    /// <summary>Power of the rest of the machine (CPU, RAM, board) while the accelerator works, W.</summary>
    [JsonProperty("hostW")] public double HostW { get; init; }
    [JsonProperty("memoryGb")] public double MemoryGb { get; init; }
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
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
