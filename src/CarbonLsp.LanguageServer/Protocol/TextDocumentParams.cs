using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>Params with only a document (code lens, document symbols, pull diagnostics, summary).</summary>
public sealed record TextDocumentParams(
    [property: JsonProperty("textDocument")] TextDocumentIdentifier? TextDocument,
    [property: JsonProperty("previousResultId")] string? PreviousResultId = null);
