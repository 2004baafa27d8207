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

/// <summary>A numeric format for weights and activations: the file's "precision", the key of the catalog's
/// sourced table of quantised formats. The schema's enum lists the same names (a test holds them equal);
/// <see cref="Documents.FieldNames.Precisions"/> is read from this enum.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum Precision
{
    [EnumMember(Value = "fp32")] Fp32,
    [EnumMember(Value = "fp16")] Fp16,
    [EnumMember(Value = "bf16")] Bf16,
    [EnumMember(Value = "fp8")] Fp8,
    [EnumMember(Value = "int8")] Int8,
    [EnumMember(Value = "nvfp4")] Nvfp4,
    [EnumMember(Value = "nf4")] Nf4,
    [EnumMember(Value = "int8-weight")] Int8Weight,
    [EnumMember(Value = "gguf-q4")] GgufQ4,
    [EnumMember(Value = "bnb-int8")] BnbInt8,
}

/// <summary>What a quantised format needs of the device to run fast (else it is priced as fp16).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum PrecisionRequirement
{
    [EnumMember(Value = "none")] None,
    /// <summary>fp8 tensor cores (<see cref="DeviceSpec.Fp8"/>).</summary>
    [EnumMember(Value = "fp8")] Fp8,
    /// <summary>Blackwell's fp4 (the device's generation).</summary>
    [EnumMember(Value = "blackwell")] Blackwell,
    /// <summary>Any GPU (the kernels exist only there).</summary>
    [EnumMember(Value = "gpu")] Gpu,
}

/// <summary>A model family: models of one family share a text encoder and a latent space (the catalog's
/// "tier"). "toy" marks models for tests and demos, never suggested as an alternative.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ModelFamily
{
    [EnumMember(Value = "sd15")] Sd15,
    [EnumMember(Value = "sd2")] Sd2,
    [EnumMember(Value = "sdxl")] Sdxl,
    [EnumMember(Value = "sd3")] Sd3,
    [EnumMember(Value = "flux")] Flux,
    [EnumMember(Value = "pixart")] Pixart,
    [EnumMember(Value = "sana")] Sana,
    [EnumMember(Value = "kandinsky")] Kandinsky,
    [EnumMember(Value = "hunyuan")] Hunyuan,
    [EnumMember(Value = "toy")] Toy,
}

public static class KindNames
{
    /// <summary>Every precision's name, in the enum's order (the schema's order).</summary>
    public static IReadOnlyList<string> PrecisionNames => WireNames<Precision>.All;

    /// <summary>The file's spelling ("fp16", "int8-weight").</summary>
    public static string Name(this Precision p) => WireNames<Precision>.Of(p);

    /// <summary>The precision a file's value names (exact spelling, as the schema's enum), if any.</summary>
    public static bool TryParsePrecision(string? name, out Precision precision)
    {
        var i = name == null ? -1 : Array.IndexOf(WireNames<Precision>.All, name);
        precision = i >= 0 ? (Precision)i : Precision.Fp16;
        return i >= 0;
    }

    public static string Name(this ModelFamily f) => WireNames<ModelFamily>.Of(f);

    /// <summary>The catalog's own spelling ("unet", "gpu"), for keys of its tables and for messages.</summary>
    public static string Name(this ModelArchitecture a) => WireNames<ModelArchitecture>.Of(a);

    public static string Name(this DeviceKind k) => WireNames<DeviceKind>.Of(k);

    // Each value's [EnumMember] spelling, read once per enum: the one spelling, shared with the catalog's JSON.
    // The kinds above number their members 0, 1, 2... in order, so a value is its index.
    private static class WireNames<T> where T : struct, Enum
    {
        public static readonly string[] All = Enum.GetValues<T>()
            .Select(v => typeof(T).GetField(v.ToString())!.GetCustomAttributes(typeof(EnumMemberAttribute), false).OfType<EnumMemberAttribute>().Single().Value!)
            .ToArray();

        public static string Of(T value) => All[System.Runtime.CompilerServices.Unsafe.As<T, int>(ref value)]; // int-backed; no boxing on a hot path
    }
}
