using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record DocumentSymbol(
    [property: JsonProperty("name")] string Name,
    [property: JsonProperty("detail")] string? Detail,
    [property: JsonProperty("kind")] int Kind,
    [property: JsonProperty("range")] Range Range,
    [property: JsonProperty("selectionRange")] Range SelectionRange);

/// <summary>The flat form, for clients without hierarchical symbol support.</summary>
public sealed record SymbolInformation(
    [property: JsonProperty("name")] string Name,
    [property: JsonProperty("kind")] int Kind,
    [property: JsonProperty("location")] Location Location,
    [property: JsonProperty("containerName", NullValueHandling = NullValueHandling.Ignore)] string? ContainerName);
