using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Issue 22 in the editor: a fix that saves energy carries the command that records its saving; running
/// it (as a client does after applying the edit) writes the workspace's ledger, and the status bar's summary
/// shows this month's savings. carbonlsp.report writes the HTML report inside the workspace.</summary>
public sealed class SavingsAndReportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("carbonlsp-saved-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private const string Wasteful = """{ "device": "nvidia-rtx-4090", "region": "DE", "prompts": [ { "id": "hero", "prompt": "a lighthouse at dusk", "model": "stabilityai/stable-diffusion-xl-base-1.0", "steps": 80 } ] }""";

    private async Task<(TestClient Client, string Uri)> Open()
    {
        var c = new TestClient();
        await c.InitializeAsync(rootUri: new Uri(_root).AbsoluteUri);
        var path = Path.Combine(_root, "w.prompts.json");
        File.WriteAllText(path, Wasteful);
        var uri = new Uri(path).AbsoluteUri;
        await c.OpenAsync(uri, Wasteful);
        await c.DiagnosticsAsync(uri, d => d.Any(x => (string?)x["code"] == "CL101"));
        return (c, uri);
    }

    [Fact]
    public async Task A_quick_fix_records_its_saving_and_the_summary_shows_it_for_the_month()
    {
        var (c, uri) = await Open();
        await using var _ = c;
        var ledger = Path.Combine(_root, ".carbonlsp", "ledger.db");
        var before = await c.RequestAsync<JObject>("carbonlsp/summary", new { textDocument = new { uri } });
        Assert.Null(before["savedThisMonth"]);                 // no ledger: none is made to answer
        Assert.False(File.Exists(ledger));

        var actions = await c.RequestAsync<JArray>("textDocument/codeAction", new
        {
            textDocument = new { uri }, range = new { start = TestClient.Pos(0, 165), end = TestClient.Pos(0, 165) }, context = new { diagnostics = Array.Empty<object>() },
        });
        var fix = actions.OfType<JObject>().First(a => (string?)a["kind"] == "quickfix" && a["isPreferred"]?.Value<bool>() == true && ((string)a["title"]!).Contains("steps"));
        Assert.NotNull(fix["edit"]);
        var command = (JObject)fix["command"]!;
        Assert.Equal("carbonlsp.recordSaving", (string)command["command"]!);
        var saving = (JObject)command["arguments"]![1]![0]!;
        Assert.Equal("CL101", (string)saving["code"]!);
        Assert.Equal("hero", (string)saving["prompt"]!);
        var wh = (double)saving["energyWh"]!;
        var grams = (double)saving["co2eGrams"]!;
        Assert.True(wh > 0 && grams > 0);
        Assert.Equal(wh / 1000 * 381, grams, 6);                // DE's 2023 annual average, PUE 1: CO2e at the prompt's own grid figure

        var fixAll = actions.OfType<JObject>().First(a => (string?)a["kind"] == "source.fixAll");
        Assert.Equal("carbonlsp.recordSaving", (string)fixAll["command"]!["command"]!);

        var recorded = await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.recordSaving", arguments = command["arguments"] });
        Assert.Equal(1, (int)recorded["recorded"]!);
        Assert.True(File.Exists(ledger));
        var after = (JObject)(await c.RequestAsync<JObject>("carbonlsp/summary", new { textDocument = new { uri } }))["savedThisMonth"]!;
        Assert.Equal(1, (int)after["fixes"]!);
        Assert.Equal(0, (int)after["reuses"]!);
        Assert.Equal(wh, (double)after["energyWh"]!, 9);
        Assert.Equal(grams, (double)after["co2eGrams"]!, 9);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""["file:///x.prompts.json"]""")]
    [InlineData("""["file:///x.prompts.json", [{ "code": "CL101", "title": "t", "energyWh": -1, "co2eGrams": 0 }]]""")]
    [InlineData("""["file:///x.prompts.json", [{ "code": "CL101", "title": "t", "energyWh": "1", "co2eGrams": 0 }]]""")]
    [InlineData("""["file:///x.prompts.json", [{ "code": "CL101", "title": "t", "energyWh": 1e300, "co2eGrams": 0 }]]""")]
    [InlineData("""["http://example.com/x", [{ "code": "CL101", "title": "t", "energyWh": 1, "co2eGrams": 0 }]]""")]
    public async Task Malformed_savings_are_refused_with_invalid_params_and_nothing_is_written(string arguments)
    {
        var (c, _) = await Open();
        await using var __ = c;
        var ex = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.recordSaving", arguments = JArray.Parse(arguments) }));
        Assert.Equal(-32602, Code(ex));
        Assert.False(File.Exists(Path.Combine(_root, ".carbonlsp", "ledger.db")));
    }

    [Fact]
    public async Task The_report_command_writes_the_report_inside_the_workspace_with_the_open_text()
    {
        var (c, uri) = await Open();
        await using var _ = c;
        // An unsaved edit: the report shows what the editor shows.
        await c.ChangeAsync(uri, 2, new { text = Wasteful.Replace("\"hero\"", "\"hero-edited\"") });
        var result = await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.report", arguments = new object[] { new Uri(_root).AbsoluteUri } }, TimeSpan.FromSeconds(60));
        var path = (string)result["path"]!;
        Assert.Equal(Path.Combine(_root, ".carbonlsp", "footprint-report.html"), path);
        Assert.Equal(1, (int)result["files"]!);
        var html = File.ReadAllText(path);
        Assert.Contains("hero-edited", html);
        Assert.Contains("data-chart=\"co2-by-prompt\"", html);
        Assert.Contains("No ledger: no image has been generated in this workspace yet.", html);
        Assert.Contains("CL101", html);                          // what the preferred fixes would save
        lock (c.Target.Shown) Assert.Empty(c.Target.Shown);                         // not asked to open it

        await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.report", arguments = new object[] { uri, true } }, TimeSpan.FromSeconds(60));
        await Wait.Until(() => { lock (c.Target.Shown) return c.Target.Shown.Count == 1; });
        lock (c.Target.Shown) Assert.Equal(new Uri(path).AbsoluteUri, c.Target.Shown[0]);

        var bad = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.report", arguments = new object[] { 42 } }));
        Assert.Equal(-32602, Code(bad));
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_is_an_error_the_client_can_show_and_the_server_keeps_serving()
    {
        var (c, uri) = await Open();
        await using var _ = c;
        File.WriteAllText(Path.Combine(_root, ".carbonlsp"), "a file where the folder would be");
        var ex = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.report", arguments = new object[] { uri } }, TimeSpan.FromSeconds(60)));
        Assert.Contains("No report: it could not be written", ex.Message);
        Assert.NotNull(await c.RequestAsync<JToken>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 165) }));
    }

    /// <summary>StreamJsonRpc raises -32602 as "method not found" (its own reading of invalid params).</summary>
    private static int Code(RemoteRpcException e) => e is RemoteMethodNotFoundException m ? (int)m.ErrorCode : ((RemoteInvocationException)e).ErrorCode;
}
