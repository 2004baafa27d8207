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
        var command = new Command("generate", "Generate the images locally and measure their energy.") { file, prompt, force, workspace, models, yes };
        command.SetAction(r => Run(r.GetValue(file)!, r.GetValue(prompt) ?? Array.Empty<string>(), r.GetValue(force), r.GetValue(workspace), r.GetValue(models), r.GetValue(yes)));
        return command;
    }

    /// <summary>Above this many images in one run, the total footprint is shown and confirmed first
    /// (issue 20, item 4: `"images": 10000` used to start without a word).</summary>
    public const int ConfirmAbove = 100;

    private static int Run(string path, string[] only, bool force, string? workspace, string? models, bool yes)
    {
        if (!PromptFileLoader.TryRead(path, out var text, out var error)) throw new UsageException(error);
        var root = Path.GetFullPath(workspace ?? Path.GetDirectoryName(Path.GetFullPath(path))!);
        var analyzer = new DocumentAnalyzer();
        var resolver = new LocalModelResolver(Path.GetDirectoryName(Path.GetFullPath(path))!, analyzer.Catalog);
        using var service = new GenerationService(new GenerationOptions { WorkspaceRoot = root, ModelsPath = models, IdleRelease = TimeSpan.Zero });
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
