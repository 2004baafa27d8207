using CarbonLsp.Core.Analysis;
using CarbonLsp.Energy;

namespace CarbonLsp.Workspace;

/// <summary>The local hardware for analyses that name no device (CARBONLSP_DETECT_DEVICE=0: none).</summary>
public static class LocalDevice
{
    public static DetectedHardware? Detected => HardwareProbe.Local is { } hw ? new DetectedHardware(hw.Name, hw.Method) : null;
}
