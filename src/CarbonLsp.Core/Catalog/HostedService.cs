using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>An image service that runs on its provider's servers (DALL·E, Midjourney, …): nothing runs
/// locally, so there is no local estimate to make; the catalog says what, if anything, is published.</summary>
public sealed class HostedService
{
    [JsonProperty("id")] public string Id { get; init; } = "";
    [JsonProperty("name")] public string Name { get; init; } = "";
    [JsonProperty("provider")] public string Provider { get; init; } = "";
    [JsonProperty("aliases")] public List<string> Aliases { get; init; } = new();
    /// <summary>A published per-image estimate in plain words with its reference, or null when none is known.</summary>
    [JsonProperty("published")] public string? Published { get; init; }
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}
