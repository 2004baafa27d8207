using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Generation from the editor: executeCommand with work-done progress, the image opened with
/// showDocument, the ledger calibrating the estimate, and cancel leaving no partial file.</summary>
public sealed class GenerationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("carbonlsp-gen-").FullName;
    private static string Model => Path.Combine(FindRoot(), "tests", "models", "tiny-sd15-int32");

    public void Dispose() => Directory.Delete(_root, true);

    /// <summary>The fixture lives in the repository, outside the test's workspace: the user allows it.</summary>
    private static JObject Trusting => new() { ["trustedModelFolders"] = new JArray(Model) };

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir.FullName;
    }

    private async Task<(TestClient Client, string Uri)> Open(int steps, int images = 1)
    {
        var c = new TestClient(settings: Trusting);
        await c.InitializeAsync(initializationOptions: Trusting, rootUri: new Uri(_root).AbsoluteUri);
        var uri = new Uri(Path.Combine(_root, "g.prompts.json")).AbsoluteUri;
        var text = $$"""{ "device": "cpu", "prompts": [ { "id": "cat", "prompt": "a red cat", "model": {{Newtonsoft.Json.JsonConvert.ToString(Model)}}, "steps": {{steps}}, "width": 64, "height": 64, "seed": 1, "images": {{images}} } ] }""";
        await c.OpenAsync(uri, text);
        await c.DiagnosticsAsync(uri);
        return (c, uri);
    }

    [Fact]
    public async Task Generate_reports_progress_writes_the_image_and_calibrates_the_estimate()
    {
        var (c, uri) = await Open(steps: 4);
        await using var _ = c;
        var before = (string)(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 40) }))["contents"]!["value"]!;
        Assert.DoesNotContain("local run", before);
        var result = await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generate", arguments = new object[] { uri, 0 }, workDoneToken = "t1" }, TimeSpan.FromSeconds(60));
        var image = result["images"]![0]!;
        var path = (string)image["path"]!;
        Assert.True(File.Exists(path));
        Assert.StartsWith(Path.Combine(_root, "generated"), path);
        Assert.Equal(1L, (long)image["seed"]!);
        List<string> kinds;
        lock (c.Target.Progress) kinds = c.Target.Progress.Where(p => (string)p["token"]! == "t1").Select(p => (string)p["value"]!["kind"]!).ToList();
        Assert.Equal("begin", kinds[0]);
        Assert.Equal("end", kinds[^1]);
        Assert.Contains("report", kinds);
        // window/showDocument is sent before the response but handled on the client's own dispatch, so it may
        // land just after the response: wait for it rather than race it.
        await Wait.Until(() => { lock (c.Target.Shown) return c.Target.Shown.Contains(new Uri(path).AbsoluteUri); });
        // A second request for the same image reuses it.
        var again = await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generate", arguments = new object[] { uri, 0 } }, TimeSpan.FromSeconds(60));
        Assert.True((bool)again["images"]![0]!["reused"]!);
        // The ledger now has a run for this model on this device: when it was measured (RAPL or NVML),
        // the hover says the estimate is calibrated; a CPU-time estimate is never used to calibrate.
        var isEstimate = (bool)image["energyIsEstimate"]!;
        await Wait.Until(() => true);
        var lenses = await c.RequestAsync<JArray>("textDocument/codeLens", new { textDocument = new { uri } });
        Assert.Contains(lenses, l => (string)l["command"]!["command"]! == "carbonlsp.openImage");
        // Issue 20, item 7: the command opens generated images of the workspace only.
        Assert.NotNull(await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.openImage", arguments = new object[] { uri, path } }));
        var outsideFile = Path.Combine(Path.GetTempPath(), $"carbonlsp-outside-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(outsideFile, File.ReadAllBytes(path));
        try
        {
            foreach (var other in new[] { "/etc/passwd", outsideFile, Path.Combine(_root, "generated", "..", "..", Path.GetFileName(outsideFile)), Path.Combine(_root, "a.prompts.json") })
            {
                var refused = await Assert.ThrowsAnyAsync<StreamJsonRpc.RemoteRpcException>(() =>
                    c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.openImage", arguments = new object[] { uri, other } }));
                // StreamJsonRpc's client raises InvalidParams as RemoteMethodNotFoundException.
                Assert.Equal(-32602, refused is StreamJsonRpc.RemoteMethodNotFoundException m ? (int)m.ErrorCode : ((StreamJsonRpc.RemoteInvocationException)refused).ErrorCode);
                Assert.StartsWith("Not opened", refused.Message);
            }
        }
        finally { File.Delete(outsideFile); }
        if (!isEstimate)
        {
            var after = (string)(await c.RequestAsync<JObject>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 40) }))["contents"]!["value"]!;
            Assert.Contains("calibrated from 1 local run", after);
        }
    }

    [Fact]
    public async Task An_image_already_generated_is_a_hint_with_reuse_and_regenerate_actions()
    {
        var (c, uri) = await Open(steps: 3);
        await using var _ = c;
        var result = await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generate", arguments = new object[] { uri, 0 } }, TimeSpan.FromSeconds(60));
        var path = (string)result["images"]![0]!["path"]!;
        // Generation re-analyses the file: the prompt now carries the CL201 hint.
        var diagnostics = await c.DiagnosticsAsync(uri, d => d.Any(x => (string)x["code"]! == "CL201"));
        var hint = diagnostics["diagnostics"]!.Single(x => (string)x["code"]! == "CL201");
        Assert.Equal(4, (int)hint["severity"]!);
        Assert.Contains(Path.GetFileName(path), (string)hint["message"]!);
        var actions = await c.RequestAsync<JArray>("textDocument/codeAction", new
        {
            textDocument = new { uri }, range = hint["range"], context = new { diagnostics = new[] { hint } },
        });
        var reuse = actions.Single(a => ((string)a["title"]!).StartsWith("Reuse the existing image", StringComparison.Ordinal));
        Assert.True((bool)reuse["isPreferred"]!);
        Assert.Equal("carbonlsp.openImage", (string)reuse["command"]!["command"]!);
        Assert.Equal(path, (string)reuse["command"]!["arguments"]![1]!);
        var again = actions.Single(a => ((string)a["title"]!).StartsWith("Generate again anyway", StringComparison.Ordinal));
        Assert.Equal(new JArray(uri, 0, true).ToString(), again["command"]!["arguments"]!.ToString());
        // Another seed is another image: the hint goes.
        var text = c.Server.Documents.Get(uri)!.Text.ToString();
        await c.ChangeAsync(uri, 2, new { text = text.Replace("\"seed\": 1", "\"seed\": 2") });
        await c.DiagnosticsAsync(uri, d => d.All(x => (string)x["code"]! != "CL201"));
    }

    [Fact]
    public async Task Cancel_stops_the_run_and_leaves_no_partial_file()
    {
        // Long enough (20 images x 900 steps) that the cancel always arrives mid-run, even in Release.
        var (c, uri) = await Open(steps: 900, images: 20);
        await using var _ = c;
        var run = c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generateAll", arguments = new object[] { uri }, workDoneToken = "t2" }, TimeSpan.FromSeconds(60));
        await Wait.Until(() =>
        {
            if (run.IsFaulted) throw run.Exception!;
            lock (c.Target.Progress) return c.Target.Progress.Any(p => (string)p["value"]!["kind"]! == "report");
        });
        // Other requests are served while it runs.
        Assert.NotNull(await c.RequestAsync<JToken>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 40) }));
        await c.RequestAsync<JToken>("workspace/executeCommand", new { command = "carbonlsp.cancel", arguments = Array.Empty<object>() });
        // The server answers RequestCancelled (-32800), which StreamJsonRpc's client surfaces as a cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        // The server sends "end" before its answer (and no report after it), but the client dispatches
        // notifications on the thread pool, possibly after it has completed the request: wait for it.
        await Wait.Until(() => { lock (c.Target.Progress) return c.Target.Progress.Any(p => (string)p["token"]! == "t2" && (string)p["value"]!["kind"]! == "end"); });
        lock (c.Target.Progress) Assert.Single(c.Target.Progress, p => (string)p["token"]! == "t2" && (string)p["value"]!["kind"]! == "end");
        // Images finished before the cancel are kept (whole, readable, in the ledger); nothing partial is left.
        var generated = Path.Combine(_root, "generated");
        var files = Directory.Exists(generated) ? Directory.GetFiles(generated) : Array.Empty<string>();
        Assert.True(files.Length < 20, "the run should have stopped early");
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        foreach (var png in files) Assert.Contains("parameters", CarbonLsp.Generation.Output.PngWriter.ReadText(png).Keys);
    }

    [Fact]
    public async Task Output_paths_outside_the_workspace_are_refused()
    {
        await using var c = new TestClient(settings: Trusting);
        await c.InitializeAsync(initializationOptions: Trusting, rootUri: new Uri(_root).AbsoluteUri);
        var uri = new Uri(Path.Combine(_root, "g.prompts.json")).AbsoluteUri;
        await c.OpenAsync(uri, $$"""{ "prompts": [ { "prompt": "x", "model": {{Newtonsoft.Json.JsonConvert.ToString(Model)}}, "steps": 1, "width": 64, "height": 64, "output": "../../escape.png" } ] }""");
        var ex = await Assert.ThrowsAnyAsync<RemoteInvocationException>(() => c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generate", arguments = new object[] { uri, 0 } }));
        Assert.Contains("outside the workspace", ex.Message);
    }

    /// <summary>Issue 20, item 5: the generation commands with no arguments, or the wrong ones, are
    /// InvalidParams with the arguments they take, and the server goes on serving.</summary>
    [Fact]
    public async Task Generation_commands_without_their_arguments_say_what_they_take()
    {
        await using var c = new TestClient();
        await c.InitializeAsync(rootUri: new Uri(_root).AbsoluteUri);
        foreach (var (command, args, takes) in new (string, object?, string)[]
                 {
                     ("carbonlsp.generate", null, "[uri, promptIndex, force?]"),
                     ("carbonlsp.generate", Array.Empty<object>(), "[uri, promptIndex, force?]"),
                     ("carbonlsp.generate", new object[] { 5, "x" }, "[uri, promptIndex, force?]"),
                     ("carbonlsp.generateAll", null, "[uri, force?]"),
                     ("carbonlsp.openImage", new object[] { "file:///x.prompts.json" }, "takes"),
                 })
        {
            var refused = await Assert.ThrowsAnyAsync<StreamJsonRpc.RemoteRpcException>(() =>
                c.RequestAsync<JToken>("workspace/executeCommand", args == null ? new { command } : new { command, arguments = args }));
            Assert.Equal(-32602, refused is StreamJsonRpc.RemoteMethodNotFoundException m ? (int)m.ErrorCode : ((RemoteInvocationException)refused).ErrorCode);
            Assert.Contains($"{command} takes", refused.Message);
            Assert.Contains(takes, refused.Message);
        }
        var uri = new Uri(Path.Combine(_root, "ok.prompts.json")).AbsoluteUri;
        await c.OpenAsync(uri, """{ "prompts": [ { "prompt": "x", "model": "sdxl" } ] }""");
        Assert.NotNull(await c.RequestAsync<JToken>("textDocument/hover", new { textDocument = new { uri }, position = TestClient.Pos(0, 20) }));
    }

    /// <summary>Issue 20, item 6: a file naming a model folder outside the workspace does not make the
    /// server read it (a cloned repository's file could name any folder). CL004 says so and names the
    /// setting; the reuse hint and generation wait for the user to allow it; allowed, it is priced from its
    /// own configs.</summary>
    [Fact]
    public async Task A_model_folder_outside_the_workspace_is_not_read_until_the_user_allows_it()
    {
        var outside = Directory.CreateTempSubdirectory("carbonlsp-outside-model-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(Model, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(outside, Path.GetRelativePath(Model, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
            var text = $$"""{ "device": "cpu", "prompts": [ { "id": "cat", "prompt": "a red cat", "model": {{Newtonsoft.Json.JsonConvert.ToString(outside)}}, "steps": 2, "width": 64, "height": 64, "seed": 1 } ] }""";
            var uri = new Uri(Path.Combine(_root, "o.prompts.json")).AbsoluteUri;
            await using (var c = new TestClient())
            {
                await c.InitializeAsync(rootUri: new Uri(_root).AbsoluteUri);
                await c.OpenAsync(uri, text);
                var diagnostics = (JArray)(await c.DiagnosticsAsync(uri))["diagnostics"]!;
                var cl004 = diagnostics.Single(d => (string?)d["code"] == "CL004");
                Assert.Contains($"CarbonLsp did not read the model folder \"{outside}\": it is outside the workspace", (string)cl004["message"]!);
                Assert.Contains("carbonlsp.trustedModelFolders", (string)cl004["message"]!);
                var refused = await Assert.ThrowsAnyAsync<StreamJsonRpc.RemoteRpcException>(() =>
                    c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generate", arguments = new object[] { uri, 0 } }));
                Assert.Contains("was not read", refused.Message);
                Assert.False(Directory.Exists(Path.Combine(_root, "generated")));
            }
            // A link inside the workspace that leads to it is outside too.
            var link = Path.Combine(_root, "linked-model");
            Directory.CreateSymbolicLink(link, outside);
            await using (var c = new TestClient())
            {
                await c.InitializeAsync(rootUri: new Uri(_root).AbsoluteUri);
                await c.OpenAsync(uri, text.Replace(Newtonsoft.Json.JsonConvert.ToString(outside), "\"./linked-model\""));
                Assert.Contains((JArray)(await c.DiagnosticsAsync(uri))["diagnostics"]!, d => (string?)d["code"] == "CL004" && ((string)d["message"]!).Contains("did not read"));
            }
            // Allowed in the settings: read, and generated from.
            await using (var c = new TestClient(settings: new JObject { ["trustedModelFolders"] = new JArray(outside) }))
            {
                await c.InitializeAsync(rootUri: new Uri(_root).AbsoluteUri);
                await c.OpenAsync(uri, text);
                await c.DiagnosticsAsync(uri, d => !d.Any(x => ((string)x["message"]!).Contains("did not read")));
                await c.RequestAsync<JObject>("workspace/executeCommand", new { command = "carbonlsp.generate", arguments = new object[] { uri, 0 } }, TimeSpan.FromSeconds(60));
                Assert.True(File.Exists(Path.Combine(_root, "generated", "cat.png")));
            }
        }
        finally { Directory.Delete(outside, true); }
    }
}
