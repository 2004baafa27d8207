using System.Text;
using CarbonLsp.LanguageServer.Documents;
using Nerdbank.Streams;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>A server on an in-memory duplex stream, with the client's end to write raw bytes on.</summary>
internal sealed class RawWire : IDisposable
{
    private readonly Hosting.LanguageServer _server;

    public RawWire(TextWriter? log = null)
    {
        var (a, b) = FullDuplexStream.CreatePair();
        Client = b;
        _server = new Hosting.LanguageServer(a, a, new AnalysisService(), new Hosting.ServerLog(log ?? TextWriter.Null));
        _server.Start();
    }

    public Stream Client { get; }
    public Task Send(string body) => RawWireIO.SendRaw(Client, body);
    public Task<JObject> Receive() => RawWireIO.ReceiveRaw(Client);
    public Task AssertStillServing(int id) => RawWireIO.AssertStillServing(Client, id);
    public void Dispose() => _server.Dispose();
}

/// <summary>Framed messages as raw bytes on a stream, for tests that send what a well-behaved client would not.</summary>
internal static class RawWireIO
{
    /// <summary>An initialize request after the bad input is answered: the session goes on.</summary>
    public static async Task AssertStillServing(Stream s, int id)
    {
        await SendRaw(s, $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"initialize\",\"params\":{{\"capabilities\":{{}}}}}}");
        var ok = await ReceiveRaw(s).WaitAsync(TestClient.Timeout);
        Assert.Equal(id, (int)ok["id"]!);
        Assert.NotNull(ok["result"]!["capabilities"]);
    }

    /// <summary>One framed message written as raw bytes (the body may be anything).</summary>
    public static async Task SendRaw(Stream s, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await s.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"));
        await s.WriteAsync(bytes);
        await s.FlushAsync();
    }

    /// <summary>The next framed message, read byte by byte up to its header's end.</summary>
    public static async Task<JObject> ReceiveRaw(Stream s)
    {
        var header = new StringBuilder();
        while (!header.ToString().EndsWith("\r\n\r\n")) header.Append((char)await ReadByte(s));
        var body = new byte[int.Parse(header.ToString().Split(':')[1].Trim())];
        var read = 0;
        while (read < body.Length) read += await s.ReadAsync(body.AsMemory(read));
        return JObject.Parse(Encoding.UTF8.GetString(body));
    }

    private static async Task<int> ReadByte(Stream s)
    {
        var one = new byte[1];
        var n = await s.ReadAsync(one);
        if (n == 0) throw new EndOfStreamException();
        return one[0];
    }
}
