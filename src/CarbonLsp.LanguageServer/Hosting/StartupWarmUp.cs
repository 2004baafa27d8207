using System.Buffers;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>
/// A head start for the first message. From the process's start to the initialize response, ~60 ms went
/// on reading the first message and reaching its handler — the first use of the JSON-RPC formatter's
/// code, types and static state — after the main thread had built the server (docs/perf.md). Here a
/// throw-away formatter reads a request and writes a result on another core while the main thread builds
/// the server, started first thing by `carbonlsp serve`: 228-232 -> 204-205 ms to the initialize response
/// on the 2-core VM (three rounds, alternating). Nothing it makes is kept; a failure only loses the head start.
/// </summary>
public static class StartupWarmUp
{
    public static void Start() => _ = Task.Run(Run);

    /// <summary>Whether every step ran (a test holds it true, so the head start does not quietly vanish
    /// when the library changes).</summary>
    internal static bool Run()
    {
        try
        {
            using var formatter = new JsonMessageFormatter();
            var request = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"processId\":null,\"capabilities\":{\"textDocument\":{}}}}"u8.ToArray();
            if (formatter.Deserialize(new ReadOnlySequence<byte>(request)) is not JsonRpcRequest { ArgumentCount: > 0 } read
                || !read.TryGetArgumentByNameOrIndex("capabilities", -1, typeof(JToken), out _))
                return false;
            var written = new ArrayBufferWriter<byte>();
            formatter.Serialize(written, new JsonRpcResult { RequestId = new RequestId(0), Result = new JObject { ["capabilities"] = new JObject { ["hoverProvider"] = true } } });
            return written.WrittenCount > 0;
        }
        catch (Exception)
        {
            return false; // only ever a head start: the server does the same work itself when the message comes
        }
    }
}
