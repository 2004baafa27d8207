using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CarbonLsp.Tests.Shared;

/// <summary>An HTTP server on 127.0.0.1 (a free port, nothing else reachable) that answers each request with
/// what <see cref="Respond"/> returns, in the shape of the provider a test stands in for, and records what
/// it was asked. Bounded: it stops with the test.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    public sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null);

    public Func<HttpListenerRequest, Reply> Respond { get; set; } = _ => new Reply(404, "{}");
    public List<(string PathAndQuery, IReadOnlyDictionary<string, string?> Headers)> Requests { get; } = new();

    public LoopbackServer()
    {
        var port = FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUrl.ToString());
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public Uri BaseUrl { get; }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch { return; }
            _ = Task.Run(async () =>
            {
                var request = ctx.Request;
                lock (Requests) Requests.Add((request.Url!.PathAndQuery, request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => request.Headers[k], StringComparer.OrdinalIgnoreCase)));
                var reply = Respond(request);
                try
                {
                    if (reply.Delay is { } d) await Task.Delay(d, _stop.Token);
                    ctx.Response.StatusCode = reply.Status;
                    foreach (var (k, v) in reply.Headers ?? new Dictionary<string, string>()) ctx.Response.Headers[k] = v;
                    var bytes = Encoding.UTF8.GetBytes(reply.Body);
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.OutputStream.WriteAsync(bytes);
                    ctx.Response.Close();
                }
                catch { try { ctx.Response.Abort(); } catch { } }
            });
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch { }
    }
}
