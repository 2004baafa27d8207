using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Energy;
using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Output;
using CarbonLsp.Generation.Pipeline;
using CarbonLsp.Ledger;
using Newtonsoft.Json;

namespace CarbonLsp.Generation.Runs;

/// <summary>Where and how runs happen.</summary>
public sealed record GenerationOptions
{
    public required string WorkspaceRoot { get; init; }
    public string OutputDirectory { get; init; } = "generated";
    public string? ModelsPath { get; init; }
    public string? ConfiguredDevice { get; init; }
    public TimeSpan IdleRelease { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>The grid intensity the runs use for their CO2e (a live reading or the forecast for the window
    /// the run was scheduled in); null: each prompt's annual average. Recorded with its kind in the ledger.</summary>
    public Core.Grid.IntensityChoice? Intensity { get; init; }
    /// <summary>The run ledger, checked as image paths are: a ".carbonlsp" folder or ledger file that is a link
    /// out of the workspace (a cloned repository can ship one) throws <see cref="UnauthorizedAccessException"/>.</summary>
    public string LedgerPath => Output.WorkspacePaths.ResolveInside(WorkspaceRoot, Path.Combine(".carbonlsp", "ledger.db"));
}

/// <summary>Progress of a whole generation, for progress bars and work-done reports.</summary>
public sealed record RunProgress(string PromptName, int PromptNumber, int PromptCount, int Image, int Images, int Step, int Steps,
    double Fraction, TimeSpan Elapsed, TimeSpan Remaining, double JoulesSoFar);

/// <summary>One image made (or reused).</summary>
public sealed record ImageRun(string PromptName, int PromptIndex, string OutputPath, long Seed, bool Reused, double EnergyWh, string EnergyMethod,
    bool EnergyIsEstimate, double Co2eGrams, double EstimatedWh, string Device, string Provider, TimeSpan Wall);

/// <summary>
/// Generates the prompts of an analysed document: finds the model folder, reuses an identical earlier
/// image unless forced, otherwise runs the pipeline with an energy meter around each image, writes
/// the PNG atomically inside the workspace, and records the run in the ledger (which calibrates later
/// estimates). Cancellation stops between steps and leaves no partial file.
/// </summary>
public sealed class GenerationService : IDisposable
{
    private readonly GenerationOptions _options;
    private readonly ModelCatalog _catalog;
    private readonly FootprintEstimator _estimator;
    private readonly ModelLocator _locator;
    private readonly Dictionary<string, ModelSessions> _sessions = new(StringComparer.Ordinal);
    private readonly Lazy<RunLedger> _ledger;

    public GenerationService(GenerationOptions options, ModelCatalog? catalog = null)
    {
        _options = options;
        _catalog = catalog ?? ModelCatalog.Default;
        _estimator = new FootprintEstimator(_catalog);
        _locator = new ModelLocator(ModelLocator.DefaultDirectories(options.ModelsPath), _catalog);
        _ledger = new Lazy<RunLedger>(() => new RunLedger(options.LedgerPath));
    }

    public RunLedger Ledger => _ledger.Value;

    /// <summary>Generates the chosen prompts' images. A prompt whose model is not installed (or whose folder is
    /// broken) is skipped and reported in <paramref name="skipped"/> when the caller gives one, and the other
    /// prompts are generated; without it, the first such prompt stops the run (its exception).</summary>
    /// <paramref name="intensity"/>: the grid figure the runs' CO2e uses (a scheduled run's forecast); else the
    /// options', else the one the analysis used (live when the editor had it, else the annual average).
    public IReadOnlyList<ImageRun> Generate(DocumentAnalysis analysis, string documentPath, IReadOnlyList<int> promptIndexes, bool force,
        IProgress<RunProgress>? progress, CancellationToken cancellationToken, ICollection<SkippedPrompt>? skipped = null, Core.Grid.IntensityChoice? intensity = null)
    {
        var used = intensity ?? _options.Intensity ?? (analysis.Intensity.GramsPerKWh > 0 ? analysis.Intensity : null);
        var results = new List<ImageRun>();
        var docDir = Path.GetDirectoryName(Path.GetFullPath(documentPath))!;
        var chosen = analysis.Prompts.Where(p => promptIndexes.Contains(p.Entry.Index)).ToList();
        // Two prompts naming one file: the second image would overwrite the first. Refuse before any work.
        if (analysis.Findings.FirstOrDefault(f => f.Code == Core.Rules.FindingCodes.DuplicateId && f.PromptIndex is { } i && promptIndexes.Contains(i)) is { } clash)
            throw new ArgumentException($"Not generated: {clash.Message}");
        _ = _options.LedgerPath; // a ledger that would be written outside the workspace: refuse before any work
        var totalImages = chosen.Sum(p => p.Settings.Images.Value);
        var imagesDone = 0;
        var watch = Stopwatch.StartNew();
        for (var n = 0; n < chosen.Count; n++)
        {
            var prompt = chosen[n];
            var s = prompt.Settings;
            if (string.IsNullOrWhiteSpace(s.Prompt.Value)) throw new ArgumentException($"Prompt {prompt.Entry.DisplayName} has no text to generate.");
            ModelSessions sessions;
            try { sessions = SessionsFor(_locator.Locate(s.ModelName.Value, docDir)); }
            catch (ModelFolderException ex) when (skipped != null)
            {
                skipped.Add(new SkippedPrompt(prompt.Entry.DisplayName, prompt.Entry.Index, ex.Message));
                imagesDone += s.Images.Value;
                continue;
            }
            var folder = sessions.Folder;
            var pipeline = new DiffusionPipeline(sessions);
            var baseSeed = s.Seed.Value ?? RandomNumberGenerator.GetInt32(int.MaxValue);
            var fingerprint = FingerprintOf(folder);
            for (var image = 0; image < s.Images.Value; image++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var seed = baseSeed + image;
                var request = RequestFor(prompt, seed);
                DiffusionPipeline.Validate(request, folder);
                var key = RequestKey(fingerprint, request);
                var output = OutputPath(prompt, image, s.Images.Value);
                if (!force && Ledger.FindReusable(key, Sha256OfFile) is { } earlier)
                {
                    // The reuse is a row of its own (issue 22): no energy spent, and the run it stood in for says
                    // what was avoided ("saved this month"). Calibration and reuse never read reused rows.
                    Ledger.Add(Reuse(earlier));
                    results.Add(new ImageRun(prompt.Entry.DisplayName, prompt.Entry.Index, earlier.OutputPath, seed, true, 0, "reused", false, 0,
                        earlier.EstimatedWh, earlier.Device, earlier.ExecutionProvider, TimeSpan.Zero));
                    imagesDone++;
                    continue;
                }
                results.Add(RunOne(prompt, pipeline, request, key, fingerprint, output, n, chosen.Count, image, imagesDone, totalImages, watch, progress, used, cancellationToken));
                imagesDone++;
            }
        }
        return results;
    }

    private static RunRecord Reuse(RunRecord earlier) => new()
    {
        RequestKey = earlier.RequestKey, Prompt = earlier.Prompt, NegativePrompt = earlier.NegativePrompt, ModelId = earlier.ModelId, ModelPath = earlier.ModelPath,
        ModelHash = earlier.ModelHash, Device = earlier.Device, ExecutionProvider = earlier.ExecutionProvider, Steps = earlier.Steps, Width = earlier.Width,
        Height = earlier.Height, Guidance = earlier.Guidance, Scheduler = earlier.Scheduler, Seed = earlier.Seed, EnergyJoules = 0, EnergyMethod = "reused",
        EnergyIsEstimate = false, EnergyDetail = $"reused the image of run {earlier.Id}", EstimatedWh = earlier.EstimatedWh, IntensityGramsPerKWh = earlier.IntensityGramsPerKWh,
        IntensityKind = earlier.IntensityKind, IntensitySource = earlier.IntensitySource, Co2eGrams = 0, OutputPath = earlier.OutputPath, ImageSha256 = earlier.ImageSha256, Reused = true,
    };

    private ImageRun RunOne(PromptAnalysis prompt, DiffusionPipeline pipeline, GenerationRequest request, string key, string fingerprint, string output,
        int promptNumber, int promptCount, int image, int imagesDone, int totalImages, Stopwatch overall, IProgress<RunProgress>? progress, Core.Grid.IntensityChoice? used, CancellationToken ct)
    {
        var folder = pipeline.Folder;
        // Measure with the meter that fits where the run happens (known after the sessions load).
        using var lease = pipeline.Sessions.Acquire();
        var meter = EnergyMeters.For(lease.Sessions.Provider.Provider);
        using var session = meter.Start();
        var wall = Stopwatch.StartNew();
        var stepProgress = new InlineProgress<GenerationProgress>(p =>
        {
            var done = imagesDone + p.Step / (double)Math.Max(1, p.Steps);
            var elapsed = overall.Elapsed;
            progress?.Report(new RunProgress(prompt.Entry.DisplayName, promptNumber, promptCount, image, prompt.Settings.Images.Value, p.Step, p.Steps,
                done / Math.Max(1, totalImages), elapsed, TimeSpan.FromTicks((long)(elapsed.Ticks / Math.Max(1e-9, done) * (totalImages - done))), session.JoulesSoFar));
        });
        var result = pipeline.Generate(request, stepProgress, ct);
        var reading = session.Stop();
        ct.ThrowIfCancellationRequested();
        var deviceSpec = DeviceDetector.CatalogDevice(_catalog, result.Provider, (meter as NvmlMeter)?.DeviceName, _options.ConfiguredDevice);
        var device = deviceSpec.Id;
        var model = prompt.EstimateModel;
        var estimateRequest = new EstimateRequest(model, deviceSpec, request.Steps, request.Width, request.Height, request.Guidance, prompt.Settings.Precision.Value);
        var estimatedWh = _estimator.UncalibratedAcceleratorWh(estimateRequest);
        var intensity = used?.GramsPerKWh ?? prompt.Footprint.IntensityGramsPerKWh;
        var co2 = Co2e.Grams(reading.WattHours, prompt.Footprint.Pue, intensity);
        var img = result.Images[0];
        var record = new RunRecord
        {
            RequestKey = key, Prompt = request.Prompt, NegativePrompt = request.NegativePrompt, ModelId = model.Id, ModelPath = folder.Path, ModelHash = fingerprint,
            Device = device, ExecutionProvider = result.Provider, Steps = request.Steps, Width = request.Width, Height = request.Height, Guidance = request.Guidance,
            Scheduler = result.SchedulerName, Seed = request.Seed, UnetCalls = result.UnetCalls,
            LoadSeconds = result.Timings.Loading.TotalSeconds, TextSeconds = result.Timings.TextEncoding.TotalSeconds,
            DenoiseSeconds = result.Timings.Denoising.TotalSeconds, DecodeSeconds = result.Timings.Decoding.TotalSeconds,
            EnergyJoules = reading.Joules, EnergyMethod = reading.Method, EnergyIsEstimate = reading.IsEstimate, EnergyDetail = reading.Detail,
            EstimatedWh = estimatedWh, IntensityGramsPerKWh = intensity, Co2eGrams = co2, OutputPath = output,
            IntensityKind = Core.Grid.IntensityKinds.Name(used?.Kind ?? Core.Grid.IntensityKind.AnnualAverage),
            IntensitySource = used?.Source ?? $"{prompt.Footprint.IntensityGramsPerKWh:0} g/kWh annual average (catalog)",
            PeakMemoryBytes = Process.GetCurrentProcess().PeakWorkingSet64,
        };
        var parameters = PngWriter.Parameters(request.Prompt, request.NegativePrompt, request.Steps, result.SchedulerName, request.Guidance, request.Seed,
            request.Width, request.Height, model.Id, reading.WattHours, co2, reading.IsEstimate ? "estimate (" + reading.Method + ")" : reading.Method);
        PngWriter.Write(output, img.Rgb, img.Width, img.Height, parameters, EmbeddedRecord(record));
        record.ImageSha256 = Sha256OfFile(output) ?? "";
        Ledger.Add(record);
        return new ImageRun(prompt.Entry.DisplayName, prompt.Entry.Index, output, request.Seed, false, reading.WattHours, reading.Method, reading.IsEstimate, co2,
            estimatedWh, device, result.Provider, wall.Elapsed);
    }

    private static GenerationRequest RequestFor(PromptAnalysis prompt, long seed)
    {
        var s = prompt.Settings;
        return new GenerationRequest
        {
            Prompt = s.Prompt.Value, NegativePrompt = s.NegativePrompt.Value, Width = s.Width.Value, Height = s.Height.Value,
            Steps = s.Steps.Value, Guidance = s.Guidance.Value, Seed = seed, Images = 1,
            // The folder's own scheduler unless the file names one.
            Scheduler = s.Scheduler.IsWritten ? s.Scheduler.Value : null,
        };
    }

    /// <summary>The request key that generating a prompt's first image would have, or null when it
    /// cannot be known without generating: no fixed seed, no text, or no model folder on this machine.
    /// Reads the model folder's fingerprint (once per folder), not the weights.</summary>
    public string? FirstImageKey(PromptAnalysis prompt, string documentDirectory)
    {
        var s = prompt.Settings;
        if (s.Seed.Value is not { } seed || string.IsNullOrWhiteSpace(s.Prompt.Value)) return null;
        try
        {
            var folder = SessionsFor(_locator.Locate(s.ModelName.Value, documentDirectory)).Folder;
            return RequestKey(FingerprintOf(folder), RequestFor(prompt, seed));
        }
        catch (Exception ex) when (ex is ModelFolderException or IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>The run's record as it travels inside the image: the model by id and fingerprint, paths
    /// relative to the workspace or not at all, so a shared image does not carry the user's folders
    /// (the ledger, which stays on this machine, keeps the full paths).</summary>
    private string EmbeddedRecord(RunRecord record)
    {
        var json = Newtonsoft.Json.Linq.JObject.FromObject(record);
        json[nameof(RunRecord.ModelPath)] = InsideWorkspace(record.ModelPath);
        json[nameof(RunRecord.OutputPath)] = InsideWorkspace(record.OutputPath);
        return json.ToString(Formatting.None);
    }

    /// <summary>A path relative to the workspace root with '/' separators, or "" for one outside it.</summary>
    private string InsideWorkspace(string path)
    {
        if (path.Length == 0) return "";
        var relative = Path.GetRelativePath(Path.GetFullPath(_options.WorkspaceRoot), Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? "" : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>Where image <paramref name="image"/> of a prompt goes (inside the workspace).</summary>
    public string OutputPath(PromptAnalysis prompt, int image, int images)
    {
        // Ids may be any letters, digits or emoji; the file name keeps what file systems allow (CL009 makes
        // sure no two prompts' names collide, case aside).
        var name = string.IsNullOrWhiteSpace(prompt.Entry.Id) ? $"prompt-{prompt.Entry.Index + 1}" : Core.Documents.FileNames.Safe(prompt.Entry.Id!);
        var suffix = images > 1 ? $"-{image + 1}" : "";
        var configured = prompt.Settings.Output.Value;
        string relative;
        if (string.IsNullOrWhiteSpace(configured)) relative = Path.Combine(_options.OutputDirectory, name + suffix + ".png");
        else if (configured.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) relative = images > 1 ? configured[..^4] + suffix + ".png" : configured;
        else relative = Path.Combine(configured, name + suffix + ".png");
        return WorkspacePaths.ResolveInside(_options.WorkspaceRoot, relative);
    }

    private ModelSessions SessionsFor(string folderPath)
    {
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(folderPath, out var s))
                _sessions[folderPath] = s = new ModelSessions(ModelFolder.Open(folderPath), _options.IdleRelease);
            return s;
        }
    }

    private readonly Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);

    /// <summary>The folder's fingerprint, computed once per service (it reads a megabyte of each sub-model).</summary>
    private string FingerprintOf(ModelFolder folder)
    {
        lock (_fingerprints)
            return _fingerprints.TryGetValue(folder.Path, out var f) ? f : _fingerprints[folder.Path] = Fingerprint(folder);
    }

    /// <summary>A quick identity for a model folder: its index and the size and first megabyte of each
    /// sub-model (hashing gigabytes on every run would cost more than it saves).</summary>
    public static string Fingerprint(ModelFolder folder)
    {
        using var sha = SHA256.Create();
        var parts = new StringBuilder(folder.Index.ToString(Formatting.None));
        foreach (var file in new[] { folder.TextEncoderPath, folder.TextEncoder2Path, folder.UnetPath, folder.VaeDecoderPath }.OfType<string>())
        {
            var info = new FileInfo(file);
            parts.Append('|').Append(Path.GetRelativePath(folder.Path, file)).Append(':').Append(info.Length);
            using var stream = info.OpenRead();
            var buffer = new byte[Math.Min(1 << 20, info.Length)];
            stream.ReadExactly(buffer);
            parts.Append(':').Append(Convert.ToHexString(SHA256.HashData(buffer)));
        }
        // The small files that change the image as much as the weights do (another scheduler, another
        // tokenizer, another latent config): whole. Without them two folders with the same weights but a
        // different scheduler shared one reuse key, and a broken copy was "reused" instead of refused.
        foreach (var small in new[] { "scheduler/scheduler_config.json", "unet/config.json", "vae_decoder/config.json", "tokenizer/vocab.json",
                                      "tokenizer/merges.txt", "tokenizer_2/vocab.json", "tokenizer_2/merges.txt" })
        {
            var file = Path.Combine(folder.Path, small);
            if (File.Exists(file)) parts.Append('|').Append(small).Append(':').Append(Sha256OfFile(file));
        }
        return Convert.ToHexString(sha.ComputeHash(Encoding.UTF8.GetBytes(parts.ToString())));
    }

    public static string RequestKey(string fingerprint, GenerationRequest r) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(new { fingerprint, r.Prompt, r.NegativePrompt, r.Width, r.Height, r.Steps, r.Guidance, r.Scheduler, r.Seed }))));

    public static string? Sha256OfFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (IOException) { return null; }
    }

    public void Dispose()
    {
        lock (_sessions) foreach (var s in _sessions.Values) s.Dispose();
        if (_ledger.IsValueCreated) _ledger.Value.Dispose();
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>A prompt a run left out, and why (e.g. its model is not installed, with how to get it).</summary>
public sealed record SkippedPrompt(string PromptName, int PromptIndex, string Reason);
