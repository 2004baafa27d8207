using System.Runtime.InteropServices;
using System.Globalization;
using System.CommandLine;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Generation.Runs;
using CarbonLsp.Workspace;
using Spectre.Console;

namespace CarbonLsp.Cli;

/// <summary>`carbonlsp generate FILE [--prompt ID] [--force]`: makes the images on this machine with a
/// progress bar, measures each one's energy, and prints where it went and what it cost. Ctrl+C stops
/// cleanly between steps and leaves no partial file.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A prompt file (*.prompts.json)." };
        var prompt = new Option<string[]>("--prompt", "-p") { Description = "Only the prompt with this id (or 1-based number); repeatable.", AllowMultipleArgumentsPerToken = true };
        var force = new Option<bool>("--force") { Description = "Generate again even when an identical image is in the ledger." };
        var workspace = new Option<string?>("--workspace") { Description = "Workspace root (output paths must stay inside it). Default: the prompt file's folder." };
        var models = new Option<string?>("--models") { Description = "Folder with ONNX model folders named after catalog ids." };
        var yes = new Option<bool>("--yes", "-y") { Description = $"Generate more than {ConfirmAbove} images without asking." };
        var when = new Option<string?>("--when") { Description = "now (default) or cleanest: wait for the cleanest window of the grid forecast (needs a grid provider, docs/grid.md)." };
        var within = new Option<string?>("--within") { Description = "With --when cleanest: how long it may wait, e.g. 8h (default 8h)." };
        var zone = new Option<string?>("--zone") { Description = "With --when cleanest: the provider's zone when it is not the file's region (GB-13, CAISO_NORTH, westeurope)." };
        var command = new Command("generate", "Generate the images locally and measure their energy.") { file, prompt, force, workspace, models, yes, when, within, zone, GridCommand.Provider, GridCommand.Url };
        command.SetAction(r =>
        {
            var schedule = (r.GetValue(when) ?? "now") switch
            {
                "now" => null,
                "cleanest" => new Schedule(GridCommand.Config(r), GridCommand.ParseDuration(r.GetValue(within) ?? "8h", "--within"), r.GetValue(zone)),
                var other => throw new UsageException($"--when takes now or cleanest, not '{other}'."),
            };
            return Run(r.GetValue(file)!, r.GetValue(prompt) ?? Array.Empty<string>(), r.GetValue(force), r.GetValue(workspace), r.GetValue(models), r.GetValue(yes), schedule);
        });
        return command;
    }

    /// <summary>--when cleanest: the provider to ask, how long the run may wait, the zone.</summary>
    private sealed record Schedule(Grid.GridConfig Config, TimeSpan Within, string? Zone);

    /// <summary>Above this many images in one run, the total footprint is shown and confirmed first
    /// (issue 20, item 4: `"images": 10000` used to start without a word).</summary>
    public const int ConfirmAbove = 100;

    private static int Run(string path, string[] only, bool force, string? workspace, string? models, bool yes, Schedule? schedule)
    {
        if (!PromptFileLoader.TryRead(path, out var text, out var error)) throw new UsageException(error);
        var root = Path.GetFullPath(workspace ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
        var analyzer = new DocumentAnalyzer();
        var resolver = new LocalModelResolver(Path.GetDirectoryName(Path.GetFullPath(path))!, analyzer.Catalog);
        var analysis = analyzer.Analyze(text, new AnalysisOptions { ResolveModel = resolver.Resolve });
        var errors = analysis.Findings.Where(f => f.Code is "CL001" or "CL002").ToList();
        if (errors.Count > 0)
        {
            var pos = analysis.Document.GetRange(errors[0].Span).Start;
            Console.Error.WriteLine($"carbonlsp: {path}:{pos.Line + 1}:{pos.Character + 1}: {errors[0].Message} (fix the file first; `carbonlsp check` lists every error)");
            return CommandLine.ExitFindings;
        }
        var indexes = Select(analysis, only);
        if (!yes && Confirm(analysis, indexes) is { } declined) return declined;
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        // SIGTERM (kill, a CI runner, systemd) cancels as cleanly as Ctrl+C: no partial image, exit 130. It also
        // reaches a run started in the background by a shell, which ignores Ctrl+C's SIGINT for such jobs.
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; cts.Cancel(); });
        Core.Grid.IntensityChoice? intensity = null;
        if (schedule != null)
        {
            try { intensity = WaitForCleanest(schedule, analysis, indexes, cts.Token); }
            catch (OperationCanceledException)
            {
                Console.CancelKeyPress -= onCancel;
                Console.Error.WriteLine("carbonlsp: cancelled while waiting for the cleanest window; nothing was generated.");
                return 130;
            }
        }
        using var service = new GenerationService(new GenerationOptions { WorkspaceRoot = root, ModelsPath = models, IdleRelease = TimeSpan.Zero, Intensity = intensity });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = ConsoleWidth.For(console.Profile.Width, Console.IsOutputRedirected, piped: 200);
        IReadOnlyList<ImageRun> runs;
        var skipped = new List<SkippedPrompt>();
        try
        {
            runs = Console.IsOutputRedirected
                ? service.Generate(analysis, path, indexes, force, null, cts.Token, skipped)
                : console.Progress()
                .AutoClear(true)
                .HideCompleted(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("starting", maxValue: 1.0);
                    var progress = new InlineProgress(p =>
                    {
                        task.Description = Markup.Escape($"{p.PromptName} {p.Image + 1}/{p.Images} step {p.Step}/{p.Steps} · {Units.Wh(p.JoulesSoFar / 3600)}");
                        task.Value = Math.Min(1.0, p.Fraction);
                    });
                    return service.Generate(analysis, path, indexes, force, progress, cts.Token, skipped);
                });
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("carbonlsp: generation cancelled; no partial image was written.");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        foreach (var r in runs)
        {
            var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), r.OutputPath);
            if (r.Reused)
                console.MarkupLine($"[green]{Markup.Escape(rel)}[/]  reused from the ledger (identical request; 0 Wh). Use --force to generate again.");
            else
            {
                var what = r.EnergyIsEstimate ? $"≈ {Units.Wh(r.EnergyWh)} [yellow]estimated[/] ({Markup.Escape(r.EnergyMethod)})" : $"{Units.Wh(r.EnergyWh)} [green]measured[/] ({Markup.Escape(r.EnergyMethod)})";
                console.MarkupLine($"[green]{Markup.Escape(rel)}[/]  {what}, {Markup.Escape(Units.Grams(r.Co2eGrams))} CO2e · {r.Wall.TotalSeconds:F2} s on {Markup.Escape(r.Provider)} · seed {r.Seed}");
            }
        }
        var made = runs.Where(r => !r.Reused).ToList();
        console.MarkupLine($"[bold]{Units.Count(runs.Count, "image")}[/] ({made.Count} generated): {Markup.Escape(Units.Wh(made.Sum(r => r.EnergyWh)))}, {Markup.Escape(Units.Grams(made.Sum(r => r.Co2eGrams)))} CO2e. Ledger: {Markup.Escape(Path.GetRelativePath(Directory.GetCurrentDirectory(), service.Ledger.Path))}");
        if (Generation.Models.ExecutionProviders.TakeNotice() is { } notice) Console.Error.WriteLine($"carbonlsp: {notice}");
        // A prompt whose model is not installed is left out, not the whole file: say which, and how to get it.
        foreach (var skip in skipped) Console.Error.WriteLine($"carbonlsp: {skip.PromptName} not generated: {skip.Reason}");
        return skipped.Count > 0 ? CommandLine.ExitFindings : CommandLine.ExitOk;
    }

    /// <summary>--when cleanest: asks the provider for the forecast of the file's region (or --zone), finds the
    /// cleanest window for the run's estimated length, and waits for it with a countdown (Ctrl+C cancels). Without
    /// a forecast it says why and runs now. Returns the intensity the run's CO2e uses, with its kind.</summary>
    private static Core.Grid.IntensityChoice? WaitForCleanest(Schedule schedule, DocumentAnalysis analysis, IReadOnlyList<int> indexes, CancellationToken ct)
    {
        Grid.GridService grid;
        try { grid = new Grid.GridService(schedule.Config); }
        catch (ArgumentException ex) { throw new UsageException(ex.Message); }
        using var _ = grid;
        var zone = schedule.Zone ?? analysis.Region.Code;
        if (!grid.Configured)
        {
            Console.Error.WriteLine($"carbonlsp: --when cleanest needs a grid forecast, and no provider is configured (--grid-provider, ${Grid.GridConfig.ProviderVariable}; docs/grid.md). Generating now, with the annual average.");
            return null;
        }
        var job = TimeSpan.FromSeconds(Math.Max(1, analysis.Prompts.Where(p => indexes.Contains(p.Entry.Index)).Sum(p => p.Footprint.SecondsPerImage * p.Footprint.Images)));
        var answer = grid.GetAsync(zone, ct).GetAwaiter().GetResult();
        if (answer.Signal is not { } signal)
        {
            Console.Error.WriteLine($"carbonlsp: {answer.Problem} Generating now, with the annual average.");
            return null;
        }
        var marginal = signal.Marginal ? " marginal" : "";
        var best = Core.Grid.CleanestWindow.Find(signal.Forecast, grid.Now, job, schedule.Within, out var whyNot);
        if (best == null || best.Start <= grid.Now + TimeSpan.FromSeconds(1))
        {
            Console.Error.WriteLine(best == null ? $"carbonlsp: no cleanest window ({whyNot}); generating now." : $"carbonlsp: now is the cleanest time within {schedule.Within.TotalHours:0.#} h ({best.GramsPerKWh:0} g/kWh{marginal}); generating now.");
            return best != null ? new(best.GramsPerKWh, Core.Grid.IntensityKind.Forecast, $"{signal.Source}, {zone}, forecast{marginal}", best.Start)
                : signal.NowGramsPerKWh is { } now ? new(now, Core.Grid.IntensityKind.Live, $"{signal.Source}, {zone}, live{marginal}", signal.NowAt) : null;
        }
        var at = best.Start.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
        var line = $"waiting for the cleanest window at {at} ({best.GramsPerKWh:0} g/kWh{marginal}, {best.Saving * 100:0} % less CO2e than now, {signal.Source}); Ctrl+C cancels";
        if (Console.IsErrorRedirected || Console.IsOutputRedirected)
        {
            Console.Error.WriteLine($"carbonlsp: {line}.");
            Delay(best.Start - grid.Now, ct);
        }
        else
        {
            AnsiConsole.Status().Start(line, ctx =>
            {
                while (grid.Now < best.Start)
                {
                    var left = best.Start - grid.Now;
                    ctx.Status(Markup.Escape($"{line} · {(left.TotalHours >= 1 ? $"{(int)left.TotalHours} h {left.Minutes:00} min" : $"{left.Minutes} min {left.Seconds:00} s")} left"));
                    Delay(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1), ct);
                }
            });
        }
        return new(best.GramsPerKWh, Core.Grid.IntensityKind.Forecast, $"{signal.Source}, {zone}, forecast for {at}{marginal}", best.Start);
    }

    private static void Delay(TimeSpan t, CancellationToken ct)
    {
        if (t > TimeSpan.Zero) Task.Delay(t, ct).GetAwaiter().GetResult();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>For a run of more than <see cref="ConfirmAbove"/> images: the total footprint, then a
    /// question when a person is at the terminal; without one, a refusal that names --yes. Null: go on.</summary>
    private static int? Confirm(DocumentAnalysis analysis, IReadOnlyList<int> indexes)
    {
        var chosen = analysis.Prompts.Where(p => indexes.Contains(p.Entry.Index)).ToList();
        var images = chosen.Sum(p => p.Footprint.Images);
        if (images <= ConfirmAbove) return null;
        var energy = chosen.Aggregate(EnergyRange.Zero, (sum, p) => sum + p.Footprint.EnergyWh);
        var co2 = chosen.Aggregate(EnergyRange.Zero, (sum, p) => sum + p.Footprint.Co2eGrams);
        var seconds = chosen.Sum(p => p.Footprint.SecondsPerImage * p.Footprint.Images);
        Console.Error.WriteLine($"carbonlsp: this run makes {images:N0} images: about {Units.Wh(energy.Mid)} ({Units.Wh(energy.Low)} to {Units.Wh(energy.High)}), " +
                                $"{Units.Grams(co2.Mid)} CO2e, {Duration(seconds)} on the file's device (identical images in the ledger are reused, not made again).");
        if (Console.IsInputRedirected)
        {
            Console.Error.WriteLine($"carbonlsp: more than {ConfirmAbove} images: add --yes to generate them without asking.");
            return CommandLine.ExitUsage;
        }
        Console.Error.Write("Generate them? [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        if (answer is "y" or "Y" or "yes" or "Yes") return null;
        Console.Error.WriteLine("carbonlsp: not generated.");
        return 130;
    }

    private static string Duration(double seconds) =>
        seconds < 120 ? $"{seconds:0} s" : seconds < 7200 ? $"{seconds / 60:0} min" : $"{seconds / 3600:0.#} h";

    private static IReadOnlyList<int> Select(DocumentAnalysis analysis, string[] only)
    {
        if (only.Length == 0) return analysis.Prompts.Select(p => p.Entry.Index).ToList();
        var result = new List<int>();
        foreach (var id in only)
        {
            var match = analysis.Prompts.FirstOrDefault(p => p.Entry.Id == id)
                        ?? (int.TryParse(id, out var n) ? analysis.Prompts.FirstOrDefault(p => p.Entry.Index == n - 1) : null);
            if (match == null) throw new UsageException($"no prompt with id or number '{id}'; ids: {string.Join(", ", analysis.Prompts.Select(p => p.Entry.DisplayName))}.");
            result.Add(match.Entry.Index);
        }
        return result;
    }

    private sealed class InlineProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
