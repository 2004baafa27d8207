using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Analysis;

/// <summary>Where the device of an analysis was named.</summary>
public enum DeviceOrigin { Override, File, Setting, Detected, Default }

/// <summary>The local hardware as the host found it (the core does no I/O): its own name and how it
/// was read, e.g. ("NVIDIA GeForce RTX 3090", "NVML").</summary>
public sealed record DetectedHardware(string Name, string Method);

/// <summary>The device an analysis prices images on, and how it was chosen, for the hover to say.</summary>
public sealed record DeviceChoice(DeviceSpec Device, DeviceOrigin Origin, string Requested, DeviceMatchKind Kind, IReadOnlyList<string> Suggestions)
{
    /// <summary>False when a generic class stands in for a name the catalog does not know.</summary>
    public bool Known => Kind != DeviceMatchKind.Generic;

    /// <summary>"RTX 4090, named in the file", "detected: … (NVML)", "the default: no device was named or detected".</summary>
    public string Explanation => Origin switch
    {
        DeviceOrigin.Override => $"given on the command line (\"{Requested}\"){KindNote}",
        DeviceOrigin.File => $"named in the file (\"{Requested}\"){KindNote}",
        DeviceOrigin.Setting => $"the editor setting carbonlsp.device (\"{Requested}\"){KindNote}",
        DeviceOrigin.Detected => $"detected on this machine: {Requested}{KindNote}",
        _ => "the default: the file names no device and none was detected",
    };

    private string KindNote => Kind switch
    {
        DeviceMatchKind.Hardware => $", read as {Device.Id}",
        DeviceMatchKind.Generic => $", unknown to the catalog: priced as the class \"{Device.Name}\" with a wide range",
        _ => "",
    };
}
