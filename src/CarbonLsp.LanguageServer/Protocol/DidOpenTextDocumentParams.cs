using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record DidOpenTextDocumentParams([property: JsonProperty("textDocument")] TextDocumentItem TextDocument);
