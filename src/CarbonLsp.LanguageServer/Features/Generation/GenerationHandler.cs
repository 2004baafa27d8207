using CarbonLsp.Core.Rules;
using System.Collections.Concurrent;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Generation.Runs;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features.Generation;

/// <summary>
/// Generation from the editor: carbonlsp.generate [uri, promptIndex, force?], carbonlsp.generateAll
/// [uri, force?], carbonlsp.cancel, carbonlsp.openImage [uri, imagePath] (typed in
/// <see cref="CommandArguments"/>). Runs off the dispatch thread, so other
/// requests keep being served; reports work-done progress (percentage, step, time left, energy so
/// far); cancellable by $/cancelRequest, window/workDoneProgress/cancel or carbonlsp.cancel. The
/// ledger it writes calibrates later estimates, so open files are re-analysed afterwards.
/// </summary>
internal sealed class GenerationHandler(Hosting.LanguageServer server) : HandlerBase(server), IDisposable
{
    public const string Generate = "carbonlsp.generate";
    public const string GenerateAll = "carbonlsp.generateAll";
    public const string Cancel = "carbonlsp.cancel";
    public const string OpenImage = "carbonlsp.openImage";
    /// <summary>[uri, promptIndex]: wait for the cleanest window of the grid forecast, then generate (issue 21).</summary>
    public const string GenerateAtCleanest = "carbonlsp.generateAtCleanest";
    public static readonly string[] Commands = { Generate, GenerateAll, Cancel, OpenImage, GenerateAtCleanest };

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private GenerationRegistry? _registry;

    /// <summary>The per-root services; settings are read when a root's service is first made.</summary>
    private GenerationRegistry Registry => LazyInitializer.EnsureInitialized(ref _registry, () => new GenerationRegistry(root =>
    {
        var s = Server.Analysis.Settings;
        return new GenerationOptions { WorkspaceRoot = root, OutputDirectory = s.OutputDir ?? "generated", ModelsPath = s.ModelsPath, ConfiguredDevice = s.Device };
    }, service => Server.Analysis.Calibration.Inner = service.Ledger)); // a root's ledger calibrates from its first use (and after each run)

    public void Dispose() => _registry?.Dispose();

    [JsonRpcMethod("window/workDoneProgress/cancel", UseSingleObjectParameterDeserialization = true)]
    public void CancelProgress(JToken? p)
    {
        if (p?["token"]?.ToString() is { } token && _running.TryGetValue(token, out var cts)) cts.Cancel();
    }

    /// <summary>Waits for the cleanest window the provider's forecast gives for this prompt (as the lens said), with
    /// work-done progress counting down; cancel (the progress's cancel, $/cancelRequest or carbonlsp.cancel)
    /// stops the wait and nothing is generated; closing the editor ends the server and so the wait. Then
    /// generates as carbonlsp.generate does. Without a forecast, or when now is the cleanest, it generates now.</summary>
    public async Task<object?> GenerateAtCleanestAsync(JArray? args, JToken? workDoneToken, CancellationToken requestToken)
    {
        var target = CommandArguments.Prompt(args, GenerateAtCleanest);
        var snapshot = Snapshot(target.Uri) ?? throw new LocalRpcException($"{target.Uri} is not an open prompt file.") { ErrorCode = ErrorCodes.InvalidParams };
        var analysis = await snapshot.GetAnalysisAsync(requestToken).ConfigureAwait(false);
        var prompt = analysis.Prompts.FirstOrDefault(x => x.Entry.Index == target.PromptIndex)
                     ?? throw new LocalRpcException("No such prompt in the document.") { ErrorCode = ErrorCodes.InvalidParams };
        var window = analysis.GreenerWindow(prompt);
        if (window != null && window.Start > DateTimeOffset.UtcNow)
        {
            await using var progress = await WorkDoneProgress.BeginAsync(Server, workDoneToken, $"Waiting for the cleanest grid at {window.Start.ToLocalTime():HH:mm}").ConfigureAwait(false);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(requestToken);
            var key = progress.Token?.ToString() ?? Guid.NewGuid().ToString("N");
            _running[key] = cts;
            try
            {
                var total = window.Start - DateTimeOffset.UtcNow;
                while (DateTimeOffset.UtcNow < window.Start)
                {
                    var left = window.Start - DateTimeOffset.UtcNow;
                    var done = total <= TimeSpan.Zero ? 100 : (int)(100 * (1 - left / total));
                    await progress.ReportAsync($"{prompt.Entry.DisplayName}: {(left.TotalHours >= 1 ? $"{(int)left.TotalHours} h {left.Minutes:00} min" : $"{left.Minutes} min {left.Seconds:00} s")} left, " +
                                               $"−{window.Saving * 100:0} % CO2e · closing the editor cancels", Math.Clamp(done, 0, 100)).ConfigureAwait(false);
                    await Task.Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), cts.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                await progress.EndAsync("cancelled: nothing was generated").ConfigureAwait(false);
                throw;
            }
            finally { _running.TryRemove(key, out _); }
        }
        // The run's CO2e uses the forecast for its window, recorded as such in the ledger.
        var forecast = window != null && analysis.GridSignal is { } s
            ? new Core.Grid.IntensityChoice(window.GramsPerKWh, Core.Grid.IntensityKind.Forecast, $"{s.Source}, {analysis.GridZone}, forecast for {window.Start.UtcDateTime:HH:mm} UTC{(s.Marginal ? ", marginal" : "")}", window.Start)
            : null;
        return await RunAsync(Generate, new JArray(target.Uri, target.PromptIndex, target.Force), null, requestToken, forecast).ConfigureAwait(false);
    }

    public object? CancelAll()
    {
        foreach (var cts in _running.Values) cts.Cancel();
        return new { cancelled = _running.Count };
    }

    public async Task<object?> RunAsync(string command, JArray? args, JToken? workDoneToken, CancellationToken requestToken, Core.Grid.IntensityChoice? intensity = null)
    {
        string uri;
        int? promptIndex = null;
        bool force;
        if (command == GenerateAll) (uri, force) = CommandArguments.Document(args, command);
        else
        {
            var target = CommandArguments.Prompt(args, command);
            (uri, promptIndex, force) = (target.Uri, target.PromptIndex, target.Force);
        }
        var snapshot = Snapshot(uri) ?? throw new LocalRpcException($"{uri} is not an open prompt file.") { ErrorCode = ErrorCodes.InvalidParams };
        Core.Analysis.DocumentAnalysis analysis;
        try
        {
            analysis = await snapshot.GetAnalysisAsync(requestToken).ConfigureAwait(false);
        }
        catch (Documents.AnalysisSupersededException)
        {
            // The file changed as the request arrived: generate what it says now.
            snapshot = Snapshot(uri) ?? throw new LocalRpcException($"{uri} was closed.") { ErrorCode = ErrorCodes.InvalidParams };
            analysis = await snapshot.GetAnalysisAsync(requestToken).ConfigureAwait(false);
        }
        var indexes = promptIndex is { } one ? new List<int> { one } : analysis.Prompts.Where(p => p.Estimated).Select(p => p.Entry.Index).ToList();
        if (indexes.Count == 0 || indexes.Any(i => analysis.Prompts.All(p => p.Entry.Index != i)))
            throw new LocalRpcException("No such prompt in the document.") { ErrorCode = ErrorCodes.InvalidParams };
        var path = new Uri(uri!).LocalPath;
        // A model folder outside the workspace is run only once the user allowed it (issue 20, item 6).
        foreach (var p in analysis.Prompts.Where(p => indexes.Contains(p.Entry.Index)))
            if (Server.Analysis.ModelFolderWithheld(Path.GetDirectoryName(path)!, p.Settings.ModelName.Value) is { } why)
                throw new LocalRpcException($"Not generated: {p.Entry.DisplayName}'s model folder \"{p.Settings.ModelName.Value}\" was not read: {why}. If you trust it, add it to the carbonlsp.trustedModelFolders setting.") { ErrorCode = ErrorCodes.InvalidParams };
        var service = ServiceFor(path);
        var title = indexes.Count == 1 ? $"Generating {analysis.Prompts.First(p => p.Entry.Index == indexes[0]).Entry.DisplayName}" : $"Generating {indexes.Count} prompts";
        await using var progress = await WorkDoneProgress.BeginAsync(Server, workDoneToken, title).ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(requestToken);
        var key = progress.Token?.ToString() ?? Guid.NewGuid().ToString("N");
        _running[key] = cts;
        try
        {
            var last = DateTime.MinValue;
            var reporter = new Progress(p =>
            {
                // Throttle to about ten reports a second.
                if ((DateTime.UtcNow - last).TotalMilliseconds < 100 && p.Step < p.Steps) return;
                last = DateTime.UtcNow;
                _ = progress.ReportAsync($"{p.PromptName} {p.Image + 1}/{p.Images} · step {p.Step}/{p.Steps} · {p.Remaining.TotalSeconds:F0} s left · {Units.Wh(p.JoulesSoFar / 3600)} so far", (int)(p.Fraction * 100));
            });
            var skipped = new List<SkippedPrompt>();
            var runs = await Task.Run(() => service.Generate(analysis, path, indexes, force, reporter, cts.Token, skipped, intensity), cts.Token).ConfigureAwait(false);
            if (CarbonLsp.Generation.Models.ExecutionProviders.TakeNotice() is { } notice)
                _ = Server.NotifyAsync(Methods.ShowMessage, new { type = 2, message = notice }); // once per server, not per image
            // Prompts whose model is not installed were left out, the others made: say which and how to get the model.
            foreach (var skip in skipped) Server.Log.Warning($"{skip.PromptName} not generated: {skip.Reason}");
            if (skipped.Count > 0 && runs.Count == 0)
                throw new LocalRpcException(skipped[0].Reason + (skipped.Count > 1 ? $" ({skipped.Count} prompts left out.)" : "")) { ErrorCode = ErrorCodes.RequestFailed };
            if (skipped.Count > 0)
                _ = Server.NotifyAsync(Methods.ShowMessage, new { type = 2, message = $"{Units.Count(skipped.Count, "prompt")} not generated ({string.Join(", ", skipped.Select(x => x.PromptName))}): {skipped[0].Reason}" });
            var made = runs.Where(r => !r.Reused).ToList();
            await progress.EndAsync($"{Units.Count(runs.Count, "image")}: {Units.Wh(made.Sum(r => r.EnergyWh))}, {Units.Grams(made.Sum(r => r.Co2eGrams))} CO2e").ConfigureAwait(false);
            Server.Analysis.Calibration.Inner = service.Ledger;
            Server.OnCalibrationChanged(); // measured runs change the estimates and the CL201 hints
            if (runs.Count > 0 && Server.Client.SupportsShowDocument)
                _ = Server.RequestAsync<JToken>(Methods.ShowDocument, new { uri = new Uri(runs[^1].OutputPath).AbsoluteUri, external = false, takeFocus = false });
            return new
            {
                images = runs.Select(r => new
                {
                    prompt = r.PromptName, uri = new Uri(r.OutputPath).AbsoluteUri, path = r.OutputPath, seed = r.Seed, reused = r.Reused,
                    energyWh = r.EnergyWh, energyMethod = r.EnergyMethod, energyIsEstimate = r.EnergyIsEstimate, co2eGrams = r.Co2eGrams,
                    estimatedWh = r.EstimatedWh, device = r.Device, provider = r.Provider, seconds = r.Wall.TotalSeconds,
                }),
                skipped = skipped.Select(x => new { prompt = x.PromptName, index = x.PromptIndex, reason = x.Reason }),
            };
        }
        catch (OperationCanceledException)
        {
            await progress.EndAsync("cancelled; no partial image was written").ConfigureAwait(false);
            throw new LocalRpcException("Generation was cancelled.") { ErrorCode = ErrorCodes.RequestCancelled };
        }
        catch (Exception ex) when (ex is CarbonLsp.Generation.Models.ModelFolderException or ArgumentException or UnauthorizedAccessException or InsufficientMemoryException)
        {
            await progress.EndAsync(ex.Message).ConfigureAwait(false);
            throw new LocalRpcException(ex.Message) { ErrorCode = ErrorCodes.RequestFailed };
        }
        finally
        {
            _running.TryRemove(key, out _);
        }
    }

    public object? Open(JArray? args)
    {
        var (uri, path) = CommandArguments.OpenImage(args, OpenImage);
        // Only a PNG inside the document's workspace (links out refused): the command is a link any client can
        // send, and it must not show arbitrary files (/etc/passwd).
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var document) || !document.IsFile)
            throw new LocalRpcException($"Not opened: {uri} is not a file in a workspace.") { ErrorCode = ErrorCodes.InvalidParams };
        try { path = CarbonLsp.Generation.Output.WorkspacePaths.ResolveInside(RootOf(document.LocalPath), path); }
        catch (UnauthorizedAccessException)
        {
            throw new LocalRpcException($"Not opened: {path} is outside the workspace; only images generated inside it are opened.") { ErrorCode = ErrorCodes.InvalidParams };
        }
        if (!string.Equals(Path.GetExtension(path), ".png", StringComparison.OrdinalIgnoreCase))
            throw new LocalRpcException($"Not opened: {path} is not a generated image (.png).") { ErrorCode = ErrorCodes.InvalidParams };
        if (!File.Exists(path)) throw new LocalRpcException("No generated image yet for this prompt.") { ErrorCode = ErrorCodes.InvalidParams };
        if (Server.Client.SupportsShowDocument)
            _ = Server.RequestAsync<JToken>(Methods.ShowDocument, new { uri = new Uri(path).AbsoluteUri, takeFocus = true });
        return new { uri = new Uri(path).AbsoluteUri, path, document = uri };
    }

    /// <summary>The workspace root for a file: the workspace folder that contains it, else its folder (the savings
    /// and the report use the same roots as generation).</summary>
    public string RootOf(string documentPath) =>
        Server.WorkspaceFolders.Select(f => Uri.TryCreate(f, UriKind.Absolute, out var u) && u.IsFile ? u.LocalPath : null).OfType<string>()
            .Where(f => Path.GetFullPath(documentPath).StartsWith(Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(f => f.Length).FirstOrDefault() ?? Path.GetDirectoryName(documentPath)!;

    private GenerationService ServiceFor(string documentPath) => Registry.For(RootOf(documentPath));

    /// <summary>The root's ledger (opened once per root, shared with generation), made if <paramref name="create"/>;
    /// null when the root has none yet and none is to be made, or when it would lie outside the workspace.</summary>
    public Ledger.RunLedger? LedgerOf(string root, bool create)
    {
        try
        {
            if (!create && !File.Exists(new GenerationOptions { WorkspaceRoot = root }.LedgerPath)) return null;
            return Registry.For(root).Ledger;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or LiteDB.LiteException)
        {
            Server.Log.Warning($"run ledger of {root} not opened: {ex.Message}");
            return null;
        }
    }

    /// <summary>The CL201 rule for the files of <paramref name="folder"/>, when its workspace has a run
    /// ledger (nothing is opened or created otherwise). The lookup never throws: hints are optional.</summary>
    public IReadOnlyList<IPromptRule> RulesFor(string folder)
    {
        var root = RootOf(Path.Combine(folder, "_"));
        try
        {
            if (!File.Exists(new GenerationOptions { WorkspaceRoot = root }.LedgerPath)) return Array.Empty<IPromptRule>();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or ArgumentException)
        {
            Server.Log.Warning($"run ledger not read: {ex.Message}");
            return Array.Empty<IPromptRule>();
        }
        var directory = Path.GetFullPath(folder);
        return new IPromptRule[]
        {
            new AlreadyGeneratedRule(prompt =>
            {
                // The reuse key reads the model folder (configs, tokenizer, a megabyte of each model.onnx).
                if (Server.Analysis.ModelFolderWithheld(directory, prompt.Settings.ModelName.Value) != null) return null;
                try { return Registry.ReuseFor(root).Existing(prompt, directory)?.OutputPath; }
                catch (Exception ex)
                {
                    Server.Log.Verbose($"reuse hints skipped: {ex.Message}");
                    return null;
                }
            }),
        };
    }

    /// <summary>The prompt's first image where generation in the file's own root puts it, if it exists,
    /// for the "Open image" lens. No ledger query and no service made: the lens is computed on every request.</summary>
    public string? LatestImage(string documentPath, Core.Analysis.PromptAnalysis prompt)
    {
        if (_registry?.Existing(RootOf(documentPath)) is not { } service) return null;
        try
        {
            var path = service.OutputPath(prompt, 0, prompt.Settings.Images.Value);
            return File.Exists(path) ? path : null;
        }
        catch (UnauthorizedAccessException) { return null; } // an output outside the workspace: never generated
    }

    private sealed class Progress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
