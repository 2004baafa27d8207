using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record Hover([property: JsonProperty("contents")] MarkupContent Contents, [property: JsonProperty("range")] Range Range);
