using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record ConfigurationParams([property: JsonProperty("items")] IReadOnlyList<ConfigurationItem> Items);

public sealed record ConfigurationItem(
    [property: JsonProperty("section")] string Section,
    [property: JsonProperty("scopeUri", NullValueHandling = NullValueHandling.Ignore)] string? ScopeUri = null);
