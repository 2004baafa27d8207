using CarbonLsp.LanguageServer.Configuration;
using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Features;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>
/// The server: one JsonRpc connection, the lifecycle state, the client's capabilities, the settings
/// and the open documents. Handlers (one class per LSP feature, in Features/) are registered as
/// RPC targets here. Ordering: StreamJsonRpc dispatches one message at a time, in arrival order, up
/// to a handler's first await; document writers are synchronous, so edits apply in order, and
/// readers capture their snapshot before awaiting.
/// </summary>
public sealed class LanguageServer : IDisposable
{
    private readonly JsonRpc _rpc;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state; // 0 new, 1 initialized, 2 shut down

    public LanguageServer(Stream sendingStream, Stream receivingStream, AnalysisService? analysis = null, ServerLog? log = null)
    {
        Log = log ?? new ServerLog();
        Analysis = analysis ?? new AnalysisService();
        Documents = new DocumentStore(Analysis);
        // A new live grid figure changes every estimate: analyse the open files again, as after a settings change.
        Analysis.Grid.Changed += () => { if (IsInitialized) OnCalibrationChanged(); };
        Analysis.Grid.Problem += message => Log.Warning(message);
        var formatter = new JsonMessageFormatter();
        formatter.JsonSerializer.NullValueHandling = NullValueHandling.Ignore;
        formatter.JsonSerializer.ContractResolver = new DefaultContractResolver();
        var handler = new ResilientMessageHandler(sendingStream, receivingStream, formatter, Log);
        _rpc = new CarbonJsonRpc(handler, Log) { CancelLocallyInvokedMethodsWhenConnectionIsClosed = true };
        Diagnostics = new DiagnosticsPublisher(this);
        var options = new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true, AllowNonPublicInvocation = false };
        foreach (var target in Handlers.Create(this)) _rpc.AddLocalRpcTarget(target, options);
        Log.Attach((method, p) => NotifyAsync(method, p), () => _state == 1 && !_rpc.IsDisposed && !_exit.Task.IsCompleted);
        _rpc.Disconnected += (_, e) =>
        {
            if (e.Reason != DisconnectedReason.LocallyDisposed) Log.Verbose($"connection closed: {e.Description}");
            _exit.TrySetResult(_state == 2 ? 0 : 1);
        };
    }

    public ServerLog Log { get; }
    public AnalysisService Analysis { get; }
    public DocumentStore Documents { get; }
    public DiagnosticsPublisher Diagnostics { get; }
    /// <summary>Returns the GC's free space to the system after the user stops typing (null: turned off).</summary>
    internal IdleMemoryTrim? MemoryTrim { get; } = IdleMemoryTrim.ConfiguredDelay() is { } delay ? new IdleMemoryTrim(delay) : null;
    internal Features.Generation.GenerationHandler? Generation { get; set; }
    public ClientCapabilities Client { get; private set; } = ClientCapabilities.None;
    public IReadOnlyList<string> WorkspaceFolders { get; private set; } = Array.Empty<string>();
    public bool IsInitialized => _state == 1;
    public bool IsShutDown => _state == 2;

    /// <summary>Completes with the process exit code: 0 after shutdown + exit, 1 otherwise.</summary>
    public Task<int> Completion => _exit.Task;

    public void Start() => _rpc.StartListening();

    internal void MarkInitialized(ClientCapabilities client, IReadOnlyList<string> folders)
    {
        Client = client;
        WorkspaceFolders = folders;
        Interlocked.CompareExchange(ref _state, 1, 0);
    }

    internal void MarkShutDown() => Interlocked.Exchange(ref _state, 2);

    internal void RequestExit() => _exit.TrySetResult(_state == 2 ? 0 : 1);

    /// <summary>Throws the LSP error for requests that come too early or too late.</summary>
    internal void EnsureServing()
    {
        if (_state == 0) throw new LocalRpcException("The server is not initialized yet.") { ErrorCode = ErrorCodes.ServerNotInitialized };
        if (_state == 2) throw new LocalRpcException("The server is shutting down.") { ErrorCode = ErrorCodes.InvalidRequest };
    }

    /// <summary>Notifications to the client; a closed connection is not an error here.</summary>
    public async Task NotifyAsync(string method, object parameters)
    {
        try { await _rpc.NotifyWithParameterObjectAsync(method, parameters).ConfigureAwait(false); }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException) { }
    }

    /// <summary>Requests to the client; returns default when the connection is gone or the client errs.</summary>
    public async Task<T?> RequestAsync<T>(string method, object? parameters, CancellationToken ct = default)
    {
        try { return await _rpc.InvokeWithParameterObjectAsync<T>(method, parameters, ct).ConfigureAwait(false); }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or RemoteInvocationException or OperationCanceledException or RemoteRpcException)
        {
            Log.Verbose($"{method} to the client failed: {ex.Message}");
            return default;
        }
    }

    /// <summary>The ledger changed (a run finished): its measurements calibrate the estimates and decide the
    /// CL201 hints, so every open file is analysed again, as after a settings change.</summary>
    public void OnCalibrationChanged() => ApplySettings(Analysis.Settings);

    public void ApplySettings(ServerSettings settings)
    {
        Analysis.Update(settings);
        Log.Verbose($"settings: {settings}");
        var fresh = Documents.Refresh();
        foreach (var s in fresh) Diagnostics.Schedule(s, immediate: true);
        RefreshEditorViews();
        if (Client.SupportsPullDiagnostics && Client.SupportsDiagnosticRefresh) _ = RequestAsync<object>(Methods.DiagnosticRefresh, null);
    }

    /// <summary>Asks the client to fetch inlay hints and code lenses again (when it can be asked).</summary>
    public void RefreshEditorViews()
    {
        if (Client.SupportsInlayHintRefresh) _ = RequestAsync<object>(Methods.InlayHintRefresh, null);
        if (Client.SupportsCodeLensRefresh) _ = RequestAsync<object>(Methods.CodeLensRefresh, null);
    }

    public void Dispose()
    {
        Diagnostics.Dispose();
        MemoryTrim?.Dispose();
        _rpc.Dispose();
        Generation?.Dispose(); // every root's ONNX sessions and ledger
        Analysis.Grid.Dispose();
    }
}
