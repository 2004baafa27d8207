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
}
