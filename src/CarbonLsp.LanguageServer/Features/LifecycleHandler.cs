using CarbonLsp.LanguageServer.Configuration;
using CarbonLsp.LanguageServer.Hosting;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>initialize, initialized, shutdown, exit and $/setTrace, exactly per LSP 3.17.</summary>
internal sealed class LifecycleHandler(Hosting.LanguageServer server)
{
    public const string ServerName = "carbonlsp";

    [JsonRpcMethod(Methods.Initialize, UseSingleObjectParameterDeserialization = true)]
    public JObject Initialize(JToken? p)
    {
        if (server.IsInitialized) throw new LocalRpcException("initialize was already called.") { ErrorCode = ErrorCodes.InvalidRequest };
        if (server.IsShutDown) server.EnsureServing();
        var caps = new ClientCapabilities(p?["capabilities"]);
        var folders = new List<string>();
        if (p?["workspaceFolders"] is JArray wf)
            folders.AddRange(wf.Select(f => (string?)f["uri"]).OfType<string>());
        else if (p?["rootUri"] is JValue { Type: JTokenType.String } root) folders.Add((string)root!);
        if ((string?)p?["trace"] is { } trace) server.Log.Trace = trace;
        var problems = new List<string>();
        if (p?["initializationOptions"] is JObject init) server.Analysis.Update(ServerSettings.From(init, problems));
        server.MarkInitialized(caps, folders);
        server.Analysis.WorkspaceRoots = folders.Select(f => Uri.TryCreate(f, UriKind.Absolute, out var u) && u.IsFile ? u.LocalPath : null).OfType<string>().ToList();
        foreach (var problem in problems) server.Log.Warning(problem);
        return new JObject
        {
            ["capabilities"] = Capabilities(caps),
            ["serverInfo"] = new JObject { ["name"] = ServerName, ["version"] = typeof(LifecycleHandler).Assembly.GetName().Version?.ToString(3) },
        };
    }

    private static JObject Capabilities(ClientCapabilities caps)
    {
        var result = new JObject
        {
            ["positionEncoding"] = "utf-16",
            ["textDocumentSync"] = new JObject { ["openClose"] = true, ["change"] = (int)TextDocumentSyncKind.Incremental, ["save"] = new JObject { ["includeText"] = false } },
            ["hoverProvider"] = true,
            ["completionProvider"] = new JObject { ["triggerCharacters"] = new JArray("\"", ":", " "), ["resolveProvider"] = false },
            ["codeActionProvider"] = caps.SupportsCodeActionLiterals
                ? new JObject { ["codeActionKinds"] = new JArray(CodeActionKinds.QuickFix, CodeActionKinds.RefactorRewrite, CodeActionKinds.SourceFixAll), ["resolveProvider"] = false }
                : true,
            ["codeLensProvider"] = new JObject { ["resolveProvider"] = false },
            ["inlayHintProvider"] = new JObject { ["resolveProvider"] = false },
            ["documentSymbolProvider"] = true,
            ["executeCommandProvider"] = new JObject { ["commands"] = new JArray(ExecuteCommandHandler.Commands) },
        };
        // Pull diagnostics only for clients that pull; the others get pushed ones (never both).
        if (caps.SupportsPullDiagnostics)
            result["diagnosticProvider"] = new JObject { ["identifier"] = ServerName, ["interFileDependencies"] = false, ["workspaceDiagnostics"] = false };
        return result;
    }

    [JsonRpcMethod(Methods.Initialized, UseSingleObjectParameterDeserialization = true)]
    public async Task Initialized(JToken? p)
    {
        if (!server.IsInitialized) return;
        server.Log.Verbose("initialized");
        if (server.Client.SupportsDynamicConfigurationChange)
            await server.RequestAsync<object>(Methods.RegisterCapability,
                new RegistrationParams(new[] { new Registration("carbonlsp-configuration", Methods.DidChangeConfiguration, new { section = "carbonlsp" }) }));
        await ConfigurationHandler.PullAsync(server);
        // A client may ask for lenses and hints before it is ready to send the requests (VS Code then shows none
        // until the next edit: seen in the real VS Code test). Once it has answered the configuration pull it is:
        // ask it once to fetch them again.
        server.RefreshEditorViews();
    }

    [JsonRpcMethod(Methods.Shutdown)]
    public object? Shutdown()
    {
        server.EnsureServing();
        server.MarkShutDown();
        server.Log.Verbose("shutdown");
        return null;
    }

    [JsonRpcMethod(Methods.Exit)]
    public void Exit() => server.RequestExit();

    [JsonRpcMethod(Methods.SetTrace, UseSingleObjectParameterDeserialization = true)]
    public void SetTrace(JToken? p)
    {
        if ((string?)p?["value"] is { } value) server.Log.Trace = value;
    }
}
