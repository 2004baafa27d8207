using System.Diagnostics;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Generation.Output;
using CarbonLsp.Generation.Runs;
using CarbonLsp.Ledger;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Generation.Tests;

/// <summary>Runs end to end: PNG metadata, atomic output inside the workspace, ledger reuse and
/// calibration, and two processes writing one ledger at once.</summary>
public sealed class RunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("carbonlsp-runs-").FullName;
    public void Dispose() => Directory.Delete(_root, true);

    private string PromptFile(int steps = 2, int images = 1, string extra = "")
    {
        var path = Path.Combine(_root, "t.prompts.json");
        File.WriteAllText(path, $$"""{ "device": "cpu", "prompts": [ { "id": "cat", "prompt": "a red cat", "negativePrompt": "blurry", "model": {{Newtonsoft.Json.JsonConvert.ToString(TestModels.Folder("tiny-sd15-int32"))}}, "steps": {{steps}}, "width": 64, "height": 64, "seed": 5, "images": {{images}} {{extra}} } ] }""");
        return path;
    }

    private (GenerationService, DocumentAnalysis, string) Setup(int steps = 2, int images = 1, string extra = "")
    {
        var path = PromptFile(steps, images, extra);
        var service = new GenerationService(new GenerationOptions { WorkspaceRoot = _root, IdleRelease = TimeSpan.Zero });
        var analysis = new DocumentAnalyzer().Analyze(File.ReadAllText(path));
        return (service, analysis, path);
    }

    [Fact]
    public void Ids_in_any_script_name_their_files_and_two_prompts_naming_one_file_are_refused()
    {
        var model = Newtonsoft.Json.JsonConvert.ToString(TestModels.Folder("tiny-sd15-int32"));
        var path = Path.Combine(_root, "ids.prompts.json");
        File.WriteAllText(path, $$"""{ "device": "cpu", "defaults": { "model": {{model}}, "steps": 1, "width": 64, "height": 64, "seed": 1 }, "prompts": [ { "id": "桜-poster", "prompt": "a cat" }, { "id": "shape", "prompt": "a dog" }, { "id": "Shape", "prompt": "an owl" } ] }""");
        using var service = new GenerationService(new GenerationOptions { WorkspaceRoot = _root, IdleRelease = TimeSpan.Zero });
        var analysis = new DocumentAnalyzer().Analyze(File.ReadAllText(path));
        var run = Assert.Single(service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None));
        Assert.Equal(Path.Combine(_root, "generated", "桜-poster.png"), run.OutputPath);
        // "Shape" would overwrite "shape" on macOS and Windows: nothing is generated, and the message says why.
        var refused = Assert.Throws<ArgumentException>(() => service.Generate(analysis, path, new[] { 1, 2 }, false, null, CancellationToken.None));
        Assert.Contains("\"Shape\"", refused.Message);
        Assert.False(File.Exists(Path.Combine(_root, "generated", "shape.png")));
    }

    [Fact]
    public void Writes_png_with_a1111_parameters_and_the_json_record_and_records_the_run()
    {
        var (service, analysis, path) = Setup();
        using var _ = service;
        var run = Assert.Single(service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None));
        Assert.Equal(Path.Combine(_root, "generated", "cat.png"), run.OutputPath);
        var text = PngWriter.ReadText(run.OutputPath);
        var parameters = text[PngWriter.ParametersKey];
        Assert.StartsWith("a red cat\nNegative prompt: blurry\nSteps: 2, Sampler: ddim, CFG scale: 7.5, Seed: 5, Size: 64x64, Model: sd15", parameters);
        Assert.Contains("Energy:", parameters);
        var record = JObject.Parse(text[PngWriter.RecordKey]);
        Assert.Equal("a red cat", (string)record["Prompt"]!);
        Assert.Equal(run.EnergyWh * 3600, (double)record["EnergyJoules"]!, 6);
        // A shared image carries the model's id and fingerprint, no folder of this machine.
        Assert.Equal("generated/cat.png", (string)record["OutputPath"]!);
        Assert.Equal("", (string)record["ModelPath"]!); // the test model lives outside this workspace
        Assert.False(string.IsNullOrEmpty((string)record["ModelHash"]!));
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), text[PngWriter.RecordKey]);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "generated"), "*.tmp"));
        var row = Assert.Single(service.Ledger.All());
        Assert.Equal(run.OutputPath, row.OutputPath);
        Assert.Equal(GenerationService.Sha256OfFile(run.OutputPath), row.ImageSha256);
        Assert.True(row.DenoiseSeconds > 0);
        Assert.True(row.PeakMemoryBytes > 0);
        // A CPU run is attributed to the catalog's class of this machine's CPU (desktop, laptop or server).
        Assert.Equal(CarbonLsp.Core.Catalog.DeviceKind.Cpu, CarbonLsp.Core.Catalog.ModelCatalog.Default.FindDevice(row.Device)!.Kind);
        Assert.False(string.IsNullOrEmpty(row.ModelHash));
    }

    [Fact]
    public void An_identical_request_reuses_the_image_unless_forced_or_changed()
    {
        var (service, analysis, path) = Setup();
        using var _ = service;
        var first = service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None)[0];
        var again = service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None)[0];
        Assert.True(again.Reused);
        Assert.Equal(0, again.EnergyWh);
        // The reuse is in the ledger as a row of its own, with what it avoided (issue 22), and is never reused itself.
        var rows = service.Ledger.All();
        Assert.Equal(2, rows.Count);
        Assert.True(rows[1].Reused && rows[1].EnergyJoules == 0 && rows[1].Co2eGrams == 0 && rows[1].RequestKey == rows[0].RequestKey);
        var saved = service.Ledger.SavingsSince(null);
        Assert.Equal((1, rows[0].EnergyWh, rows[0].Co2eGrams), (saved.Reuses, saved.ReuseWh, saved.ReuseGrams));
        Assert.Equal(first.OutputPath, service.Ledger.FindReusable(rows[0].RequestKey, _ => rows[0].ImageSha256)!.OutputPath);
        Assert.False(service.Ledger.FindReusable(rows[0].RequestKey, _ => rows[0].ImageSha256)!.Reused);
        Assert.False(service.Generate(analysis, path, new[] { 0 }, true, null, CancellationToken.None)[0].Reused);
        File.WriteAllBytes(first.OutputPath, new byte[] { 1, 2, 3 }); // edited on disk: not the same image any more
        Assert.False(service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None)[0].Reused);
    }

    [Fact]
    public void Cancelling_mid_run_leaves_no_partial_file()
    {
        var (service, analysis, path) = Setup(steps: 400);
        using var _ = service;
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Step == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => service.Generate(analysis, path, new[] { 0 }, false, progress, cts.Token));
        Assert.False(File.Exists(Path.Combine(_root, "generated", "cat.png")));
        Assert.Equal(0, service.Ledger.Count);
    }

    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }

    [Theory]
    [InlineData("../escape.png")]
    [InlineData("/tmp/escape.png")]
    [InlineData("generated/../../escape.png")]
    public void Output_paths_that_escape_the_workspace_are_refused(string output)
    {
        var (service, analysis, path) = Setup(extra: $", \"output\": {Newtonsoft.Json.JsonConvert.ToString(output)}");
        using var _ = service;
        var ex = Assert.Throws<UnauthorizedAccessException>(() => service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None));
        Assert.Contains("outside the workspace", ex.Message);
    }

    [Fact]
    public void Links_leading_out_of_the_workspace_are_refused()
    {
        var outside = Directory.CreateTempSubdirectory("carbonlsp-outside-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(_root, "out"), outside);
            var ex = Assert.Throws<UnauthorizedAccessException>(() => WorkspacePaths.ResolveInside(_root, "out/a.png"));
            Assert.Contains("is a link", ex.Message);
            Assert.Equal(Path.Combine(_root, "sub", "a.png"), WorkspacePaths.ResolveInside(_root, "sub/a.png"));
        }
        finally { Directory.Delete(outside, true); }
    }

    /// <summary>Issue 20, item 1: a ".carbonlsp" folder (or a ledger file) that links out of the workspace, as a
    /// cloned repository can ship, is refused: no ledger is created or opened at the link's target.</summary>
    [Fact]
    public void A_ledger_folder_or_file_linking_out_of_the_workspace_is_refused()
    {
        var outside = Directory.CreateTempSubdirectory("carbonlsp-outside-").FullName;
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(_root, ".carbonlsp"), outside);
            var (service, analysis, path) = Setup();
            using var _ = service;
            var ex = Assert.Throws<UnauthorizedAccessException>(() => service.Generate(analysis, path, new[] { 0 }, false, null, CancellationToken.None));
            Assert.Contains("is a link", ex.Message);
            Assert.Empty(Directory.GetFileSystemEntries(outside));
            // The folder is real but the ledger file is a link out.
            Directory.Delete(Path.Combine(_root, ".carbonlsp"));
            Directory.CreateDirectory(Path.Combine(_root, ".carbonlsp"));
            var target = Path.Combine(outside, "elsewhere.db");
            File.WriteAllText(target, "");
            File.CreateSymbolicLink(Path.Combine(_root, ".carbonlsp", "ledger.db"), target);
            Assert.Throws<UnauthorizedAccessException>(() => new GenerationOptions { WorkspaceRoot = _root }.LedgerPath);
            Assert.Equal(0, new FileInfo(target).Length);
        }
        finally { Directory.Delete(outside, true); }
    }

    [Fact]
    public void Measured_runs_calibrate_later_estimates_and_estimates_do_not()
    {
        using var ledger = new RunLedger(Path.Combine(_root, "l.db"));
        Assert.Null(ledger.Find("sd15", "cpu"));
        ledger.Add(new RunRecord { ModelId = "sd15", Device = "cpu", EnergyJoules = 36, EstimatedWh = 0.02, EnergyMethod = "rapl" });       // ratio 0.5
        ledger.Add(new RunRecord { ModelId = "sd15", Device = "cpu", EnergyJoules = 43.2, EstimatedWh = 0.02, EnergyMethod = "rapl" });     // ratio 0.6
        ledger.Add(new RunRecord { ModelId = "sd15", Device = "cpu", EnergyJoules = 360, EstimatedWh = 0.02, EnergyMethod = "estimate-cpu-time", EnergyIsEstimate = true });
        var c = ledger.Find("sd15", "cpu")!;
        Assert.Equal(2, c.Runs);
        Assert.Equal(0.6, c.MeasuredOverEstimate, 9); // median of two is the upper
        var catalog = ModelCatalog.Default;
        var estimator = new FootprintEstimator(catalog, ledger);
        var request = new EstimateRequest(catalog.FindModelById("sd15")!, catalog.FindDevice("cpu")!, 25, 512, 512, 7.5, CarbonLsp.Core.Catalog.Precision.Fp32);
        var f = estimator.Estimate(request, 400, 1);
        Assert.Equal(EstimateBasis.MeasuredLocally, f.Basis);
        Assert.Contains("calibrated from 2 local runs", f.BasisDetail);
        Assert.Equal(0.6 * estimator.UncalibratedAcceleratorWh(request), f.AcceleratorWh.Mid, 9);
    }

    [Fact]
    public async Task Two_processes_write_the_ledger_at_once_and_nothing_is_lost()
    {
        var path = PromptFile(steps: 1, images: 6);
        var dll = Path.Combine(TestModels.Root, "src", "CarbonLsp", "bin", AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug", "net10.0", "carbonlsp.dll");
        Assert.True(File.Exists(dll), dll);
        Process Start()
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
            foreach (var a in new[] { dll, "generate", path, "--force" }) psi.ArgumentList.Add(a);
            return Process.Start(psi)!;
        }
        var a = Start();
        var b = Start();
        var outA = a.StandardOutput.ReadToEndAsync();
        var outB = b.StandardOutput.ReadToEndAsync();
        var errA = a.StandardError.ReadToEndAsync();
        var errB = b.StandardError.ReadToEndAsync();
        Assert.True(a.WaitForExit(120_000) && b.WaitForExit(120_000));
        Assert.True(a.ExitCode == 0, await errA + await outA);
        Assert.True(b.ExitCode == 0, await errB + await outB);
        using var ledger = new RunLedger(Path.Combine(_root, ".carbonlsp", "ledger.db"));
        Assert.Equal(12, ledger.Count);
        Assert.Equal(6, ledger.All().Select(r => r.OutputPath).Distinct().Count());
    }
}
