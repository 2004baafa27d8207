using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record DidChangeTextDocumentParams(
    [property: JsonProperty("textDocument")] VersionedTextDocumentIdentifier TextDocument,
    [property: JsonProperty("contentChanges")] IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);
