using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Tests;

public class LifecycleTests
{
    [Fact]
    public async Task Requests_before_initialize_get_ServerNotInitialized()
    {
        await using var c = new TestClient();
        var ex = await Assert.ThrowsAsync<RemoteInvocationException>(() => c.RequestAsync<JToken>("textDocument/hover",
            new { textDocument = new { uri = "file:///a.prompts.json" }, position = TestClient.Pos(0, 0) }));
        Assert.Equal(-32002, ex.ErrorCode);
    }

    [Fact]
    public async Task Initialize_declares_features_and_gates_pull_diagnostics_on_the_client()
    {
        await using var push = new TestClient();
        var caps = (JObject)(await push.InitializeAsync())["capabilities"]!;
        Assert.Equal("utf-16", (string)caps["positionEncoding"]!);
        Assert.Equal(2, (int)caps["textDocumentSync"]!["change"]!);
        Assert.True((bool)caps["hoverProvider"]!);
        Assert.NotNull(caps["inlayHintProvider"]);
        Assert.Null(caps["diagnosticProvider"]);
        await using var pull = new TestClient();
        var pullCaps = (JObject)(await pull.InitializeAsync(TestClient.FullCapabilities(pullDiagnostics: true)))["capabilities"]!;
        Assert.NotNull(pullCaps["diagnosticProvider"]);
    }

    [Fact]
    public async Task Shutdown_then_exit_gives_0_and_later_requests_are_refused()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        // params: null must not crash the reader (a StreamJsonRpc formatter pitfall).
        Assert.Null(await c.RequestAsync<JToken>("shutdown", null));
        var ex = await Assert.ThrowsAsync<RemoteInvocationException>(() => c.RequestAsync<JToken>("textDocument/codeLens", new { textDocument = new { uri = "file:///a.prompts.json" } }));
        Assert.Equal(-32600, ex.ErrorCode);
        await c.NotifyAsync("exit", new JObject());
        Assert.Equal(0, await c.Server.Completion.WaitAsync(TestClient.Timeout));
    }

    [Fact]
    public async Task Exit_without_shutdown_gives_1()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        await c.NotifyAsync("exit", new JObject());
        Assert.Equal(1, await c.Server.Completion.WaitAsync(TestClient.Timeout));
    }

    [Fact]
    public async Task Pulls_configuration_and_registers_for_changes_after_initialized()
    {
        await using var c = new TestClient(new JObject { ["region"] = "FR" });
        await c.InitializeAsync();
        await Wait.Until(() => c.Server.Analysis.Settings.Region == "FR");
        lock (c.Target.Requests)
        {
            Assert.Contains("client/registerCapability:workspace/didChangeConfiguration", c.Target.Requests);
            Assert.Contains("workspace/configuration", c.Target.Requests);
        }
    }

    [Fact]
    public async Task Unknown_methods_get_MethodNotFound_and_the_server_goes_on()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        var ex = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => c.RequestAsync<JToken>("textDocument/frobnicate", new { }));
        Assert.Equal(-32601, (int)ex.ErrorCode);
        Assert.NotNull(await c.RequestAsync<JToken>("carbonlsp/summary", new { }));
    }


    [Fact]
    public async Task Once_the_client_listens_log_lines_reach_it_at_their_level_and_not_stderr()
    {
        // An editor shows a server's stderr as errors: VS Code's log channel printed ordinary lines as red [error].
        var stderr = new StringWriter();
        await using var c = new TestClient(stderr: stderr);
        c.Server.Log.Info("before initialize");
        await c.InitializeAsync();
        c.Server.Log.Info("an ordinary line");
        c.Server.Log.Warning("a warning");
        await Wait.Until(() => { lock (c.Target.Logs) return c.Target.Logs.Count(l => ((string)l["message"]!).StartsWith("a", StringComparison.Ordinal)) >= 2; });
        lock (c.Target.Logs)
        {
            Assert.Equal(3, (int)c.Target.Logs.Single(l => (string)l["message"]! == "an ordinary line")["type"]!);
            Assert.Equal(2, (int)c.Target.Logs.Single(l => (string)l["message"]! == "a warning")["type"]!);
        }
        var written = stderr.ToString();
        Assert.Contains("before initialize", written);
        Assert.DoesNotContain("an ordinary line", written);
        Assert.DoesNotContain("a warning", written);
    }
}
