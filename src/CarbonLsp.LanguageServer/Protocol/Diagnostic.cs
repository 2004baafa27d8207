using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record Diagnostic
{
    [JsonProperty("range")] public required Range Range { get; init; }
    /// <summary>1 error, 2 warning, 3 information, 4 hint.</summary>
    [JsonProperty("severity")] public int Severity { get; init; }
    [JsonProperty("code")] public string? Code { get; init; }
    [JsonProperty("codeDescription", NullValueHandling = NullValueHandling.Ignore)] public CodeDescription? CodeDescription { get; init; }
    [JsonProperty("source")] public string Source { get; init; } = "carbonlsp";
    [JsonProperty("message")] public required string Message { get; init; }
    /// <summary>1 unnecessary, 2 deprecated.</summary>
    [JsonProperty("tags", NullValueHandling = NullValueHandling.Ignore)] public int[]? Tags { get; init; }
    [JsonProperty("relatedInformation", NullValueHandling = NullValueHandling.Ignore)] public DiagnosticRelatedInformation[]? RelatedInformation { get; init; }
}
