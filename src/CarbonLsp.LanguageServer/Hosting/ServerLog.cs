using CarbonLsp.LanguageServer.Protocol;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>Logs to stderr always (never stdout: it carries the protocol) and to the client's
/// window/logMessage once the connection is up, filtered by $/setTrace for the verbose lines.</summary>
public sealed class ServerLog
{
    private readonly TextWriter _stderr;
    private Func<string, object, Task>? _notify;

    public ServerLog(TextWriter? stderr = null) => _stderr = stderr ?? Console.Error;

    /// <summary>"off", "messages" or "verbose", from initialize's trace or $/setTrace.</summary>
    public string Trace { get; set; } = "off";

    public void Attach(Func<string, object, Task> notify) => _notify = notify;

    public void Error(string message) => Write(1, message);
    public void Warning(string message) => Write(2, message);
    public void Info(string message) => Write(3, message);

    /// <summary>Verbose lines go to the client only when tracing is on.</summary>
    public void Verbose(string message)
    {
        lock (_stderr) _stderr.WriteLine($"[carbonlsp] {message}");
        if (Trace != "off") Send(4, message);
    }

    private void Write(int type, string message)
    {
        lock (_stderr) _stderr.WriteLine($"[carbonlsp] {message}");
        Send(type, message);
    }

    private void Send(int type, string message)
    {
        var notify = _notify;
        if (notify == null) return;
        _ = notify(Methods.LogMessage, new LogMessageParams(type, message)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
