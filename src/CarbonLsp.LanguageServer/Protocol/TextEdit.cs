using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record TextEdit([property: JsonProperty("range")] Range Range, [property: JsonProperty("newText")] string NewText);
