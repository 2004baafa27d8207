using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Cli.Tests;

/// <summary>`carbonlsp serve` over the transports editors use, and its watch on the client process.</summary>
public class ServeTransportTests
{
    private static Process StartServer(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(CarbonLspProcess.Dll);
        psi.ArgumentList.Add("serve");
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    private static async Task Send(Stream s, object message)
    {
        var body = Encoding.UTF8.GetBytes(JObject.FromObject(message).ToString(Newtonsoft.Json.Formatting.None));
        await s.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        await s.WriteAsync(body);
        await s.FlushAsync();
    }

    private static async Task<JObject> Receive(Stream s)
    {
        var header = new StringBuilder();
        var one = new byte[1];
        while (!header.ToString().EndsWith("\r\n\r\n"))
        {
            if (await s.ReadAsync(one) == 0) throw new EndOfStreamException();
            header.Append((char)one[0]);
        }
        var length = int.Parse(header.ToString().Split(':')[1].Trim());
        var body = new byte[length];
        var read = 0;
        while (read < length) read += await s.ReadAsync(body.AsMemory(read));
        return JObject.Parse(Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task Serves_over_a_socket_the_client_listens_on()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var server = StartServer($"--socket={port}");
        try
        {
            using var client = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var stream = client.GetStream();
            await Send(stream, new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { processId = (int?)null, capabilities = new { } } });
            var response = await Receive(stream).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("carbonlsp", (string)response["result"]!["serverInfo"]!["name"]!);
            await Send(stream, new { jsonrpc = "2.0", id = 2, method = "shutdown" });
            await Receive(stream).WaitAsync(TimeSpan.FromSeconds(30));
            await Send(stream, new { jsonrpc = "2.0", method = "exit" });
            Assert.True(server.WaitForExit(30_000));
            Assert.Equal(0, server.ExitCode);
        }
        finally
        {
            listener.Stop();
            if (!server.HasExited) server.Kill(true);
        }
    }

    [Fact]
    public async Task Serves_over_a_named_pipe_the_client_creates()
    {
        var name = "carbonlsp-test-" + Guid.NewGuid().ToString("N");
        using var pipe = new System.IO.Pipes.NamedPipeServerStream(name, System.IO.Pipes.PipeDirection.InOut, 1, System.IO.Pipes.PipeTransmissionMode.Byte, System.IO.Pipes.PipeOptions.Asynchronous);
        using var server = StartServer($"--pipe={name}");
        try
        {
            await pipe.WaitForConnectionAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await Send(pipe, new { jsonrpc = "2.0", id = 1, method = "initialize", @params = new { processId = (int?)null, capabilities = new { } } });
            var response = await Receive(pipe).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(response["result"]!["capabilities"]);
        }
        finally
        {
            if (!server.HasExited) server.Kill(true);
        }
    }

    [Fact]
    public void Exits_when_the_client_process_dies()
    {
        using var client = Process.Start(new ProcessStartInfo("sleep", "1"))!;
        using var server = StartServer("--stdio", $"--clientProcessId={client.Id}", "--some-editor-flag");
        try
        {
            Assert.True(server.WaitForExit(30_000), "the server should stop when its client process exits");
            Assert.NotEqual(0, server.ExitCode);
        }
        finally
        {
            if (!server.HasExited) server.Kill(true);
        }
    }
}
