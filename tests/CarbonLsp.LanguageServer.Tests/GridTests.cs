using CarbonLsp.Tests.Shared;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Issue 21 in the editor: with a grid provider in the settings, the estimates use the live figure
/// once it arrives (fetched off the typing path: the first answers use the annual average), and the hover
/// says which figure it is; without one, nothing is asked.</summary>
public sealed class GridTests : IDisposable
{
    private readonly LoopbackServer _uk = new();

    public void Dispose() => _uk.Dispose();

    private const string Uri = "file:///w/grid.prompts.json";
    private const string Text = """{ "region": "GB", "device": "nvidia-h100", "prompts": [ { "id": "a", "prompt": "a lighthouse", "model": "sdxl", "steps": 30 } ] }""";

    private static string HoverText(JObject hover) => (string)hover["contents"]!["value"]!;

    [Fact]
    public async Task The_live_figure_replaces_the_annual_average_once_it_arrives_and_the_hover_says_so()
    {
        _uk.Respond = _ =>
        {
            var now = DateTimeOffset.UtcNow;
            return new LoopbackServer.Reply(200, $$"""{ "data": [ { "from": "{{now.AddMinutes(-10):yyyy-MM-ddTHH:mm}}Z", "to": "{{now.AddMinutes(20):yyyy-MM-ddTHH:mm}}Z", "intensity": { "forecast": 400, "actual": 410, "index": "high" } } ] }""");
        };
        await using var c = new TestClient(settings: new JObject { ["gridProvider"] = "uk", ["gridUrl"] = _uk.BaseUrl.ToString() });
        await c.InitializeAsync();
        await c.OpenAsync(Uri, Text);
        await c.DiagnosticsAsync(Uri);
        string hover = "";
        for (var i = 0; i < 100 && !hover.Contains("now 410 g CO2e/kWh"); i++)
        {
            hover = HoverText(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, 70) }));
            await Task.Delay(100);
        }
        Assert.Contains("Grid: United Kingdom now 410 g CO2e/kWh (UK Carbon Intensity API, live", hover);
        // Only the zone went out.
        Assert.All(_uk.Requests, r => Assert.StartsWith("/intensity/", r.PathAndQuery));
        var summary = await c.RequestAsync<JObject>("carbonlsp/summary", new { textDocument = new { uri = Uri } });
        Assert.NotNull(summary);
    }

    [Fact]
    public async Task A_failing_provider_leaves_the_annual_average_and_is_logged_once()
    {
        _uk.Respond = _ => new LoopbackServer.Reply(500, "{}");
        await using var c = new TestClient(settings: new JObject { ["gridProvider"] = "uk", ["gridUrl"] = _uk.BaseUrl.ToString() });
        await c.InitializeAsync();
        await c.OpenAsync(Uri, Text);
        await c.DiagnosticsAsync(Uri);
        await Wait.Until(() => { lock (c.Target.Logs) return c.Target.Logs.Any(l => ((string?)l["message"])?.Contains("UK Carbon Intensity API answered HTTP 500") == true); });
        var hover = HoverText(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, 70) }));
        Assert.Contains("annual average", hover);
    }

    [Fact]
    public async Task Without_a_provider_nothing_is_asked_and_the_hover_says_annual_average()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        await c.OpenAsync(Uri, Text);
        await c.DiagnosticsAsync(Uri);
        var hover = HoverText(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, 70) }));
        Assert.Contains("g CO2e/kWh (2023 annual average)", hover);
        Assert.Empty(_uk.Requests);
    }

    /// <summary>400 g/kWh from ten minutes ago until <paramref name="cleanAfter"/> from now, then 100 for three hours.</summary>
    private void CleanerSoon(TimeSpan cleanAfter)
    {
        _uk.Respond = _ =>
        {
            var now = DateTimeOffset.UtcNow;
            string T(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            return new LoopbackServer.Reply(200, $$"""
                { "data": [ { "from": "{{T(now.AddMinutes(-10))}}", "to": "{{T(now + cleanAfter)}}", "intensity": { "forecast": 400, "index": "high" } },
                            { "from": "{{T(now + cleanAfter)}}", "to": "{{T(now.AddHours(3))}}", "intensity": { "forecast": 100, "index": "low" } } ] }
                """);
        };
    }

    /// <summary>A server with the UK provider on the loopback server, a workspace at <paramref name="root"/> and a
    /// carbon-tiny prompt file open in it.</summary>
    private async Task<(TestClient Client, string Uri)> OpenTinyAsync(string root)
    {
        var uri = new System.Uri(Path.Combine(root, "g.prompts.json")).AbsoluteUri;
        var c = new TestClient(settings: new JObject { ["gridProvider"] = "uk", ["gridUrl"] = _uk.BaseUrl.ToString() });
        await c.InitializeAsync(rootUri: new System.Uri(root).AbsoluteUri);
        await c.OpenAsync(uri, """{ "region": "GB", "device": "cpu", "prompts": [ { "id": "c", "prompt": "a red circle on a blue background", "model": "carbon-tiny", "steps": 2, "seed": 1 } ] }""");
        return (c, uri);
    }

    [Fact]
    public async Task A_forecast_that_saves_shows_a_greener_lens_and_a_hover_line_and_the_command_waits_then_generates()
    {
        CleanerSoon(TimeSpan.FromSeconds(3));
        var root = Directory.CreateTempSubdirectory("carbonlsp-grid-ws-").FullName;
        try
        {
            var (c, uri) = await OpenTinyAsync(root);
            await using var _ = c;
            JArray lenses = new();
            for (var i = 0; i < 100 && !lenses.Any(l => ((string?)l["command"]?["title"])?.StartsWith("🌱 Greener at") == true); i++)
            {
                lenses = await c.RequestAsync<JArray>("textDocument/codeLens", new { textDocument = new { uri } });
                await Task.Delay(50);
            }
            var greener = lenses.Single(l => ((string?)l["command"]?["title"])?.StartsWith("🌱 Greener at") == true);
            Assert.EndsWith(": −75 % CO2e", (string)greener["command"]!["title"]!);
            Assert.Equal("carbonlsp.generateAtCleanest", (string)greener["command"]!["command"]!);
            var hover = HoverText(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 60) }));
            Assert.Contains("Greener at **", hover);
            // The same as a code action (a source action: it runs the command), for editors without lenses.
            var actions = await c.RequestAsync<JArray>("textDocument/codeAction", new { textDocument = new { uri }, range = new { start = TestClient.Pos(0, 60), end = TestClient.Pos(0, 60) }, context = new { diagnostics = Array.Empty<object>() } });
            var wait = actions.Single(a => ((string)a["title"]!).StartsWith("Generate at the cleanest time:", StringComparison.Ordinal));
            Assert.Equal("source", (string)wait["kind"]!);
            Assert.Equal("carbonlsp.generateAtCleanest", (string)wait["command"]!["command"]!);
            Assert.EndsWith("−75 % CO2e", (string)wait["title"]!);
            Assert.Contains("**−75 % CO2e** (UK Carbon Intensity API forecast", hover);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.generateAtCleanest", arguments = greener["command"]!["arguments"] }, TimeSpan.FromSeconds(60));
            Assert.True(watch.Elapsed > TimeSpan.FromSeconds(1), $"it did not wait: {watch.Elapsed}");
            Assert.True(File.Exists(Path.Combine(root, "generated", "c.png")));
            // The run's CO2e used the forecast for its window, and its record says so.
            var png = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(root, "generated", "c.png")));
            Assert.Contains("\"IntensityKind\":\"forecast\"", png);
            Assert.Contains("\"IntensityGramsPerKWh\":100.0", png);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public async Task Cancelling_the_wait_generates_nothing()
    {
        CleanerSoon(TimeSpan.FromMinutes(30));
        var root = Directory.CreateTempSubdirectory("carbonlsp-grid-ws-").FullName;
        try
        {
            var (c, uri) = await OpenTinyAsync(root);
            await using var _ = c;
            for (var i = 0; i < 100; i++)
            {
                var lenses = await c.RequestAsync<JArray>("textDocument/codeLens", new { textDocument = new { uri } });
                if (lenses.Any(l => ((string?)l["command"]?["title"])?.StartsWith("🌱") == true)) break;
                await Task.Delay(50);
            }
            var waiting = c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.generateAtCleanest", arguments = new object[] { uri, 0 } }, TimeSpan.FromSeconds(60));
            await Task.Delay(500);
            Assert.False(waiting.IsCompleted);
            await c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.cancel", arguments = Array.Empty<object>() });
            await Assert.ThrowsAnyAsync<Exception>(() => waiting);
            Assert.False(Directory.Exists(Path.Combine(root, "generated")));
        }
        finally { Directory.Delete(root, true); }
    }
}
