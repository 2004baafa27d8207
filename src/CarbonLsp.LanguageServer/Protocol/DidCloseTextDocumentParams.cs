using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record DidCloseTextDocumentParams([property: JsonProperty("textDocument")] TextDocumentIdentifier TextDocument);
