using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record RegistrationParams([property: JsonProperty("registrations")] IReadOnlyList<Registration> Registrations);

public sealed record Registration(
    [property: JsonProperty("id")] string Id,
    [property: JsonProperty("method")] string Method,
    [property: JsonProperty("registerOptions", NullValueHandling = NullValueHandling.Ignore)] object? RegisterOptions = null);
