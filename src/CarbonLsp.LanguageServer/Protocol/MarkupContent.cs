using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record MarkupContent([property: JsonProperty("kind")] string Kind, [property: JsonProperty("value")] string Value);
