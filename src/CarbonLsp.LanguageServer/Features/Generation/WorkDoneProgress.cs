using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Features.Generation;

/// <summary>LSP work-done progress with a token: one begin, reports, one end (guaranteed by Dispose).
/// Sent as named $/progress params, never through StreamJsonRpc's IProgress (which can send positional ones).</summary>
internal sealed class WorkDoneProgress : IAsyncDisposable
{
    private readonly Hosting.LanguageServer _server;
    private readonly JToken? _token;
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
        await progress.Send(new JObject { ["kind"] = "begin", ["title"] = title, ["cancellable"] = true, ["percentage"] = 0 });
        return progress;
    }

    public Task ReportAsync(string message, int percentage) =>
        Send(new JObject { ["kind"] = "report", ["message"] = message, ["percentage"] = Math.Clamp(percentage, 0, 100), ["cancellable"] = true });

    public Task EndAsync(string message)
    {
        _ended = true;
        return Send(new JObject { ["kind"] = "end", ["message"] = message });
    }

    private Task Send(JObject value) =>
        _token == null ? Task.CompletedTask : _server.NotifyAsync(Methods.Progress, new JObject { ["token"] = _token, ["value"] = value });

    public async ValueTask DisposeAsync()
    {
        if (!_ended) await EndAsync("stopped");
    }
}
