using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record TextDocumentItem(
    [property: JsonProperty("uri")] string Uri,
    [property: JsonProperty("languageId")] string? LanguageId,
    [property: JsonProperty("version")] int Version,
    [property: JsonProperty("text")] string Text);
