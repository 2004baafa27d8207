using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record Range([property: JsonProperty("start")] Position Start, [property: JsonProperty("end")] Position End);
