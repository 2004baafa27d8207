using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>LSP Position: zero-based line and UTF-16 character.</summary>
public sealed record Position([property: JsonProperty("line")] int Line, [property: JsonProperty("character")] int Character);
