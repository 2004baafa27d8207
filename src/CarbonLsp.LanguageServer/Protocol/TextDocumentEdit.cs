using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record TextDocumentEdit(
    [property: JsonProperty("textDocument")] VersionedTextDocumentIdentifier TextDocument,
    [property: JsonProperty("edits")] IReadOnlyList<TextEdit> Edits);
