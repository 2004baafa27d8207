using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record VersionedTextDocumentIdentifier(
    [property: JsonProperty("uri")] string Uri,
    [property: JsonProperty("version", NullValueHandling = NullValueHandling.Include)] int? Version);
