using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Features.Generation;

/// <summary>LSP work-done progress with a token: one begin, reports, one end (guaranteed by Dispose).
/// Sent as named $/progress params, never through StreamJsonRpc's IProgress (which can send positional ones).</summary>
internal sealed class WorkDoneProgress : IAsyncDisposable
{
    private readonly Hosting.LanguageServer _server;
    private readonly JToken? _token;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private bool _ended;

    private WorkDoneProgress(Hosting.LanguageServer server, JToken? token)
    {
        _server = server;
        _token = token;
    }

    public JToken? Token => _token;

    /// <summary>Uses the client's workDoneToken, or asks the client for a new one when it supports
    /// server-initiated progress; otherwise progress is silent.</summary>
    public static async Task<WorkDoneProgress> BeginAsync(Hosting.LanguageServer server, JToken? clientToken, string title)
    {
        var token = clientToken;
        if (token == null && server.Client.SupportsWorkDoneProgress)
        {
            var created = new JValue("carbonlsp-" + Guid.NewGuid().ToString("N"));
            await server.RequestAsync<JToken>(Methods.WorkDoneProgressCreate, new { token = created });
            token = created;
        }
        var progress = new WorkDoneProgress(server, token);
        await progress.Send(new JObject { ["kind"] = "begin", ["title"] = title, ["cancellable"] = true, ["percentage"] = 0 }, end: false);
        return progress;
    }

    /// <summary>Reports come from the generation thread, fire-and-forget; one may still be on its way when the
    /// run ends. Sends are serialised and a report after the end is dropped: the spec allows none.</summary>
    public Task ReportAsync(string message, int percentage) =>
        Send(new JObject { ["kind"] = "report", ["message"] = message, ["percentage"] = Math.Clamp(percentage, 0, 100), ["cancellable"] = true }, end: false);

    public Task EndAsync(string message) => Send(new JObject { ["kind"] = "end", ["message"] = message }, end: true);

    private async Task Send(JObject value, bool end)
    {
        await _sending.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_ended) return;
            if (end) _ended = true;
            if (_token != null) await _server.NotifyAsync(Methods.Progress, new JObject { ["token"] = _token, ["value"] = value }).ConfigureAwait(false);
        }
        finally { _sending.Release(); }
    }

    public async ValueTask DisposeAsync() => await EndAsync("stopped").ConfigureAwait(false);
}
