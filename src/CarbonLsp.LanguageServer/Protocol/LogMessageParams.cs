using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>window/logMessage: type 1 error, 2 warning, 3 info, 4 log.</summary>
public sealed record LogMessageParams([property: JsonProperty("type")] int Type, [property: JsonProperty("message")] string Message);
