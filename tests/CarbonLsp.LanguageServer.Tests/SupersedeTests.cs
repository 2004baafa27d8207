using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Issue 18, item 3: a newer edit cancels the analysis of the version it replaces, and the
/// next version still analyses only the edited prompt.</summary>
public class SupersedeTests
{
    private const string Uri = "file:///workspace/a.prompts.json";
    private const string Text = """{ "prompts": [ { "prompt": "a cat", "model": "sd15" }, { "prompt": "a dog", "model": "sdxl" } ] }""";

    private static TextDocumentContentChangeEvent Insert(string text, int offset, string inserted)
    {
        var lines = new Core.Text.LineIndex(text);
        var p = lines.GetPosition(offset);
        var pos = new Position(p.Line, p.Character);
        return new TextDocumentContentChangeEvent(new Protocol.Range(pos, pos), inserted);
    }

    [Fact]
    public async Task A_replaced_version_stops_analysing_and_its_readers_are_told_it_changed()
    {
        var store = new DocumentStore(new AnalysisService());
        var first = store.Open(Uri, 1, Text);
        await first.GetAnalysisAsync(default);                          // analysed: the incremental base
        var at = Text.IndexOf("a dog", StringComparison.Ordinal) + 1;
        var second = store.Change(Uri, 2, new[] { Insert(Text, at, "x") })!;
        var third = store.Change(Uri, 3, new[] { Insert(second.Text.ToString(), at + 1, "y") })!; // before anyone asked for version 2
        Assert.True(second.Superseded);
        Assert.False(third.Superseded);
        // Version 2's analysis never runs to the end: whoever waits for it is told the file changed.
        await Assert.ThrowsAsync<AnalysisSupersededException>(() => second.GetAnalysisAsync(default));
        // Version 3 composes both edits onto version 1's analysis: one prompt re-parsed, not the file.
        var analysis = await third.GetAnalysisAsync(default);
        Assert.NotNull(analysis.Document.Edit);
        Assert.Equal(1, analysis.Document.Edit!.PromptIndex);
        Assert.Contains("axy dog", analysis.Document.Text);
        // A version analysed before it was replaced keeps its result for readers that hold it.
        Assert.Same(await first.GetAnalysisAsync(default), await first.GetAnalysisAsync(default));
    }

    [Fact]
    public async Task Closing_a_file_stops_its_analysis()
    {
        var store = new DocumentStore(new AnalysisService());
        var open = store.Open(Uri, 1, Text);
        Assert.True(store.Close(Uri));
        Assert.True(open.Superseded);
        await Assert.ThrowsAsync<AnalysisSupersededException>(() => open.GetAnalysisAsync(default));
    }

    [Fact]
    public async Task A_request_after_an_edit_is_served_on_the_new_version()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        await c.OpenAsync(Uri, Text);
        await c.DiagnosticsAsync(Uri);
        // The server serves the current version: hovering after an edit works on the new text.
        await c.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri = Uri, version = 2 },
            contentChanges = new[] { new { range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } }, text = " " } },
        });
        var hover = await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, 30) });
        Assert.NotNull(hover);
        Assert.Contains("Energy", (string)hover["contents"]!["value"]!);
    }
}

/// <summary>Issue 18, item 6: command arguments are typed and checked; a malformed one answers
/// InvalidParams saying what was expected, and the server keeps serving.</summary>
public class CommandArgumentTests
{
    [Theory]
    [InlineData("carbonlsp.generate", "[\"file:///a.prompts.json\"]", "[uri, promptIndex, force?]")]
    [InlineData("carbonlsp.generate", "[\"file:///a.prompts.json\", \"zero\"]", "[uri, promptIndex, force?]")]
    [InlineData("carbonlsp.showFootprint", "[5, 0]", "[uri, promptIndex, force?]")]
    [InlineData("carbonlsp.openImage", "[\"file:///a.prompts.json\", 0]", "[uri, imagePath]")]
    [InlineData("carbonlsp.generateAll", "[]", "[uri, force?]")]
    public async Task Malformed_arguments_answer_invalid_params_with_what_was_expected(string command, string arguments, string expected)
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        // StreamJsonRpc raises InvalidParams (-32602) on the client as RemoteMethodNotFoundException.
        var ex = await Assert.ThrowsAsync<StreamJsonRpc.RemoteMethodNotFoundException>(() =>
            c.RequestAsync<JToken>("workspace/executeCommand", new { command, arguments = JArray.Parse(arguments).Select(t => ((JValue)t).Value).ToArray() }));
        Assert.Equal(StreamJsonRpc.Protocol.JsonRpcErrorCode.InvalidParams, ex.ErrorCode);
        Assert.Contains(expected, ex.Message);
        Assert.NotNull(await c.RequestAsync<JToken>("carbonlsp/summary", new { }));
    }
}

/// <summary>Issue 19, item 15 (found by the real VS Code test): a request whose snapshot new settings replaced
/// is served on the same version's new snapshot; only a newer text answers ContentModified.</summary>
public class SettingsRefreshTests
{
    private const string Uri = "file:///workspace/a.prompts.json";
    private const string Text = """{ "prompts": [ { "prompt": "a cat", "model": "sd15", "steps": 90 } ] }""";

    [Fact]
    public async Task New_settings_serve_a_waiting_request_on_the_new_snapshot_a_new_text_answers_content_modified()
    {
        var store = new DocumentStore(new AnalysisService());
        var opened = store.Open(Uri, 1, Text);
        var refreshed = store.Refresh().Single();                       // new settings: the same text, version 1
        Assert.True(opened.Superseded);
        var analysis = await Features.HandlerBase.AnalysisOfCurrentVersion(opened, store.Get, default);
        Assert.NotNull(analysis);
        Assert.Same(await refreshed.GetAnalysisAsync(default), analysis);
        // A newer version of the text replaces a snapshot nobody analysed yet: the client must ask again on it.
        var waiting = store.Refresh().Single();
        var changed = store.Change(Uri, 2, new[] { new TextDocumentContentChangeEvent(null, Text.Replace("90", "95")) })!;
        var ex = await Assert.ThrowsAsync<StreamJsonRpc.LocalRpcException>(() => Features.HandlerBase.AnalysisOfCurrentVersion(waiting, store.Get, default));
        Assert.Equal(ErrorCodes.ContentModified, ex.ErrorCode);
        Assert.NotNull(await Features.HandlerBase.AnalysisOfCurrentVersion(changed, store.Get, default));
    }

    [Fact]
    public void Settings_read_twice_from_the_same_json_are_equal_so_reading_them_again_re_analyses_nothing()
    {
        // What VS Code answers to workspace/configuration: the whole section, rules object included. Each
        // read used to build a new set of disabled codes, so every read counted as a change: three reads at
        // start-up re-analysed the files three times and sent three rounds of refresh requests.
        const string Section = """{ "region": "DE", "rules": { "stepsTolerance": 1.5, "disabled": ["cl105", "CL104"] }, "codeLens": true }""";
        var a = Configuration.ServerSettings.From(JObject.Parse(Section));
        var b = Configuration.ServerSettings.From(JObject.Parse(Section));
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Configuration.ServerSettings.From(JObject.Parse(Section.Replace("CL104", "CL103"))));
        Assert.NotEqual(a, Configuration.ServerSettings.From(JObject.Parse(Section.Replace("1.5", "2"))));
    }

    [Fact]
    public async Task Once_initialized_the_client_is_asked_to_fetch_lenses_and_hints_and_unchanged_settings_ask_nothing_more()
    {
        // VS Code may ask for lenses before it can send the request, and then shows none until the next edit.
        await using var c = new TestClient(new JObject { ["region"] = "DE" });
        await c.InitializeAsync(initializationOptions: new JObject { ["region"] = "DE" });
        int Count(string method) { lock (c.Target.Requests) return c.Target.Requests.Count(r => r == method); }
        await Wait.Until(() => Count("workspace/codeLens/refresh") == 1 && Count("workspace/inlayHint/refresh") == 1);
        // The same settings again (VS Code reads them three times at start-up): no re-analysis, no refresh.
        await c.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { } });
        await Wait.Until(() => Count("workspace/configuration") == 2);
        await c.SyncAsync();
        await Task.Delay(200);
        Assert.Equal(1, Count("workspace/codeLens/refresh"));
    }
}
