using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record CodeActionParams(
    [property: JsonProperty("textDocument")] TextDocumentIdentifier TextDocument,
    [property: JsonProperty("range")] Range Range,
    [property: JsonProperty("context")] CodeActionContext? Context);

public sealed record CodeActionContext(
    [property: JsonProperty("diagnostics")] IReadOnlyList<Diagnostic>? Diagnostics,
    [property: JsonProperty("only")] IReadOnlyList<string>? Only);
