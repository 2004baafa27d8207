using System.CommandLine;
using System.Diagnostics;
using System.IO.Pipes;
using System.Net.Sockets;
using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Hosting;
using CarbonLsp.Workspace;

namespace CarbonLsp.Serve;

/// <summary>`carbonlsp serve`: the language server on stdio (default), a named pipe or a socket, with
/// the arguments editors append (--stdio, --clientProcessId=N, --pipe=NAME, --socket=PORT); unknown
/// arguments are ignored, as clients add their own.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var stdio = new Option<bool>("--stdio") { Description = "Talk LSP over stdin/stdout (the default)." };
        var pipe = new Option<string?>("--pipe") { Description = "Connect to this named pipe (a Unix socket path on Linux and macOS)." };
        var socket = new Option<int?>("--socket", "--port") { Description = "Connect to this TCP port on 127.0.0.1." };
        var parent = new Option<int?>("--clientProcessId") { Description = "Exit when this process exits." };
        var command = new Command("serve", "Run the language server.") { stdio, pipe, socket, parent };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((r, ct) => RunAsync(r.GetValue(pipe), r.GetValue(socket), r.GetValue(parent), ct));
        return command;
    }

    private static async Task<int> RunAsync(string? pipeName, int? port, int? parentPid, CancellationToken ct)
    {
        Stream input, output;
        IDisposable? connection = null;
        if (pipeName != null)
        {
            var client = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
            await client.ConnectAsync(10_000, ct);
            input = output = client;
            connection = client;
        }
        else if (port is { } p)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(System.Net.IPAddress.Loopback, p, ct);
            input = output = tcp.GetStream();
            connection = tcp;
        }
        else
        {
            input = Console.OpenStandardInput();
            output = Console.OpenStandardOutput();
        }

        var log = new ServerLog(Console.Error);
        var analysis = new AnalysisService(
            loadTokenizer: TokenizerLocator.Load,
            resolveLocalModel: (folder, name) => new LocalModelResolver(folder, Core.Catalog.ModelCatalog.Default).Resolve(name));
        using var server = new LanguageServer.Hosting.LanguageServer(output, input, analysis, log);
        if (parentPid is { } pid) WatchParent(pid, log, server);
        server.Start();
        var code = await server.Completion;
        connection?.Dispose();
        return code;
    }

    private static void WatchParent(int pid, ServerLog log, LanguageServer.Hosting.LanguageServer server)
    {
        _ = Task.Run(async () =>
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                await process.WaitForExitAsync();
            }
            catch (ArgumentException) { } // already gone
            log.Info($"client process {pid} exited; stopping.");
            Environment.Exit(1);
        });
    }
}
