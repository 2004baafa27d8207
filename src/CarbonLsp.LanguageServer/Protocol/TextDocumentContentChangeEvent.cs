using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>A change: with a range, an incremental edit; without, the whole new text.</summary>
public sealed record TextDocumentContentChangeEvent(
    [property: JsonProperty("range")] Range? Range,
    [property: JsonProperty("text")] string Text);
