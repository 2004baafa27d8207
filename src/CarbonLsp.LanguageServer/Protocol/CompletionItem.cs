using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record CompletionItem
{
    [JsonProperty("label")] public required string Label { get; init; }
    [JsonProperty("kind")] public CompletionItemKind Kind { get; init; } = CompletionItemKind.Value;
    [JsonProperty("detail", NullValueHandling = NullValueHandling.Ignore)] public string? Detail { get; init; }
    [JsonProperty("documentation", NullValueHandling = NullValueHandling.Ignore)] public MarkupContent? Documentation { get; init; }
    [JsonProperty("sortText", NullValueHandling = NullValueHandling.Ignore)] public string? SortText { get; init; }
    [JsonProperty("filterText", NullValueHandling = NullValueHandling.Ignore)] public string? FilterText { get; init; }
    [JsonProperty("textEdit", NullValueHandling = NullValueHandling.Ignore)] public TextEdit? TextEdit { get; init; }
}

public sealed record CompletionList([property: JsonProperty("isIncomplete")] bool IsIncomplete, [property: JsonProperty("items")] IReadOnlyList<CompletionItem> Items);
