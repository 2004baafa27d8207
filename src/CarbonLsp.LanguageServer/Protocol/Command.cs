using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record Command(
    [property: JsonProperty("title")] string Title,
    [property: JsonProperty("command")] string Name,
    [property: JsonProperty("arguments", NullValueHandling = NullValueHandling.Ignore)] JArray? Arguments = null);
