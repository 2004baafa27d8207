using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>Params with a document and a range (inlay hints).</summary>
public sealed record RangeParams(
    [property: JsonProperty("textDocument")] TextDocumentIdentifier TextDocument,
    [property: JsonProperty("range")] Range Range);
