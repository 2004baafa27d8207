namespace CarbonLsp.Generation.Runs;

/// <summary>Which catalog device a local run's energy belongs to: the CPU for CPU runs; for GPU runs
/// the GPU's name mapped to the catalog, else the configured device.</summary>
public static class DeviceDetector
{
    public static string CatalogDevice(string provider, string? gpuName, string? configured) => provider switch
    {
        "cpu" => "cpu",
        "coreml" => "apple-m2",
        _ when gpuName != null && gpuName.Contains("H100") => "nvidia-h100",
        _ when gpuName != null && gpuName.Contains("A100") => "nvidia-a100",
        _ when gpuName != null && gpuName.Contains("B200") => "nvidia-b200",
        _ when gpuName != null && gpuName.Contains("4090") => "nvidia-rtx-4090",
        _ when gpuName != null && gpuName.Contains("3060") => "nvidia-rtx-3060",
        _ => configured ?? "nvidia-rtx-4090",
    };
}
