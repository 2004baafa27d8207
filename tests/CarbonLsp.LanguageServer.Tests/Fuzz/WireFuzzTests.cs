using System.Text;
using CarbonLsp.Tests.Shared;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace CarbonLsp.LanguageServer.Tests.Fuzz;

/// <summary>
/// Issue 20, "keep it true": random messages on the raw wire of a real server session. Each round sends a
/// few random messages (bodies that are not JSON, JSON that is not JSON-RPC, stray responses, requests and
/// notifications of every method with random params, header variants, messages split across writes or two in
/// one write), then a hover request; the round passes when that hover is answered and everything the server
/// wrote was a well-formed JSON-RPC message. A session that ends or stops answering is a crash.
/// </summary>
public class WireFuzzTests(ITestOutputHelper output)
{
    private const string Uri = "file:///fuzz/a.prompts.json";
    private const string Text = "{ \"region\": \"FR\",\n  \"prompts\": [\n    { \"id\": \"a\", \"prompt\": \"a cat 😀\", \"model\": \"sdxl\", \"steps\": 80 },\n    { \"prompt\": \"b\", \"model\": \"sd15\" }\n  ]\n}";

    // Every method the server serves or a client might send, except shutdown and exit (which end a session by design).
    private static readonly string[] s_methods =
    {
        "textDocument/hover", "textDocument/completion", "textDocument/codeLens", "textDocument/codeAction", "textDocument/documentSymbol",
        "textDocument/inlayHint", "textDocument/definition", "textDocument/formatting", "completionItem/resolve", "codeLens/resolve",
        "workspace/executeCommand", "carbonlsp/summary", "initialize", "textDocument/didOpen", "textDocument/didChange",
        "textDocument/didClose", "textDocument/didSave", "workspace/didChangeConfiguration", "$/cancelRequest", "$/setTrace", "initialized",
        "no/such-method", "", "textDocument/",
    };

    [Fact]
    public async Task Random_messages_on_the_wire_never_end_the_session()
    {
        var seed = FuzzScale.Seed;
        var rng = new System.Random(seed);
        var rounds = 150 * FuzzScale.Factor;
        var kinds = new Dictionary<string, int>();
        var received = 0;
        var log = new StringWriter();
        using var wire = new RawWire(TextWriter.Synchronized(log));
        var s = wire.Client;
        await RawWireIO.SendRaw(s, Request("init", "initialize", new JObject { ["capabilities"] = new JObject() }));
        received += await ReadUntil(s, "init");
        await RawWireIO.SendRaw(s, Notification("initialized", new JObject()));
        await RawWireIO.SendRaw(s, Notification("textDocument/didOpen", JObject.FromObject(new { textDocument = new { uri = Uri, languageId = "json", version = 1, text = Text } })));
        for (var round = 0; round < rounds; round++)
        {
            var sentThisRound = new List<string>();
            for (var k = rng.Next(1, 6); k > 0; k--)
            {
                var (kind, bytes, split) = RandomMessage(rng);
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                sentThisRound.Add($"{kind} (split at {split}): {Encoding.UTF8.GetString(bytes)}");
                await Write(s, bytes, split, rng);
            }
            var id = $"sentinel-{round}";
            await RawWireIO.SendRaw(s, Request(id, "carbonlsp/summary", new JObject()));
            try { received += await ReadUntil(s, id).WaitAsync(TimeSpan.FromSeconds(20)); }
            catch (Exception ex) when (ex is TimeoutException or EndOfStreamException or JsonException)
            {
                Assert.Fail($"round {round} (seed {seed}): the session stopped serving: {ex.GetType().Name} {ex.Message}\nsent:\n{string.Join("\n", sentThisRound)}\nserver log:\n{log}");
            }
        }
        var sent = kinds.Values.Sum();
        output.WriteLine($"seed {seed}: {rounds} rounds, {sent} random messages ({string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}), " +
                         $"{received} messages from the server, all well-formed; crashes 0");
    }

    /// <summary>Reads until the response with this id, answering the server's own requests on the way; returns how many messages were read.</summary>
    private static async Task<int> ReadUntil(Stream s, string id)
    {
        for (var n = 1; ; n++)
        {
            var message = await RawWireIO.ReceiveRaw(s);   // throws unless the body is JSON
            Assert.Equal("2.0", (string?)message["jsonrpc"]);
            if (message["method"] is JValue && message["id"] is { } requestId)
                await RawWireIO.SendRaw(s, new JObject { ["jsonrpc"] = "2.0", ["id"] = requestId, ["result"] = (string?)message["method"] == "workspace/configuration" ? new JArray(new JObject()) : null }.ToString(Formatting.None));
            else if (message["method"] == null)
            {
                Assert.True(message.ContainsKey("result") ^ message.ContainsKey("error"), message.ToString());
                if ((string?)message["id"] == id) return n;
            }
        }
    }

    private static string Request(JToken id, string method, JToken? p) =>
        new JObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = p }.ToString(Formatting.None);

    private static string Notification(string method, JToken? p) =>
        new JObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = p }.ToString(Formatting.None);

    /// <summary>One random message: its kind (for the counts), its framed bytes, and where to split the write (0: one write).</summary>
    private static (string Kind, byte[] Bytes, int Split) RandomMessage(System.Random rng)
    {
        string kind, body;
        switch (rng.Next(9))
        {
            case 0:
                kind = "not JSON";
                body = rng.Next(2) == 0 ? RandomText(rng, rng.Next(0, 200)) : Request(rng.Next(), "textDocument/hover", RandomParams(rng))[..rng.Next(1, 40)];
                break;
            case 1:
                kind = "JSON, not JSON-RPC";
                body = RandomJson(rng, 3).ToString(Formatting.None);
                break;
            case 2:
                kind = "stray response";
                body = new JObject { ["jsonrpc"] = "2.0", ["id"] = RandomId(rng), [rng.Next(2) == 0 ? "result" : "error"] = rng.Next(2) == 0 ? RandomJson(rng, 2) : new JObject { ["code"] = rng.Next(-33000, 0), ["message"] = "x" } }.ToString(Formatting.None);
                break;
            case 3 or 4 or 5:
                kind = "request";
                body = Request(RandomId(rng), s_methods[rng.Next(s_methods.Length)], RandomParams(rng));
                break;
            case 6:
                kind = "notification";
                body = Notification(s_methods[rng.Next(s_methods.Length)], RandomParams(rng));
                break;
            case 7:
                kind = "odd envelope";
                body = rng.Next(4) switch
                {
                    0 => new JObject { ["jsonrpc"] = "1.0", ["id"] = 1, ["method"] = "textDocument/hover" }.ToString(Formatting.None),
                    1 => new JObject { ["jsonrpc"] = "2.0", ["id"] = new JObject(), ["method"] = "carbonlsp/summary" }.ToString(Formatting.None),
                    2 => new JArray(JObject.Parse(Request(1, "carbonlsp/summary", null)), JObject.Parse(Notification("initialized", null))).ToString(Formatting.None),
                    _ => new JObject { ["jsonrpc"] = "2.0", ["id"] = 5, ["method"] = 42, ["params"] = "x" }.ToString(Formatting.None),
                };
                break;
            default:
                kind = "header variant";
                var inner = Encoding.UTF8.GetBytes(Request(RandomId(rng), "textDocument/hover", JObject.FromObject(new { textDocument = new { uri = Uri }, position = new { line = rng.Next(-2, 8), character = rng.Next(-2, 80) } })));
                var header = rng.Next(3) switch
                {
                    0 => $"content-length: {inner.Length}\r\n\r\n",
                    1 => $"Content-Length: {inner.Length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
                    _ => $"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length:    {inner.Length}\r\n\r\n",
                };
                var framed = Encoding.ASCII.GetBytes(header).Concat(inner).ToArray();
                return (kind, framed, rng.Next(2) == 0 ? rng.Next(1, framed.Length) : 0);
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        var all = Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n").Concat(bytes).ToArray();
        return (kind, all, rng.Next(4) == 0 ? rng.Next(1, all.Length) : 0);
    }

    private static async Task Write(Stream s, byte[] bytes, int split, System.Random rng)
    {
        if (split <= 0) { await s.WriteAsync(bytes); await s.FlushAsync(); return; }
        await s.WriteAsync(bytes.AsMemory(0, split));
        await s.FlushAsync();
        if (rng.Next(2) == 0) await Task.Delay(rng.Next(0, 5));
        await s.WriteAsync(bytes.AsMemory(split));
        await s.FlushAsync();
    }

    private static JToken RandomId(System.Random rng) => rng.Next(3) switch { 0 => rng.Next(), 1 => $"id-{rng.Next()}", _ => -rng.Next(1, 1000) };

    /// <summary>Params that are sometimes the right shape with wild values, sometimes anything at all.</summary>
    private static JToken? RandomParams(System.Random rng)
    {
        int Num() => rng.Next(6) switch { 0 => -1, 1 => int.MaxValue, 2 => rng.Next(0, 3), _ => rng.Next(0, 90) };
        JObject Pos() => new() { ["line"] = Num(), ["character"] = Num() };
        return rng.Next(5) switch
        {
            0 => null,
            1 => RandomJson(rng, 3),
            2 => new JObject { ["textDocument"] = new JObject { ["uri"] = rng.Next(3) == 0 ? "file:///fuzz/other.prompts.json" : Uri, ["version"] = rng.Next(0, 1000) }, ["position"] = Pos(),
                               ["range"] = new JObject { ["start"] = Pos(), ["end"] = Pos() }, ["context"] = new JObject { ["diagnostics"] = new JArray() } },
            3 => new JObject { ["textDocument"] = new JObject { ["uri"] = Uri, ["version"] = rng.Next(2, 10000) },
                               ["contentChanges"] = new JArray(new JObject { ["range"] = new JObject { ["start"] = Pos(), ["end"] = Pos() }, ["text"] = RandomText(rng, rng.Next(0, 12)) }) },
            _ => new JObject { ["command"] = rng.Next(2) == 0 ? "carbonlsp.openImage" : "carbonlsp.generate", ["arguments"] = RandomJson(rng, 2), ["settings"] = RandomJson(rng, 2), ["id"] = RandomId(rng) },
        };
    }

    private static JToken RandomJson(System.Random rng, int depth) => rng.Next(depth <= 0 ? 5 : 7) switch
    {
        0 => JValue.CreateNull(),
        1 => rng.Next(2) == 0,
        2 => rng.Next(5) == 0 ? double.MaxValue : rng.Next(int.MinValue, int.MaxValue),
        3 => RandomText(rng, rng.Next(0, 10)),
        4 => 1e308 * rng.NextDouble(),
        5 => new JArray(Enumerable.Range(0, rng.Next(0, 4)).Select(_ => RandomJson(rng, depth - 1))),
        _ => new JObject(Enumerable.Range(0, rng.Next(0, 4)).Select(i => new JProperty($"k{i}{RandomText(rng, 2)}", RandomJson(rng, depth - 1)))),
    };

    private static readonly string[] s_pieces = { "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\n", "\r\n", "\r", "😀", "\uD800", "é", "\0", "a", "1", " ", "null" };

    private static string RandomText(System.Random rng, int pieces)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pieces; i++) sb.Append(s_pieces[rng.Next(s_pieces.Length)]);
        return sb.ToString();
    }
}
