using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record CodeDescription([property: JsonProperty("href")] string Href);
