using System.CommandLine;
using System.Globalization;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Reports;
using Spectre.Console;

namespace CarbonLsp.Cli;

/// <summary>The `carbonlsp` command line: estimate, check (and, as later issues land, serve and generate).
/// Bad arguments give one clear line on stderr and exit code 2, never a stack trace.</summary>
public static class CommandLine
{
    public const int ExitOk = 0;
    public const int ExitFindings = 1;
    public const int ExitUsage = 2;

    private static readonly Argument<string[]> Files = new("FILE") { Description = "Prompt files (*.prompts.json).", Arity = ArgumentArity.OneOrMore };
    private static readonly Option<bool> FixOption = new("--fix") { Description = "Apply the preferred fixes (as the editor's fix-all) to the files." };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "With --fix: show the changes, write nothing." };
    private static readonly Option<string> Format = new("--format", "-f") { Description = "table, json or sarif.", DefaultValueFactory = _ => "table" };
    // Descriptions are plain text: building the command line must not load the catalog (serve starts faster).
    private static readonly Option<string?> Device = new("--device") { Description = "Device (overrides the file and the detected one): a catalog id such as nvidia-rtx-4090, nvidia-h100, apple-m2-pro, cpu, or a hardware name such as \"RTX 3090\". Without it and without one in the file, the local device is detected (CARBONLSP_DETECT_DEVICE=0 turns that off)." };
    private static readonly Option<string?> Region = new("--region") { Description = "Grid region: ISO country code, EU or WORLD (overrides the file)." };
    private static readonly Option<string?> Pue = new("--pue") { Description = "Power usage effectiveness, 1 to 3 (overrides the file)." };
    private static readonly Option<string?> FixWorkspace = new("--workspace") { Description = "With --fix: the workspace whose ledger records each fix's saving (default: the current folder; a file outside it, its own folder)." };
    private static readonly Option<string?> Tokenizer = new("--tokenizer") { Description = "Folder with a CLIP vocab.json and merges.txt, for exact token counts." };

    static CommandLine()
    {
        Format.AcceptOnlyFromAmong("table", "json", "sarif");
    }

    public static int Run(string[] args)
    {
        var root = new RootCommand("CarbonLsp: the energy and carbon cost of text-to-image prompts, where they are written.");
        var estimate = new Command("estimate", "Estimate the energy and CO2e of every prompt.");
        var check = new Command("check", "Exit 1 when a file has errors or exceeds its carbon budget (for CI).");
        foreach (var cmd in new[] { estimate, check })
        {
            cmd.Arguments.Add(Files);
            cmd.Options.Add(Device);
            cmd.Options.Add(Region);
            cmd.Options.Add(Pue);
            cmd.Options.Add(Tokenizer);
        }
        estimate.Options.Add(Format);
        check.Options.Add(Format);
        check.Options.Add(FixOption);
        check.Options.Add(DryRun);
        check.Options.Add(FixWorkspace);
        estimate.SetAction(r => Execute(r, isCheck: false));
        check.SetAction(r => Execute(r, isCheck: true));
        root.Subcommands.Add(estimate);
        root.Subcommands.Add(check);
        foreach (var extra in ExtraCommands) root.Subcommands.Add(extra);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var message = string.Join(" ", parse.Errors[0].Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Console.Error.WriteLine($"carbonlsp: {message} (see 'carbonlsp --help')");
            return ExitUsage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"carbonlsp: {ex.Message}");
            return ExitUsage;
        }
        catch (Exception ex) when (ex is Generation.Models.ModelFolderException or ArgumentException or UnauthorizedAccessException
                                       or InsufficientMemoryException or Generation.Schedulers.UnknownSchedulerException)
        {
            // Problems with the request or the model: one clear line, never a stack trace.
            Console.Error.WriteLine($"carbonlsp: {ex.Message}");
            return ExitFindings;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("carbonlsp: cancelled.");
            return 130;
        }
    }

    /// <summary>check --fix: each readable file fixed (or, with --dry-run, its changes shown on stderr), before it is checked.</summary>
    private static void FixFiles(IReadOnlyList<string> paths, Core.Analysis.Environment overrides, string? tokenizer, bool dryRun, string? workspace)
    {
        var runner = new AnalysisRunner();
        foreach (var path in paths)
        {
            if (!Workspace.PromptFileLoader.TryRead(path, out var text, out _)) continue; // reported by the check itself
            var outcome = CheckFix.Fix(text, t => runner.Analyze(path, t, overrides, tokenizer));
            if (outcome.Applied.Count == 0) continue;
            var title = Core.Features.CodeActions.FixAllTitle(outcome.Applied);
            if (dryRun)
            {
                Console.Error.WriteLine($"--- {path} (would apply) {title}{CheckFix.Saving(outcome.Applied)}");
                foreach (var line in outcome.Diff) Console.Error.WriteLine(line);
                continue;
            }
            Reports.AtomicText.Write(path, outcome.Text);
            Console.Error.WriteLine($"carbonlsp: {path}: {title}{CheckFix.Saving(outcome.Applied)}.");
            CheckFix.RecordSavings(path, outcome, workspace);
        }
    }

    /// <summary>Commands added by other parts of the executable (the server, generation).</summary>
    public static List<Command> ExtraCommands { get; } = new();

    private static int Execute(ParseResult r, bool isCheck)
    {
        var catalog = ModelCatalog.Default;
        var device = r.GetValue(Device);
        if (device != null && catalog.DeviceResolver.Resolve(device) is { Known: false } unknown)
            throw new UsageException($"unknown device '{device}'{(unknown.Suggestions.Count > 0 ? $"; did you mean {string.Join(" or ", unknown.Suggestions)}?" : "")} Known: {string.Join(", ", catalog.Devices.Where(d => !d.Generic).Select(d => d.Id))}.");
        var region = r.GetValue(Region);
        if (region != null && catalog.FindRegion(region) == null)
            throw new UsageException(UnknownRegion(catalog, region));
        double? pue = null;
        if (r.GetValue(Pue) is { } pueText)
        {
            if (!double.TryParse(pueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 1 || p > 3)
                throw new UsageException($"--pue must be a number from 1 to 3, not '{pueText}'.");
            pue = p;
        }
        var overrides = new Core.Analysis.Environment(region, device, pue);
        var format = r.GetValue(Format) ?? "table";
        var runner = new AnalysisRunner();
        var (paths, empty) = PromptFiles.Expand(r.GetValue(Files) ?? Array.Empty<string>());
        if (isCheck && r.GetValue(FixOption)) FixFiles(paths, overrides, r.GetValue(Tokenizer), r.GetValue(DryRun), r.GetValue(FixWorkspace));
        else if (r.GetValue(DryRun)) throw new UsageException("--dry-run goes with --fix.");
        var results = runner.Run(paths, overrides, r.GetValue(Tokenizer), CancellationToken.None).ToList();
        var unreadable = results.Where(x => x.Error != null).ToList();
        foreach (var e in empty) Console.Error.WriteLine($"carbonlsp: {e}");
        foreach (var u in unreadable) Console.Error.WriteLine($"carbonlsp: {u.Error}");
        var analysed = results.Where(x => x.Analysis != null).ToList();

        switch (format)
        {
            case "json":
                Console.Out.WriteLine(JsonReport.Render(analysed.Select(x => ReportBuilder.Build(x.Path, x.Analysis!)).ToList()));
                break;
            case "sarif":
                Console.Out.WriteLine(SarifReport.Render(analysed.Select(x => ReportBuilder.Build(x.Path, x.Analysis!)).ToList(), Version));
                break;
            default:
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                console.Profile.Width = ConsoleWidth.For(console.Profile.Width, Console.IsOutputRedirected);
                foreach (var x in analysed) TableReport.Render(console, x.Path, x.Analysis!, runner.Analyzer.Estimator);
                if (analysed.Count > 1)
                {
                    var t = GrandTotal.Of(analysed.Select(x => x.Analysis!).ToList());
                    console.MarkupLine($"[bold]All {t.Files} files[/]: {t.Prompts} prompts, {t.Images} images, ≈ {Markup.Escape(Core.Estimation.Units.Wh(t.EnergyWh.Mid))} " +
                                       $"({Markup.Escape(Core.Estimation.Units.Wh(t.EnergyWh.Low))} to {Markup.Escape(Core.Estimation.Units.Wh(t.EnergyWh.High))}), {Markup.Escape(Core.Estimation.Units.Grams(t.Co2eGrams.Mid))} CO2e.");
                }
                break;
        }
        if (unreadable.Count > 0 || empty.Count > 0) return ExitUsage;
        if (isCheck)
        {
            var failed = analysed.Where(x => x.Analysis!.HasErrors || x.Analysis.BudgetExceeded).ToList();
            foreach (var f in failed)
                Console.Error.WriteLine($"carbonlsp check: {f.Path}: {(f.Analysis!.HasErrors ? "has errors" : "exceeds its carbon budget")}.");
            return failed.Count > 0 ? ExitFindings : ExitOk;
        }
        return ExitOk;
    }

    /// <summary>"unknown region 'Germany'; did you mean DE (Germany)?", as the file's CL005 says it.</summary>
    public static string UnknownRegion(Core.Catalog.ModelCatalog catalog, string region) => catalog.MeantRegion(region) is ({ } meant, var why)
        ? $"unknown region '{region}'{why}; did you mean {meant.Code} ({meant.Name})?"
        : $"unknown region '{region}'; known: {string.Join(", ", catalog.Regions.Select(x => x.Code))}.";

    public static string Version => typeof(CommandLine).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
}

/// <summary>A mistake in the arguments: reported as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
