using CarbonLsp.LanguageServer.Configuration;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>Settings: pulled with workspace/configuration (section "carbonlsp") after initialized and
/// on every didChangeConfiguration; clients that cannot be asked push them in the notification.
/// A change re-analyses the open files.</summary>
internal sealed class ConfigurationHandler(Hosting.LanguageServer server)
{
    [JsonRpcMethod(Methods.DidChangeConfiguration, UseSingleObjectParameterDeserialization = true)]
    public async Task DidChangeConfiguration(JToken? p)
    {
        if (!server.IsInitialized) return;
        if (server.Client.SupportsConfiguration) await PullAsync(server);
        else if (p?["settings"] is JObject settings) Apply(server, settings);
    }

    public static async Task PullAsync(Hosting.LanguageServer server)
    {
        if (!server.Client.SupportsConfiguration) return;
        var result = await server.RequestAsync<JArray>(Methods.Configuration, new ConfigurationParams(new[] { new ConfigurationItem("carbonlsp") }));
        if (result is { Count: > 0 } && result[0] is JObject section) Apply(server, section);
    }

    private static void Apply(Hosting.LanguageServer server, JObject section)
    {
        var problems = new List<string>();
        var settings = ServerSettings.From(section, problems);
        foreach (var problem in problems) server.Log.Warning(problem);
        if (settings == server.Analysis.Settings) return;
        server.ApplySettings(settings);
    }
}
