using System.Reflection;
using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>
/// The embedded catalog: models, devices, grid intensities, equivalents and estimator constants,
/// every number with its source. Loaded once from the assembly's resources (no file I/O).
/// </summary>
public sealed class ModelCatalog
{
    [JsonProperty("version")] public string Version { get; init; } = "";
    [JsonProperty("references")] public Dictionary<string, string> References { get; init; } = new();
    [JsonProperty("estimator")] public EstimatorConstants Estimator { get; init; } = new();
    [JsonProperty("rating")] public RatingConstants Rating { get; init; } = new();
    [JsonProperty("equivalents")] public EquivalentConstants Equivalents { get; init; } = new();
    [JsonProperty("defaults")] public CatalogDefaults Defaults { get; init; } = new();
    [JsonProperty("devices")] public List<DeviceSpec> Devices { get; init; } = new();
    [JsonProperty("regions")] public List<RegionIntensity> Regions { get; init; } = new();
    [JsonProperty("models")] public List<ModelSpec> Models { get; init; } = new();
    [JsonProperty("hostedServices")] public List<HostedService> HostedServices { get; init; } = new();

    private Dictionary<string, ModelSpec> _modelsByName = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, DeviceSpec> _devicesById = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, RegionIntensity> _regionsByCode = new(StringComparer.OrdinalIgnoreCase);
    private DeviceResolver? _deviceResolver;

    private static readonly Lazy<ModelCatalog> s_default = new(() => Parse(ReadResource("CarbonLsp.Core.catalog.json")));

    /// <summary>The catalog shipped inside the assembly.</summary>
    public static ModelCatalog Default => s_default.Value;

    public static ModelCatalog Parse(string json)
    {
        var catalog = JsonConvert.DeserializeObject<ModelCatalog>(json) ?? throw new InvalidDataException("Empty catalog.");
        catalog.Index();
        return catalog;
    }

    internal static string ReadResource(string name)
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Missing embedded resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private void Index()
    {
        _modelsByName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var m in Models)
        {
            _modelsByName[m.Id] = m;
            foreach (var a in m.Aliases) _modelsByName[a] = m;
        }
        _devicesById = new(StringComparer.OrdinalIgnoreCase);
        foreach (var d in Devices)
        {
            _devicesById[d.Id] = d;
            foreach (var a in d.Aliases) _devicesById.TryAdd(a, d);
        }
        _deviceResolver = new DeviceResolver(this);
        _regionsByCode = Regions.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Finds a model by id, alias or Hugging Face repo id, case-insensitively. A trailing
    /// slash or a "-onnx" suffix (common for ONNX ports) is ignored.</summary>
    public ModelSpec? FindModel(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var key = name.Trim().TrimEnd('/');
        if (_modelsByName.TryGetValue(key, out var m)) return m;
        foreach (var suffix in new[] { "-onnx", "_onnx", "-fp16", "-onnx-fp16" })
            if (key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && _modelsByName.TryGetValue(key[..^suffix.Length], out m))
                return m;
        return null;
    }

    public ModelSpec? FindModelById(string id) => _modelsByName.TryGetValue(id, out var m) && string.Equals(m.Id, id, StringComparison.OrdinalIgnoreCase) ? m : null;
    /// <summary>A device by catalog id or alias, case-insensitively; null for anything else.</summary>
    public DeviceSpec? FindDevice(string? id) => id != null && _devicesById.TryGetValue(id.Trim(), out var d) ? d : null;
    private ModelResolver? _modelResolver;
    /// <summary>Resolves model names the catalog does not know: families, hosted services, suggestions.</summary>
    public ModelResolver ModelResolver => _modelResolver ??= new ModelResolver(this);
    /// <summary>Resolves any device name: ids, aliases, hardware names, and a generic class for the rest.</summary>
    public DeviceResolver DeviceResolver => _deviceResolver ??= new DeviceResolver(this);
    public RegionIntensity? FindRegion(string? code) => code != null && _regionsByCode.TryGetValue(code.Trim(), out var r) ? r : null;
    public RegionIntensity World => FindRegion("WORLD")!;

    /// <summary>The region a user probably meant: a country written by name ("Germany" -> DE), a code in another
    /// case, or, for a sub-national code ("US-CA"), its country, with the reason: the catalog holds national
    /// averages only (a state's grid differs from its country's, so it is not priced silently as either).</summary>
    public (RegionIntensity? Region, string Why) MeantRegion(string name)
    {
        var trimmed = name.Trim();
        var byName = Regions.FirstOrDefault(r => string.Equals(r.Name, trimmed, StringComparison.OrdinalIgnoreCase)
                                                          || string.Equals(r.Code, trimmed, StringComparison.OrdinalIgnoreCase));
        if (byName != null) return (byName, "");
        var dash = trimmed.IndexOfAny(new[] { '-', '_' });
        if (dash > 0 && FindRegion(trimmed[..dash].ToUpperInvariant()) is { } country)
            return (country, $": sub-national grids are not in the catalog, which has national averages only (a state's or province's grid can differ a lot from its country's)");
        return (null, "");
    }

    public ModelSpec DefaultModel => FindModel(Defaults.Model)!;
    public DeviceSpec DefaultDevice => FindDevice(Defaults.Device)!;
}
