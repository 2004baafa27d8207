using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record Diagnostic
{
    [JsonProperty("range")] public required Range Range { get; init; }
    [JsonProperty("severity")] public DiagnosticSeverity Severity { get; init; }
    [JsonProperty("code")] public string? Code { get; init; }
    [JsonProperty("codeDescription", NullValueHandling = NullValueHandling.Ignore)] public CodeDescription? CodeDescription { get; init; }
    public const string DefaultSource = "carbonlsp";
    [JsonProperty("source")] public string Source { get; init; } = DefaultSource;
    [JsonProperty("message")] public required string Message { get; init; }
    [JsonProperty("tags", NullValueHandling = NullValueHandling.Ignore)] public DiagnosticTag[]? Tags { get; init; }
    [JsonProperty("relatedInformation", NullValueHandling = NullValueHandling.Ignore)] public DiagnosticRelatedInformation[]? RelatedInformation { get; init; }
}
