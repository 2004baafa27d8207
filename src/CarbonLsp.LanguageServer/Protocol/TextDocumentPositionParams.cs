using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>The params of hover, completion and other position-based requests.</summary>
public sealed record TextDocumentPositionParams(
    [property: JsonProperty("textDocument")] TextDocumentIdentifier TextDocument,
    [property: JsonProperty("position")] Position Position);
