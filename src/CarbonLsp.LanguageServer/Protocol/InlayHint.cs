using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record InlayHint
{
    [JsonProperty("position")] public required Position Position { get; init; }
    [JsonProperty("label")] public required string Label { get; init; }
    [JsonProperty("tooltip", NullValueHandling = NullValueHandling.Ignore)] public MarkupContent? Tooltip { get; init; }
    [JsonProperty("paddingLeft")] public bool PaddingLeft { get; init; } = true;
}
