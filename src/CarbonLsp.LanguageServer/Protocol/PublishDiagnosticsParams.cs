using Newtonsoft.Json;

// Written by ResilientMessageHandler from DiagnosticJson's bytes; the converter serves any other path.

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record PublishDiagnosticsParams(
    [property: JsonProperty("uri")] string Uri,
    [property: JsonProperty("version", NullValueHandling = NullValueHandling.Ignore)] int? Version,
    [property: JsonProperty("diagnostics"), JsonConverter(typeof(DiagnosticListConverter))] IReadOnlyList<Diagnostic> Diagnostics);
