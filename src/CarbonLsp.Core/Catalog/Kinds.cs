using System.Runtime.Serialization;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace CarbonLsp.Core.Catalog;

/// <summary>What computes: decides the device model's branch (launch overhead, power).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DeviceKind
{
    [EnumMember(Value = "gpu")] Gpu,
    [EnumMember(Value = "cpu")] Cpu,
    [EnumMember(Value = "apple")] Apple,
}

/// <summary>A denoiser's architecture: selects per-call overhead, pixel scaling and the median efficiency.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ModelArchitecture
{
    [EnumMember(Value = "unet")] Unet,
    [EnumMember(Value = "transformer")] Transformer,
    [EnumMember(Value = "tiny")] Tiny,
}

/// <summary>Where such a device usually runs: decides its usual PUE and host power.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum DeviceClass
{
    [EnumMember(Value = "desktop")] Desktop,
    [EnumMember(Value = "laptop")] Laptop,
    [EnumMember(Value = "workstation")] Workstation,
    [EnumMember(Value = "data-centre")] DataCentre,
}

public static class KindNames
{
    /// <summary>The catalog's own spelling ("unet", "gpu"), for keys of its tables and for messages.</summary>
    public static string Name(this ModelArchitecture a) => a switch
    {
        ModelArchitecture.Transformer => "transformer",
        ModelArchitecture.Tiny => "tiny",
        _ => "unet",
    };

    public static string Name(this DeviceKind k) => k switch
    {
        DeviceKind.Cpu => "cpu",
        DeviceKind.Apple => "apple",
        _ => "gpu",
    };
}
