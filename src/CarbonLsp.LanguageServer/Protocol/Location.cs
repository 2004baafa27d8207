using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record Location([property: JsonProperty("uri")] string Uri, [property: JsonProperty("range")] Range Range);
