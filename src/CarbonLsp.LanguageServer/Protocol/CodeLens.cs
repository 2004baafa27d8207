using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record CodeLens([property: JsonProperty("range")] Range Range, [property: JsonProperty("command")] Command Command);
