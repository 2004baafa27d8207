using CarbonLsp.Core.Catalog;
using CarbonLsp.Energy;

namespace CarbonLsp.Generation.Runs;

/// <summary>Which catalog device a local run's energy belongs to: the device the run used, read from its
/// hardware name through the catalog (an NVIDIA GPU by NVML's name, the CPU by its model name), else
/// the configured device, else a named generic class, never another device.</summary>
public static class DeviceDetector
{
    public static DeviceSpec CatalogDevice(ModelCatalog catalog, string provider, string? gpuName, string? configured)
    {
        var resolver = catalog.DeviceResolver;
        string? hardware = provider switch
        {
            "cpu" => HardwareProbe.Cpu?.Name,
            _ => gpuName,
        };
        if (hardware != null && resolver.FromHardwareName(hardware) is { } found) return found;
        if (configured != null && catalog.FindDevice(configured) is { } named) return named;
        if (provider == "cpu") return catalog.FindDevice("cpu")!;
        return hardware != null ? resolver.GenericFor(hardware) : provider == "coreml" ? resolver.GenericFor("apple") : resolver.GenericFor("gpu");
    }
}
