using System.Threading.Channels;
using CarbonLsp.LanguageServer.Documents;
using Nerdbank.Streams;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>
/// A real JSON-RPC client connected to an in-process server over a full-duplex stream, with the
/// production formatter. It answers the server's requests (configuration, registration, refresh) the
/// way an editor would and records its notifications; every wait has a timeout.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly JsonRpc _rpc;
    private readonly Hosting.LanguageServer _server;
    private readonly ClientTarget _target;

    public TestClient(JObject? settings = null, TextWriter? stderr = null)
    {
        var (a, b) = FullDuplexStream.CreatePair();
        _server = new Hosting.LanguageServer(a, a, new AnalysisService(), new Hosting.ServerLog(stderr ?? TextWriter.Null));
        _server.Start();
        _target = new ClientTarget { Settings = settings ?? new JObject() };
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(b, b, new JsonMessageFormatter()));
        _rpc.AddLocalRpcTarget(_target, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        _rpc.StartListening();
    }

    public Hosting.LanguageServer Server => _server;
    public ClientTarget Target => _target;

    /// <summary>Capabilities like VS Code's (everything on), or trimmed to Neovim 0.7's in tests that say so.</summary>
    public static JObject FullCapabilities(bool pullDiagnostics = false) => JObject.Parse($$"""
        {
          "workspace": { "configuration": true, "didChangeConfiguration": { "dynamicRegistration": true }, "workspaceEdit": { "documentChanges": true },
                         "inlayHint": { "refreshSupport": true }, "codeLens": { "refreshSupport": true } },
          "window": { "workDoneProgress": true, "showDocument": { "support": true } },
          "textDocument": {
            "publishDiagnostics": { "relatedInformation": true, "tagSupport": { "valueSet": [1, 2] }, "codeDescriptionSupport": true },
            "hover": { "contentFormat": ["markdown", "plaintext"] },
            "codeAction": { "codeActionLiteralSupport": { "codeActionKind": { "valueSet": ["quickfix", "refactor", "source"] } } },
            "documentSymbol": { "hierarchicalDocumentSymbolSupport": true }
            {{(pullDiagnostics ? ", \"diagnostic\": { \"dynamicRegistration\": false }" : "")}}
          }
        }
        """);

    public async Task<JObject> InitializeAsync(JObject? capabilities = null, JObject? initializationOptions = null, string? rootUri = null)
    {
        var result = await RequestAsync<JObject>("initialize", new JObject
        {
            ["processId"] = null,
            ["rootUri"] = rootUri,
            ["capabilities"] = capabilities ?? FullCapabilities(),
            ["initializationOptions"] = initializationOptions,
        });
        await NotifyAsync("initialized", new JObject());
        return result;
    }

    public async Task<T> RequestAsync<T>(string method, object? parameters, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        return await _rpc.InvokeWithParameterObjectAsync<T>(method, parameters, cts.Token);
    }

    public Task<JToken> RequestAsyncWithToken(string method, object parameters, CancellationToken ct) =>
        _rpc.InvokeWithParameterObjectAsync<JToken>(method, parameters, ct);

    public Task NotifyAsync(string method, object parameters) => _rpc.NotifyWithParameterObjectAsync(method, parameters);

    public Task OpenAsync(string uri, string text, int version = 1) =>
        NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "json", version, text } });

    public Task ChangeAsync(string uri, int version, params object[] changes) =>
        NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version }, contentChanges = changes });

    /// <summary>Waits until the server has processed everything sent so far: a real request's handler is
    /// dispatched after the (synchronous) notification handlers that arrived before it. (An unknown
    /// method is no barrier: it is answered without waiting for the dispatch queue.)</summary>
    public Task SyncAsync() => RequestAsync<JToken>("textDocument/documentSymbol", new { textDocument = new { uri = "file:///sync-barrier.prompts.json" } });

    /// <summary>The next diagnostics published for a document that satisfy a condition.</summary>
    public async Task<JObject> DiagnosticsAsync(string uri, Func<JArray, bool>? until = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        while (true)
        {
            var n = await _target.Diagnostics.Reader.ReadAsync(cts.Token);
            if ((string?)n["uri"] == uri && (until == null || until((JArray)n["diagnostics"]!))) return n;
        }
    }

    public static object Pos(int line, int character) => new { line, character };

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        _server.Dispose();
        await Task.CompletedTask;
    }

    public sealed class ClientTarget
    {
        public JObject Settings { get; set; } = new();
        public Channel<JObject> Diagnostics { get; } = Channel.CreateUnbounded<JObject>();
        public List<JObject> Logs { get; } = new();
        public List<string> Requests { get; } = new();

        [JsonRpcMethod("textDocument/publishDiagnostics")]
        public void PublishDiagnostics(JObject p) => Diagnostics.Writer.TryWrite(p);

        [JsonRpcMethod("window/logMessage")]
        public void LogMessage(JObject p) { lock (Logs) Logs.Add(p); }

        [JsonRpcMethod("workspace/configuration")]
        public JArray Configuration(JObject p) { lock (Requests) Requests.Add("workspace/configuration"); return new JArray(Settings); }

        [JsonRpcMethod("client/registerCapability")]
        public object? Register(JObject p) { lock (Requests) Requests.Add("client/registerCapability:" + p["registrations"]![0]!["method"]); return null; }

        [JsonRpcMethod("workspace/inlayHint/refresh")]
        public object? InlayRefresh() { lock (Requests) Requests.Add("workspace/inlayHint/refresh"); return null; }

        public List<JObject> Progress { get; } = new();
        public List<string> Shown { get; } = new();

        [JsonRpcMethod("$/progress")]
        public void OnProgress(JObject p) { lock (Progress) Progress.Add(p); }

        [JsonRpcMethod("window/workDoneProgress/create")]
        public object? CreateProgress(JObject p) { lock (Requests) Requests.Add("window/workDoneProgress/create"); return null; }

        [JsonRpcMethod("window/showDocument")]
        public JObject ShowDocument(JObject p) { lock (Shown) Shown.Add((string)p["uri"]!); return new JObject { ["success"] = true }; }

        [JsonRpcMethod("workspace/codeLens/refresh")]
        public object? LensRefresh() { lock (Requests) Requests.Add("workspace/codeLens/refresh"); return null; }
    }
}
