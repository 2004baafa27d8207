using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>Pull diagnostics result: "full" with items, or "unchanged" for the same result id.</summary>
public sealed record DocumentDiagnosticReport(
    [property: JsonProperty("kind")] string Kind,
    [property: JsonProperty("resultId")] string ResultId,
    [property: JsonProperty("items", NullValueHandling = NullValueHandling.Ignore), JsonConverter(typeof(DiagnosticListConverter))] IReadOnlyList<Diagnostic>? Items);
