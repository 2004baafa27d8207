using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record TextDocumentIdentifier([property: JsonProperty("uri")] string Uri);
