using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record DiagnosticRelatedInformation([property: JsonProperty("location")] Location Location, [property: JsonProperty("message")] string Message);
