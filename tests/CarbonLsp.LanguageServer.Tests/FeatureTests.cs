using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Every feature end to end over a real JSON-RPC connection.</summary>
public class FeatureTests
{
    private const string Uri = "file:///workspace/campaign.prompts.json";

    private const string Text = """
        {
          "region": "DE",
          "device": "nvidia-rtx-4090",
          "budget": { "co2eGrams": 100 },
          "prompts": [
            { "id": "hero", "prompt": "a lighthouse at dawn", "model": "sdxl", "steps": 80, "seed": 1 },
            { "id": "icon", "prompt": "a leaf icon", "model": "sdxl-turbo", "steps": 1, "guidance": 7.5, "seed": 2 },
            { "id": "icon2", "prompt": "a leaf icon", "model": "sdxl-turbo", "steps": 1, "guidance": 7.5, "seed": 2 }
          ]
        }
        """;

    private static async Task<TestClient> Open(string text = Text, JObject? caps = null)
    {
        var c = new TestClient();
        await c.InitializeAsync(caps);
        await c.OpenAsync(Uri, text);
        return c;
    }

    /// <summary>A client whose settings set the debounce; the setting is answered to workspace/configuration
    /// (pulled after initialized), so this waits until the server has applied it.</summary>
    private static async Task<TestClient> WithDebounce(int ms)
    {
        var c = new TestClient(new JObject { ["debounceMs"] = ms });
        await c.InitializeAsync();
        var applied = Task.Run(async () => { while (c.Server.Analysis.Settings.DebounceMs != ms) await Task.Delay(10); });
        Assert.Same(applied, await Task.WhenAny(applied, Task.Delay(TestClient.Timeout)));
        return c;
    }

    [Fact]
    public async Task Publishes_diagnostics_with_codes_links_related_information_and_tags()
    {
        await using var c = await Open();
        var diags = (JArray)(await c.DiagnosticsAsync(Uri))["diagnostics"]!;
        var steps = diags.First(d => (string)d["code"]! == "CL101");
        Assert.Equal(2, (int)steps["severity"]!);
        Assert.Equal(5, (int)steps["range"]!["start"]!["line"]!);
        // The rule link opens the documentation that ships next to the server, not a guessed web address.
        var href = new Uri((string)steps["codeDescription"]!["href"]!);
        Assert.Equal("#cl101", href.Fragment);
        Assert.True(href.IsFile && File.Exists(href.LocalPath), href.ToString());
        Assert.Contains("## cl101", File.ReadAllText(href.LocalPath));
        Assert.Equal("carbonlsp", (string)steps["source"]!);
        var dup = diags.First(d => (string)d["code"]! == "CL108");
        Assert.Equal(new[] { 1 }, dup["tags"]!.Select(t => (int)t));
        Assert.Equal(6, (int)dup["relatedInformation"]![0]!["location"]!["range"]!["start"]!["line"]!);
    }

    [Fact]
    public async Task Edit_hover_quickfix_and_the_diagnostic_goes()
    {
        await using var c = await Open();
        await c.DiagnosticsAsync(Uri, d => d.Any(x => (string)x["code"]! == "CL101"));
        // Hover on "steps" of the first prompt: a focused answer.
        var hover = await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(5, 75) });
        Assert.Contains("each extra step costs", (string)hover["contents"]!["value"]!);
        // Hover on the prompt text: the whole footprint with range, equivalents, alternative, sources.
        var whole = (string)(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(5, 30) }))["contents"]!["value"]!;
        foreach (var expected in new[] { "Energy", "CO2e", "denoising", "miles driven", "Lighter:", "Sources:", "host",
                     "Device: NVIDIA GeForce RTX 4090, named in the file", "rates the accelerator's energy per image" })
            Assert.Contains(expected, whole);
        // Quick fix for the steps diagnostic, applied as a client would.
        var actions = await c.RequestAsync<JArray>("textDocument/codeAction", new
        {
            textDocument = new { uri = Uri }, range = new { start = TestClient.Pos(5, 80), end = TestClient.Pos(5, 80) }, context = new { diagnostics = Array.Empty<object>() },
        });
        var fix = actions.First(a => ((string)a["title"]!).StartsWith("Use 25 steps"));
        Assert.Equal("quickfix", (string)fix["kind"]!);
        Assert.True((bool)fix["isPreferred"]!);
        Assert.Equal("CL101", (string)fix["diagnostics"]![0]!["code"]!);
        var edit = fix["edit"]!["documentChanges"]![0]!["edits"]![0]!;
        await c.ChangeAsync(Uri, 2, new { range = edit["range"], text = (string)edit["newText"]! });
        var after = await c.DiagnosticsAsync(Uri, d => !d.Any(x => (string)x["code"]! == "CL101"));
        Assert.Equal(2, (int)after["version"]!);
    }

    [Fact]
    public async Task An_edit_after_a_pause_publishes_at_once_and_a_burst_publishes_only_its_last_version()
    {
        await using var c = await WithDebounce(3000);
        static string File(int steps) => $"{{ \"prompts\": [ {{ \"prompt\": \"a cat\", \"model\": \"sdxl\", \"steps\": {steps} }} ] }}";
        await c.OpenAsync(Uri, File(100));
        Assert.Equal(1, (int)(await c.DiagnosticsAsync(Uri))["version"]!);
        // First edit after a pause: no 3 s wait (the timeout is shorter than the debounce).
        await c.ChangeAsync(Uri, 2, new { text = File(101) });
        Assert.Equal(2, (int)(await c.DiagnosticsAsync(Uri, timeout: TimeSpan.FromMilliseconds(2500)))["version"]!);
        // A burst (edits 0.3 s apart, well inside the 3 s debounce, and long enough for each to be
        // analysed if nothing held it back): only its last version is published.
        for (var v = 3; v <= 5; v++)
        {
            if (v > 3) await Task.Delay(300);
            await c.ChangeAsync(Uri, v, new { text = File(100 + v) });
        }
        var last = await c.DiagnosticsAsync(Uri, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(5, (int)last["version"]!);
        Assert.Contains("105 steps", (string)last["diagnostics"]!.First(d => (string)d["code"]! == "CL101")["message"]!);
    }

    [Fact]
    public async Task Incremental_edits_apply_in_order_with_utf16_positions()
    {
        await using var c = await Open("{ \"prompts\": [ { \"prompt\": \"😀\", \"model\": \"sd15\" } ] }");
        await c.DiagnosticsAsync(Uri);
        // Insert after the emoji: it is two UTF-16 code units (characters 28 and 29), so "after" is 30.
        for (var i = 0; i < 50; i++)
            await c.ChangeAsync(Uri, 2 + i, new { range = new { start = TestClient.Pos(0, 30 + i), end = TestClient.Pos(0, 30 + i) }, text = "x" });
        // "sd15" started at 43 and moved right by 50.
        await c.ChangeAsync(Uri, 52, new { range = new { start = TestClient.Pos(0, 43 + 50), end = TestClient.Pos(0, 47 + 50) }, text = "sdxl" });
        await c.SyncAsync();
        var snapshot = c.Server.Documents.Get(Uri)!;
        Assert.Equal(52, snapshot.Version);
        Assert.Equal("{ \"prompts\": [ { \"prompt\": \"😀" + new string('x', 50) + "\", \"model\": \"sdxl\" } ] }", snapshot.Text.ToString());
    }

    [Fact]
    public async Task Edits_inside_a_prompt_reanalyse_only_it_and_publish_what_a_full_analysis_would()
    {
        await using var c = await Open();
        await c.DiagnosticsAsync(Uri, d => d.Any(x => (string)x["code"]! == "CL108"));
        var lines = Text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("\"icon\"", StringComparison.Ordinal));
        // Type "s" after "a leaf icon" in the second prompt: it no longer repeats the third (CL108 goes),
        // then make its steps excessive (a new finding in the edited prompt).
        var at = lines[line].IndexOf("icon\"", lines[line].IndexOf("\"prompt\"", StringComparison.Ordinal), StringComparison.Ordinal) + 4;
        await c.ChangeAsync(Uri, 2, new { range = new { start = TestClient.Pos(line, at), end = TestClient.Pos(line, at) }, text = "s" });
        await c.DiagnosticsAsync(Uri, d => !d.Any(x => (string)x["code"]! == "CL108"));
        var steps = lines[line].IndexOf("\"steps\": 1", StringComparison.Ordinal) + 1; // shifted by the "s" typed before it
        await c.ChangeAsync(Uri, 3, new { range = new { start = TestClient.Pos(line, steps + 9), end = TestClient.Pos(line, steps + 10) }, text = "40" });
        var published = await c.DiagnosticsAsync(Uri, d => d.Any(x => (string)x["code"]! == "CL101" && (int)x["range"]!["start"]!["line"]! == line));

        var snapshot = c.Server.Documents.Get(Uri)!;
        var incremental = await snapshot.GetAnalysisAsync(CancellationToken.None);
        Assert.NotNull(incremental.Document.Edit); // only the edited prompt was parsed again
        var full = c.Server.Analysis.Analyze(snapshot, null, null);
        Assert.Null(full.Document.Edit);
        string Key(string code, int l, int ch, string message) => $"{code} {l}:{ch} {message}";
        var expected = full.Findings.Select(f => { var r = full.Document.GetRange(f.Span); return Key(f.Code, r.Start.Line, r.Start.Character, f.Message); });
        var got = published["diagnostics"]!.Select(d => Key((string)d["code"]!, (int)d["range"]!["start"]!["line"]!, (int)d["range"]!["start"]!["character"]!, (string)d["message"]!));
        Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), got.OrderBy(x => x, StringComparer.Ordinal));
        // Hover on the edited prompt's steps answers from the new analysis.
        var hover = await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(line, steps + 10) });
        Assert.Contains("each extra step costs", (string)hover["contents"]!["value"]!);
    }

    [Fact]
    public async Task A_burst_of_keystrokes_is_analysed_once_incrementally_from_the_last_analysed_version()
    {
        await using var c = await WithDebounce(1000);
        await c.OpenAsync(Uri, Text);
        await c.DiagnosticsAsync(Uri, d => d.Any(x => (string)x["code"]! == "CL108"));
        var lines = Text.Split('\n');
        var line = Array.FindIndex(lines, l => l.Contains("\"icon\"", StringComparison.Ordinal));
        var at = lines[line].IndexOf("icon\"", lines[line].IndexOf("\"prompt\"", StringComparison.Ordinal), StringComparison.Ordinal) + 4;
        object Insert(int ch, string text) => new { range = new { start = TestClient.Pos(line, ch), end = TestClient.Pos(line, ch) }, text };
        object Delete(int ch) => new { range = new { start = TestClient.Pos(line, ch), end = TestClient.Pos(line, ch + 1) }, text = "" };
        // After a pause: analysed at once ("a leaf iconx" no longer repeats the third prompt).
        await c.ChangeAsync(Uri, 2, Insert(at, "x"));
        await c.DiagnosticsAsync(Uri, d => !d.Any(x => (string)x["code"]! == "CL108"));
        var analysed = c.Server.Documents.Get(Uri)!;
        // Then three keystrokes 50 ms apart, inside the debounce: delete "x", type "z", delete "z".
        var burst = new[] { Delete(at), Insert(at, "z"), Delete(at) };
        for (var k = 0; k < burst.Length; k++)
        {
            if (k > 0) await Task.Delay(50);
            await c.ChangeAsync(Uri, 3 + k, burst[k]);
        }
        var published = await c.DiagnosticsAsync(Uri, d => d.Any(x => (string)x["code"]! == "CL108"));
        Assert.Equal(5, (int)published["version"]!);
        var snapshot = c.Server.Documents.Get(Uri)!;
        Assert.Equal(Text, snapshot.Text.ToString());
        var analysis = await snapshot.GetAnalysisAsync(CancellationToken.None);
        // Parsed from the version analysed before the burst, with the three changes composed into one.
        Assert.NotNull(analysis.Document.Edit);
        Assert.Equal((await analysed.GetAnalysisAsync(CancellationToken.None)).Document.Id, analysis.Document.Edit!.BaseId);
        var full = c.Server.Analysis.Analyze(snapshot, null, null);
        Assert.Equal(full.Findings.Select(f => (f.Code, f.Span, f.Message)), analysis.Findings.Select(f => (f.Code, f.Span, f.Message)));
    }

    [Fact]
    public async Task Full_sync_replaces_the_text_and_close_clears_diagnostics()
    {
        await using var c = await Open();
        await c.DiagnosticsAsync(Uri);
        await c.ChangeAsync(Uri, 2, new { text = "{ \"prompts\": [ { \"prompt\": 1 } ] }" });
        var d = await c.DiagnosticsAsync(Uri, x => x.Any(y => (string)y["code"]! == "CL002"));
        Assert.NotNull(d);
        await c.NotifyAsync("textDocument/didClose", new { textDocument = new { uri = Uri } });
        await c.DiagnosticsAsync(Uri, x => x.Count == 0);
    }

    [Fact]
    public async Task Documents_are_ours_by_name_whatever_the_language_id()
    {
        await using var c = new TestClient();
        await c.InitializeAsync();
        await c.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = "file:///x/package.json", languageId = "json", version = 1, text = "{}" } });
        await c.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri = "file:///x/a.PROMPTS.json", languageId = "jsonc", version = 1, text = "{ \"prompts\": [] }" } });
        await c.DiagnosticsAsync("file:///x/a.PROMPTS.json");
        Assert.Null(c.Server.Documents.Get("file:///x/package.json"));
    }

    [Fact]
    public async Task A_client_that_asks_for_plain_text_gets_a_hover_without_markdown()
    {
        await using var c = await Open(caps: JObject.Parse("""{ "textDocument": { "hover": { "contentFormat": ["plaintext"] } } }"""));
        await c.DiagnosticsAsync(Uri);
        var hover = await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri = Uri }, position = TestClient.Pos(5, 40) });
        Assert.Equal("plaintext", (string)hover["contents"]!["kind"]!);
        var text = (string)hover["contents"]!["value"]!;
        Assert.Contains("hero", text);
        Assert.Contains("Energy: ", text);
        Assert.DoesNotContain("**", text);
        Assert.DoesNotContain("|---", text);
        Assert.DoesNotContain("`", text);
    }

    [Fact]
    public async Task Code_actions_offer_lighter_models_and_fix_all()
    {
        await using var c = await Open();
        await c.DiagnosticsAsync(Uri);
        var actions = await c.RequestAsync<JArray>("textDocument/codeAction", new
        {
            textDocument = new { uri = Uri }, range = new { start = TestClient.Pos(5, 10), end = TestClient.Pos(5, 10) }, context = new { diagnostics = Array.Empty<object>() },
        });
        Assert.Contains(actions, a => (string)a["kind"]! == "refactor.rewrite" && ((string)a["title"]!).Contains("SDXL-Turbo"));
        var fixAll = actions.Single(a => (string)a["kind"]! == "source.fixAll");
        var edits = fixAll["edit"]!["documentChanges"]![0]!["edits"]!.ToArray();
        // Problems only (no model switch: a suggestion), listed in the title and attached as diagnostics; the
        // duplicate's removal touches its neighbour, whose CFG fix waits for the next pass.
        Assert.True(edits.Length >= 2, fixAll.ToString());
        Assert.Equal("Fix 2 problems: 1 × more steps than the model needs, 1 × duplicate prompt", (string)fixAll["title"]!);
        Assert.Equal(new[] { "CL101", "CL108" }, fixAll["diagnostics"]!.Select(d => (string)d["code"]!).OrderBy(x => x).ToArray());
        var only = await c.RequestAsync<JArray>("textDocument/codeAction", new
        {
            textDocument = new { uri = Uri }, range = new { start = TestClient.Pos(0, 0), end = TestClient.Pos(0, 0) }, context = new { diagnostics = Array.Empty<object>(), only = new[] { "source.fixAll" } },
        });
        Assert.All(only, a => Assert.Equal("source.fixAll", (string)a["kind"]!));
    }

    [Fact]
    public async Task Code_lens_inlay_hints_and_symbols_cover_every_prompt()
    {
        await using var c = await Open();
        var lenses = await c.RequestAsync<JArray>("textDocument/codeLens", new { textDocument = new { uri = Uri } });
        var footprints = lenses.Where(l => ((string)l["command"]!["title"]!).StartsWith("⚡")).ToList();
        Assert.Equal(3, footprints.Count);
        Assert.Matches(@"⚡ [\d.]+ Wh · [\d.]+ g CO2e · [A-E]", (string)footprints[0]["command"]!["title"]!);
        Assert.Equal(3, lenses.Count(l => (string)l["command"]!["command"]! == "carbonlsp.generate"));
        var hints = await c.RequestAsync<JArray>("textDocument/inlayHint", new { textDocument = new { uri = Uri }, range = new { start = TestClient.Pos(0, 0), end = TestClient.Pos(6, 0) } });
        Assert.Single(hints); // only the first prompt ends inside lines 0-5
        Assert.Equal(5, (int)hints[0]["position"]!["line"]!);
        var symbols = await c.RequestAsync<JArray>("textDocument/documentSymbol", new { textDocument = new { uri = Uri } });
        Assert.Equal(new[] { "hero", "icon", "icon2" }, symbols.Select(s => (string)s["name"]!));
        Assert.NotNull(symbols[0]["selectionRange"]);
    }

    [Fact]
    public async Task Completion_offers_models_with_energy_enums_sizes_and_keys()
    {
        var text = "{ \"device\": \"cpu\", \"prompts\": [ { \"prompt\": \"x\", \"model\": \"\", \"precision\": \"\", \"width\": 5 } ] }";
        await using var c = await Open(text);
        var models = await c.RequestAsync<JObject>("textDocument/completion", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, text.IndexOf("\"model\": \"", StringComparison.Ordinal) + 10) });
        var items = (JArray)models["items"]!;
        Assert.Contains(items, i => (string)i["label"]! == "sdxl-turbo" && ((string)i["detail"]!).Contains("Wh/image"));
        Assert.Contains(items, i => (string)i["label"]! == "stabilityai/sdxl-turbo");
        Assert.Equal("\"carbon-tiny\"", (string)items.First(i => (string)i["label"]! == "carbon-tiny")["textEdit"]!["newText"]!);
        var precision = (JArray)(await c.RequestAsync<JObject>("textDocument/completion", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, text.IndexOf("\"precision\": \"", StringComparison.Ordinal) + 14) }))["items"]!;
        Assert.Equal(CarbonLsp.Core.Documents.FieldNames.Precisions, precision.Select(i => (string)i["label"]!));
        var width = (JArray)(await c.RequestAsync<JObject>("textDocument/completion", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, text.IndexOf("\"width\": 5", StringComparison.Ordinal) + 10) }))["items"]!;
        Assert.Contains(width, i => (string)i["label"]! == "512"); // "model": "" is unknown: sizes for the SD 1.5-class stand-in
        var keys = (JArray)(await c.RequestAsync<JObject>("textDocument/completion", new { textDocument = new { uri = Uri }, position = TestClient.Pos(0, text.IndexOf("{ \"prompt\"", StringComparison.Ordinal) + 1) }))["items"]!;
        Assert.Contains(keys, i => (string)i["label"]! == "steps");
        Assert.DoesNotContain(keys, i => (string)i["label"]! == "model");
    }

    [Fact]
    public async Task Configuration_changes_reanalyse_open_files()
    {
        await using var c = new TestClient(new JObject { ["region"] = "FR" });
        await c.InitializeAsync();
        await Wait.Until(() => c.Server.Analysis.Settings.Region == "FR");
        await c.OpenAsync(Uri, "{ \"prompts\": [ { \"prompt\": \"x\", \"model\": \"sd15\", \"images\": 6 } ] }");
        await c.DiagnosticsAsync(Uri);
        var before = await c.RequestAsync<JObject>("carbonlsp/summary", new { textDocument = new { uri = Uri } });
        c.Target.Settings = new JObject { ["region"] = "PL", ["rules"] = new JObject { ["maxImages"] = 4 } };
        await c.NotifyAsync("workspace/didChangeConfiguration", new { settings = new { } });
        await c.DiagnosticsAsync(Uri, d => d.Any(x => (string)x["code"]! == "CL104"));
        var after = await c.RequestAsync<JObject>("carbonlsp/summary", new { textDocument = new { uri = Uri } });
        Assert.True((double)after["file"]!["co2eGrams"]! > 10 * (double)before["file"]!["co2eGrams"]!); // Poland vs France
        await Wait.Until(() => { lock (c.Target.Requests) return c.Target.Requests.Contains("workspace/inlayHint/refresh"); });
    }

    [Fact]
    public async Task Initialization_options_are_settings_too()
    {
        await using var c = new TestClient();
        await c.InitializeAsync(JObject.Parse("{}"), new JObject { ["device"] = "nvidia-h100", ["pue"] = 1.5 });
        Assert.Equal("nvidia-h100", c.Server.Analysis.Settings.Device);
        Assert.Equal(1.5, c.Server.Analysis.Settings.Pue);
    }

    [Fact]
    public async Task Pull_diagnostics_return_full_then_unchanged_and_nothing_is_pushed()
    {
        await using var c = new TestClient();
        await c.InitializeAsync(TestClient.FullCapabilities(pullDiagnostics: true));
        await c.OpenAsync(Uri, Text);
        var first = await c.RequestAsync<JObject>("textDocument/diagnostic", new { textDocument = new { uri = Uri } });
        Assert.Equal("full", (string)first["kind"]!);
        Assert.Contains(first["items"]!, d => (string)d["code"]! == "CL101");
        var second = await c.RequestAsync<JObject>("textDocument/diagnostic", new { textDocument = new { uri = Uri }, previousResultId = (string)first["resultId"]! });
        Assert.Equal("unchanged", (string)second["kind"]!);
        await Task.Delay(300);
        Assert.False(c.Target.Diagnostics.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Summary_totals_the_file_and_the_workspace_on_disk()
    {
        var dir = Directory.CreateTempSubdirectory("carbonlsp-ws-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "other.prompts.json"), "{ \"prompts\": [ { \"prompt\": \"y\", \"model\": \"sdxl\" } ] }");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "node_modules"));
            File.WriteAllText(Path.Combine(dir.FullName, "node_modules", "skip.prompts.json"), "{ \"prompts\": [ { \"prompt\": \"z\" } ] }");
            await using var c = new TestClient();
            await c.InitializeAsync(rootUri: new System.Uri(dir.FullName).AbsoluteUri);
            var uri = new System.Uri(Path.Combine(dir.FullName, "open.prompts.json")).AbsoluteUri;
            await c.OpenAsync(uri, "{ \"budget\": { \"co2eGrams\": 0.000001 }, \"prompts\": [ { \"prompt\": \"x\", \"model\": \"sd15\" } ] }");
            var s = await c.RequestAsync<JObject>("carbonlsp/summary", new { textDocument = new { uri } });
            Assert.Equal(1, (int)s["file"]!["prompts"]!);
            Assert.True((bool)s["file"]!["budgetExceeded"]!);
            Assert.Equal(2, (int)s["workspace"]!["files"]!);
            Assert.Equal(2, (int)s["workspace"]!["prompts"]!);
            Assert.True((double)s["workspace"]!["co2eGrams"]! > (double)s["file"]!["co2eGrams"]!);
        }
        finally { dir.Delete(true); }
    }
}
