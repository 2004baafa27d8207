using CarbonLsp.LanguageServer.Protocol;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>Logs to the client's window/logMessage at each line's level once the client is listening
/// (verbose lines only while it traces, $/setTrace); before that, and after the connection is gone, to
/// stderr (never stdout: it carries the protocol). Not both: an editor shows a server's stderr as errors
/// (VS Code's log channel printed every ordinary line as a red [error]), and each line once.</summary>
public sealed class ServerLog
{
    private readonly TextWriter _stderr;
    private Func<string, object, Task>? _notify;
    private Func<bool> _listening = () => false;

    public ServerLog(TextWriter? stderr = null) => _stderr = stderr ?? Console.Error;

    /// <summary>"off", "messages" or "verbose", from initialize's trace or $/setTrace.</summary>
    public string Trace { get; set; } = "off";

    /// <summary>Connects the log to the client: <paramref name="listening"/> says whether messages reach it now.</summary>
    public void Attach(Func<string, object, Task> notify, Func<bool> listening)
    {
        _notify = notify;
        _listening = listening;
    }

    public void Error(string message) => Write(1, message);
    public void Warning(string message) => Write(2, message);
    public void Info(string message) => Write(3, message);

    /// <summary>Verbose lines go to the client only when tracing is on.</summary>
    public void Verbose(string message)
    {
        if (!_listening()) WriteStderr(message);
        else if (Trace != "off") Send(4, message);
    }

    private void Write(int type, string message)
    {
        if (_listening()) Send(type, message);
        else WriteStderr(message);
    }

    private void WriteStderr(string message)
    {
        lock (_stderr) _stderr.WriteLine($"[carbonlsp] {message}");
    }

    private void Send(int type, string message)
    {
        var notify = _notify;
        if (notify == null) return;
        _ = notify(Methods.LogMessage, new LogMessageParams(type, message)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
