using System.Text;
using CarbonLsp.LanguageServer.Documents;
using Nerdbank.Streams;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Tests;

public class RobustnessTests
{
    /// <summary>Raw bytes on the wire: a malformed body gets a parse error and the server keeps serving.</summary>
    [Fact]
    public async Task Malformed_messages_get_a_json_rpc_error_and_the_server_goes_on()
    {
        using var wire = new RawWire();
        await wire.Send("{ this is not json");
        var error = await wire.Receive().WaitAsync(TestClient.Timeout);
        Assert.Equal(-32700, (int)error["error"]!["code"]!);
        Assert.Equal(JTokenType.Null, error["id"]!.Type);
        await wire.Send("[1, 2, 3]");
        Assert.Equal(-32700, (int)(await wire.Receive().WaitAsync(TestClient.Timeout))["error"]!["code"]!);
        await wire.AssertStillServing( 7);
    }

    /// <summary>A body over <see cref="Hosting.ResilientMessageHandler.LargeMessageBytes"/> is read by the handler's
    /// own path (buffers the shared pool does not keep): it answers as the formatter's path does, a malformed one
    /// included, with the same depth limit, and the session goes on.</summary>
    [Fact]
    public async Task Large_bodies_read_without_pooled_buffers_answer_like_small_ones()
    {
        using var wire = new RawWire();
        var padding = new string('x', (int)Hosting.ResilientMessageHandler.LargeMessageBytes);
        await wire.Send($"{{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{{\"capabilities\":{{}},\"padding\":\"{padding}\"}}}}");
        var ok = await wire.Receive().WaitAsync(TestClient.Timeout);
        Assert.Equal(3, (int)ok["id"]!);
        Assert.NotNull(ok["result"]!["capabilities"]);
        // After initialize the server also logs what it skipped (window/logMessage): read past notifications.
        async Task<JObject> Response()
        {
            while (true)
                if (await wire.Receive().WaitAsync(TestClient.Timeout) is var m && m["method"] == null) return m;
        }
        await wire.Send("{ \"unterminated\": \"" + padding);
        Assert.Equal(-32700, (int)(await Response())["error"]!["code"]!);
        await wire.Send(new string('[', 10_000) + padding);
        Assert.Equal(-32700, (int)(await Response())["error"]!["code"]!);
        await wire.Send($"{{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"shutdown\",\"padding\":\"{padding}\"}}");
        Assert.Equal(4, (int)(await Response())["id"]!);
    }

    /// <summary>Issue 20, item 2: a stray response (an id this server never sent, a result or an error) and
    /// any number of malformed bodies in a row are answered or ignored; the session goes on.</summary>
    [Fact]
    public async Task Stray_responses_a_long_run_of_malformed_bodies_and_a_huge_message_do_not_end_the_session()
    {
        using var wire = new RawWire();
        await wire.Send("{\"jsonrpc\":\"2.0\",\"id\":987654,\"result\":{}}");
        await wire.Send("{\"jsonrpc\":\"2.0\",\"id\":\"x-1\",\"error\":{\"code\":-32601,\"message\":\"no\"}}");
        for (var i = 0; i < 150; i++)
        {
            await wire.Send("{ not json " + i);
            Assert.Equal(-32700, (int)(await wire.Receive().WaitAsync(TestClient.Timeout))["error"]!["code"]!);
        }
        await wire.Send("{\"jsonrpc\":\"2.0\",\"id\":987654,\"result\":null}"); // answering twice
        // Issue 20, item 8: a body above the limit is skipped as it streams in and answered with an error.
        var huge = Hosting.ResilientMessageHandler.MaxMessageBytes + 1024 * 1024;
        await wire.Client.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {huge}\r\n\r\n"));
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 1024 * 1024));
        for (long sent = 0; sent < huge; sent += chunk.Length) await wire.Client.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, huge - sent)));
        await wire.Client.FlushAsync();
        var tooLarge = await wire.Receive().WaitAsync(TestClient.Timeout);
        Assert.Equal(-32600, (int)tooLarge["error"]!["code"]!);
        Assert.Contains("limit is 32 MiB", (string)tooLarge["error"]!["message"]!);
        await wire.AssertStillServing( 8);
    }

    /// <summary>Issue 20, item 3: an edit at {"line":1,"character":2147483647} (the line's end, as LSP allows)
    /// is applied there, not dropped; a hover there is answered.</summary>
    [Fact]
    public async Task An_edit_and_a_hover_at_the_largest_character_clamp_to_the_line_end()
    {
        const string Uri = "file:///w/a.prompts.json";
        const string Text = "{ \"prompts\": [\n  { \"prompt\": \"a cat\", \"model\": \"sd15\",\n    \"steps\": 90 }\n] }";
        await using var c = new TestClient();
        await c.InitializeAsync();
        await c.OpenAsync(Uri, Text);
        await c.DiagnosticsAsync(Uri);
        var end = TestClient.Pos(1, int.MaxValue);
        await c.ChangeAsync(Uri, 2, new { range = new { start = end, end }, text = " " });
        var hover = await c.RequestAsync<JObject?>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(1, int.MaxValue) });
        Assert.Equal(Text.Replace("\"sd15\",\n", "\"sd15\", \n"), c.Server.Documents.Get(Uri)!.Text.ToString());
        Assert.NotNull(hover);
    }

    [Fact]
    public async Task Wrong_parameter_shapes_answer_with_an_error_not_a_dead_server()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        // Issue 20, item 9: wrong types in the params are InvalidParams (-32602), as LSP says, not RequestFailed.
        foreach (var bad in new object[]
                 {
                     new { textDocument = 5, position = "x" },
                     new { textDocument = new { uri = "file:///a.prompts.json" }, position = new { line = "a", character = 0 } },
                     new { textDocument = "file:///a.prompts.json", position = TestClient.Pos(0, 0) },
                 })
        {
            var ex = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => c.RequestAsync<JToken>("textDocument/hover", bad));
            // StreamJsonRpc's client raises InvalidParams as RemoteMethodNotFoundException; the code is what counts.
            var code = ex switch { RemoteInvocationException i => i.ErrorCode, RemoteMethodNotFoundException m => (int)m.ErrorCode, _ => 0 };
            Assert.Equal(-32602, code);
        }
        Assert.Null(await c.RequestAsync<JToken>("textDocument/hover", new { textDocument = new { uri = "file:///not-open.prompts.json" }, position = TestClient.Pos(0, 0) }));
        Assert.NotNull(await c.RequestAsync<JToken>("carbonlsp/summary", new { }));
    }

    [Fact]
    public async Task Garbage_documents_are_diagnostics_not_crashes()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        var uri = "file:///junk.prompts.json";
        var junk = new string(Enumerable.Range(0, 5000).Select(i => (char)(i * 7919 % 0xD7FF + 1)).ToArray());
        await c.OpenAsync(uri, junk);
        var d = await c.DiagnosticsAsync(uri);
        Assert.NotEmpty((JArray)d["diagnostics"]!);
        var hover = await c.RequestAsync<JToken>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 3) });
        Assert.True(hover == null || hover.Type == JTokenType.Null || hover["contents"] != null);
        var completion = await c.RequestAsync<JToken>("textDocument/completion", new { textDocument = new { uri }, position = TestClient.Pos(0, 100) });
        Assert.NotNull(completion);
    }

    [Fact]
    public async Task A_large_file_with_50000_prompts_is_served()
    {
        var sb = new StringBuilder("{ \"prompts\": [\n");
        for (var i = 0; i < 50_000; i++) sb.Append($"  {{ \"id\": \"p{i}\", \"prompt\": \"subject {i}\", \"model\": \"{(i % 2 == 0 ? "sdxl" : "sd15")}\", \"steps\": {(i % 3 == 0 ? 80 : 25)} }},\n");
        sb.Append("] }");
        await using var c = new TestClient();
        await c.InitializeAsync();
        var uri = "file:///big.prompts.json";
        await c.OpenAsync(uri, sb.ToString());
        var d = await c.DiagnosticsAsync(uri, timeout: TimeSpan.FromSeconds(90));
        Assert.True(((JArray)d["diagnostics"]!).Count > 10_000);
        // Typing stays responsive: edits are applied at once, and a request on the newest text is answered.
        await c.ChangeAsync(uri, 2, new { range = new { start = TestClient.Pos(1, 0), end = TestClient.Pos(1, 0) }, text = " " });
        var hover = await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(1, 30) }, TimeSpan.FromSeconds(90));
        Assert.Contains("p0", (string)hover["contents"]!["value"]!);
    }

    [Fact]
    public async Task A_burst_of_edits_ends_on_the_last_text_with_one_settled_publication()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        var uri = "file:///burst.prompts.json";
        await c.OpenAsync(uri, "{ \"prompts\": [ { \"prompt\": \"\", \"model\": \"sd15\", \"steps\": 1 } ] }");
        await c.DiagnosticsAsync(uri);
        for (var i = 0; i < 300; i++)
            await c.ChangeAsync(uri, 2 + i, new { range = new { start = TestClient.Pos(0, 27 + i), end = TestClient.Pos(0, 27 + i) }, text = "a" });
        await c.ChangeAsync(uri, 400, new { text = "{ \"prompts\": [ { \"prompt\": \"a\", \"model\": \"sd15\", \"steps\": 900 } ] }" });
        var last = await c.DiagnosticsAsync(uri, d => d.Any(x => (string)x["code"]! == "CL101"));
        Assert.Equal(400, (int)last["version"]!);
    }

    [Fact]
    public async Task Cancelled_requests_answer_RequestCancelled()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        var sb = new StringBuilder("{ \"prompts\": [");
        for (var i = 0; i < 20_000; i++) sb.Append("{ \"prompt\": \"x").Append(i).Append("\", \"model\": \"sdxl\" },");
        sb.Append("] }");
        var uri = "file:///cancel.prompts.json";
        await c.OpenAsync(uri, sb.ToString());
        using var cts = new CancellationTokenSource();
        var task = c.RequestAsyncWithToken("textDocument/codeLens", new { textDocument = new { uri } }, cts.Token);
        cts.Cancel();
        try
        {
            await task;
        }
        catch (OperationCanceledException) { }
        catch (RemoteInvocationException ex) { Assert.Equal(-32800, ex.ErrorCode); }
        Assert.NotNull(await c.RequestAsync<JToken>("carbonlsp/summary", new { }, TimeSpan.FromSeconds(90)));
    }
}
