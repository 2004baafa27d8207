using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>Either versioned documentChanges (when the client supports them) or plain changes.</summary>
public sealed record WorkspaceEdit
{
    [JsonProperty("changes", NullValueHandling = NullValueHandling.Ignore)] public Dictionary<string, IReadOnlyList<TextEdit>>? Changes { get; init; }
    [JsonProperty("documentChanges", NullValueHandling = NullValueHandling.Ignore)] public IReadOnlyList<TextDocumentEdit>? DocumentChanges { get; init; }
}
