using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using CarbonLsp.Benchmarks;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

// Usage: ServerBench <carbonlsp.dll> [vscode-json-language-server path] [prompts=10000]
var dll = args.Length > 0 ? args[0] : throw new ArgumentException("give the path of carbonlsp.dll");
var jsonServer = args.Length > 1 && args[1] != "-" ? args[1] : null;
var prompts = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10_000;
var stress = args.Length > 3 && args[3] == "stress";
const int Edits = 40;
var repo = FindRepo();
var schemaPath = Path.Combine(repo, "schemas", "prompts.schema.json");
var dir = Directory.CreateTempSubdirectory("carbonlsp-bench-").FullName;
var file = Path.Combine(dir, "bench.prompts.json");
File.WriteAllText(file, stress ? PromptFiles.Generate(prompts) : PromptFiles.GenerateTypical(prompts));
var uri = new Uri(file).AbsoluteUri;
var text = File.ReadAllText(file);
Console.WriteLine($"# server benchmark: {prompts} prompts ({(stress ? "stress: nearly every prompt flagged" : "typical: one in fifty flagged")}), {text.Length / 1024} KiB, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");

// A .dll runs under dotnet; anything else (the published, ReadyToRun executable) runs directly.
var ours = dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
    ? await Measure("carbonlsp (dotnet carbonlsp.dll, JIT)", "dotnet", new[] { dll, "serve" }, new JObject(), hoverLine: 6)
    : await Measure("carbonlsp (published, ReadyToRun)", dll, new[] { "serve" }, new JObject(), hoverLine: 6);
// Start-up: the median of seven fresh processes, after one unmeasured start that warms this
// benchmark's own JSON-RPC client (its first request would otherwise be counted against the server).
ours = ours with { StartMs = await StartupMs(dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : dll, dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? new[] { dll, "serve" } : new[] { "serve" }, new JObject()) };
Report(ours);
if (jsonServer != null)
{
    var init = new JObject { ["provideFormatter"] = false, ["handledSchemaProtocols"] = new JArray("file") };
    var settings = new JObject { ["json"] = new JObject { ["schemas"] = new JArray(new JObject { ["fileMatch"] = new JArray("*.prompts.json"), ["url"] = new Uri(schemaPath).AbsoluteUri }), ["validate"] = new JObject { ["enable"] = true } } };
    var theirs = await Measure("vscode-json-language-server", "node", new[] { jsonServer, "--stdio" }, init, hoverLine: 6, settings);
    theirs = theirs with { StartMs = await StartupMs("node", new[] { jsonServer, "--stdio" }, init) };
    Report(theirs);
    Console.WriteLine();
    Console.WriteLine($"ratio (json server / carbonlsp): start {theirs.StartMs / ours.StartMs:F2}×, first diagnostics {theirs.FirstDiagnosticsMs / ours.FirstDiagnosticsMs:F2}×, " +
                      $"diagnostics after edit (median, arrived) {Median(theirs.EditArrivedMs) / Median(ours.EditArrivedMs):F2}×, hover p50 {P(theirs.HoverMs, 0.5) / P(ours.HoverMs, 0.5):F2}×, memory {theirs.RssMb / ours.RssMb:F2}×");
}
Directory.Delete(dir, true);

async Task<Result> Measure(string name, string exe, string[] argv, JObject initOptions, int hoverLine, JObject? settings = null)
{
    var diagnostics = Channel.CreateUnbounded<(JObject, double)>();
    var (process, rpc, watch, clock) = StartServer(exe, argv, w => new Client(diagnostics, w, settings));
    using var _ = process;
    var caps = JObject.Parse("""{ "textDocument": { "publishDiagnostics": { "relatedInformation": true }, "hover": { "contentFormat": ["markdown"] } }, "workspace": { "configuration": true } }""");
    await rpc.InvokeWithParameterObjectAsync<JObject>("initialize", new { processId = Environment.ProcessId, rootUri = new Uri(dir).AbsoluteUri, capabilities = caps, initializationOptions = initOptions });
    var start = watch.Elapsed.TotalMilliseconds;
    await rpc.NotifyWithParameterObjectAsync("initialized", new { });
    if (settings != null) await rpc.NotifyWithParameterObjectAsync("workspace/didChangeConfiguration", new { settings });
    var t0 = watch.Elapsed.TotalMilliseconds;
    await rpc.NotifyWithParameterObjectAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "json", version = 1, text } });
    var (_, firstAt) = await NextDiagnostics(diagnostics, 1, TimeSpan.FromSeconds(120));
    var first = firstAt - t0;
    // Hover: p50/p99 over 300 requests at prompts spread through the file.
    var hover = new List<double>();
    for (var i = 0; i < 300; i++)
    {
        var line = hoverLine + (i * 31) % prompts;
        var h = Stopwatch.StartNew();
        await rpc.InvokeWithParameterObjectAsync<JToken>("textDocument/hover", new { textDocument = new { uri }, position = new { line, character = 30 } });
        hover.Add(h.Elapsed.TotalMilliseconds);
    }
    // Diagnostics after an edit: change one prompt's steps, time until the new diagnostics arrive.
    var edits = new List<double>();
    var editsArrived = new List<double>();
    var lines = text.Split('\n');
    var version = 1;
    // Warm this client's serialisation of the change notification (its first use costs it tens of ms
    // of JIT and reflection, which the first edit was billed for): a change to a file nobody opened,
    // which servers ignore.
    await rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new
    {
        textDocument = new { uri = uri + ".unopened", version = 1 },
        contentChanges = new[] { new { range = new { start = new { line = 0, character = 0 }, end = new { line = 0, character = 0 } }, text = "" } },
    });
    for (var i = 0; i < Edits; i++)
    {
        // Typical file: insert "steps": 9x into a prompt that sets none: a new finding appears, so the
        // diagnostics change. Stress file (every prompt sets steps): insert "images": 2x, which changes
        // the prompt's footprint, its findings and the budget's message.
        var line = hoverLine + 1 + i * 613 % (prompts - 20);
        while ((!stress && lines[line].Contains("\"steps\"", StringComparison.Ordinal)) || !lines[line].TrimStart().StartsWith("{ ", StringComparison.Ordinal)) line++;
        var inserted = (stress ? "\"images\": 2" : "\"steps\": 9") + (i % 10).ToString(CultureInfo.InvariantCulture) + ", ";
        var sent = watch.Elapsed.TotalMilliseconds;
        version++;
        await rpc.NotifyWithParameterObjectAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version },
            contentChanges = new[] { new { range = new { start = new { line, character = 6 }, end = new { line, character = 6 } }, text = inserted } },
        });
        var (_, arrived) = await NextDiagnostics(diagnostics, version, TimeSpan.FromSeconds(60));
        edits.Add(arrived - sent);
        editsArrived.Add((clock.ArrivalOf(version, sent) ?? arrived) - sent);
        await Task.Delay(50);
    }
    process.Refresh();
    var rss = process.WorkingSet64 / (1024.0 * 1024.0);
    try { await rpc.InvokeWithParameterObjectAsync<JToken>("shutdown", null); await rpc.NotifyAsync("exit"); } catch { }
    if (!process.WaitForExit(5000)) process.Kill(true);
    return new Result(name, start, first, hover, edits, editsArrived, rss);
}

// Starts a server process as an editor would (stdio) and connects a JSON-RPC client to it; the
// stopwatch starts just before the process does.
static (Process Process, JsonRpc Rpc, Stopwatch Watch, ArrivalClock Clock) StartServer(string exe, string[] argv, Func<Stopwatch, Client> client)
{
    var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in argv) psi.ArgumentList.Add(a);
    var watch = Stopwatch.StartNew();
    var process = Process.Start(psi)!;
    _ = process.StandardError.ReadToEndAsync();
    var clock = new ArrivalClock(process.StandardOutput.BaseStream, watch);
    var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(process.StandardInput.BaseStream, clock, new JsonMessageFormatter()));
    rpc.AddLocalRpcTarget(client(watch), new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
    rpc.StartListening();
    return (process, rpc, watch, clock);
}

async Task<double> StartupMs(string exe, string[] argv, JObject initOptions)
{
    var times = new List<double>();
    for (var run = 0; run < 8; run++)
    {
        var (process, rpc, watch, _) = StartServer(exe, argv, w => new Client(Channel.CreateUnbounded<(JObject, double)>(), w, null));
        using var _ = process;
        using var __ = rpc;
        await rpc.InvokeWithParameterObjectAsync<JObject>("initialize", new { processId = Environment.ProcessId, rootUri = new Uri(dir).AbsoluteUri, capabilities = new JObject(), initializationOptions = initOptions });
        if (run > 0) times.Add(watch.Elapsed.TotalMilliseconds);
        process.Kill(true);
        process.WaitForExit(5000);
    }
    return Median(times);
}

static async Task<(JObject, double)> NextDiagnostics(Channel<(JObject, double)> channel, int version, TimeSpan timeout)
{
    using var cts = new CancellationTokenSource(timeout);
    while (true)
    {
        var (p, at) = await channel.Reader.ReadAsync(cts.Token);
        // Servers that do not send versions: take the first publication after the change.
        if (p["version"] == null || (int)p["version"]! >= version) return (p, at);
    }
}

void Report(Result r)
{
    Console.WriteLine();
    Console.WriteLine($"## {r.Name}");
    Console.WriteLine($"| metric | value |");
    Console.WriteLine($"|---|---|");
    Console.WriteLine($"| start → initialize response (median of 7 starts) | {r.StartMs:F0} ms |");
    Console.WriteLine($"| didOpen → first diagnostics | {r.FirstDiagnosticsMs:F0} ms |");
    Console.WriteLine($"| hover p50 / p99 (300 requests) | {P(r.HoverMs, 0.5):F2} / {P(r.HoverMs, 0.99):F2} ms |");
    Console.WriteLine($"| edit → diagnostics arrived, median / p95 / max ({Edits} edits) | {Median(r.EditArrivedMs):F0} / {P(r.EditArrivedMs, 0.95):F0} / {r.EditArrivedMs.Max():F0} ms |");
    Console.WriteLine($"| edit → diagnostics handed over by the client library (their list not parsed: ArrivalClock), median / p95 / max | {Median(r.EditMs):F0} / {P(r.EditMs, 0.95):F0} / {r.EditMs.Max():F0} ms |");
    Console.WriteLine($"| resident memory with the file open | {r.RssMb:F0} MB |");
    Console.WriteLine($"edit → diagnostics arrived, each edit in order: {string.Join(", ", r.EditArrivedMs.Select(e => e.ToString("F0", CultureInfo.InvariantCulture)))} ms");
}

static double P(List<double> v, double q) { var s = v.Order().ToArray(); return s[Math.Min(s.Length - 1, (int)Math.Ceiling(q * s.Length) - 1)]; }
static double Median(List<double> v) => P(v, 0.5);

static string FindRepo()
{
    var d = new DirectoryInfo(AppContext.BaseDirectory);
    while (d != null && !File.Exists(Path.Combine(d.FullName, "CarbonLsp.sln"))) d = d.Parent;
    return d?.FullName ?? Directory.GetCurrentDirectory();
}

sealed record Result(string Name, double StartMs, double FirstDiagnosticsMs, List<double> HoverMs, List<double> EditMs, List<double> EditArrivedMs, double RssMb);

sealed class Client(Channel<(JObject, double)> diagnostics, Stopwatch watch, JObject? settings)
{
    [JsonRpcMethod("textDocument/publishDiagnostics")]
    public void Publish(JObject p) => diagnostics.Writer.TryWrite((p, watch.Elapsed.TotalMilliseconds));

    [JsonRpcMethod("workspace/configuration")]
    public JArray Configuration(JObject p) => new(((JArray)p["items"]!).Select(i => (JToken?)settings?.SelectToken((string?)i["section"] ?? "") ?? JValue.CreateNull()));

    [JsonRpcMethod("client/registerCapability")]
    public object? Register(JObject p) => null;

    [JsonRpcMethod("window/logMessage")]
    public void Log(JObject p) { }

    [JsonRpcMethod("window/workDoneProgress/create")]
    public object? Progress(JObject p) => null;
}
