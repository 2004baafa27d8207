using System.CommandLine;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Generation.Runs;
using CarbonLsp.Reports;
using CarbonLsp.Reports.Html;

namespace CarbonLsp.Cli;

/// <summary>`carbonlsp report [FILE|DIR]... --out report.html`: the self-contained HTML report of the prompt
/// files and the workspace's ledger (issue 22). A folder without prompt files, an empty ledger or missing
/// images still give a report, with the section clearly empty and the reason on stderr.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("PATH") { Description = "Prompt files or folders (default: the current folder).", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string>("--out", "-o") { Description = "The HTML file to write.", DefaultValueFactory = _ => "footprint-report.html" };
        var workspace = new Option<string?>("--workspace") { Description = "The workspace whose ledger (.carbonlsp/ledger.db) and images to include (default: the current folder)." };
        var region = new Option<string?>("--region") { Description = "Grid region (overrides the files)." };
        var device = new Option<string?>("--device") { Description = "Device (overrides the files and the detected one)." };
        var command = new Command("report", "Write a self-contained HTML report: totals, charts, fixes, grid, runs and images.") { files, output, workspace, region, device };
        command.SetAction(r => Run(r.GetValue(files) is { Length: > 0 } f ? f : new[] { "." }, r.GetValue(output)!, r.GetValue(workspace), r.GetValue(region), r.GetValue(device)));
        return command;
    }

    private static int Run(string[] arguments, string output, string? workspace, string? region, string? device)
    {
        var root = Path.GetFullPath(workspace ?? Directory.GetCurrentDirectory());
        var catalog = Core.Catalog.ModelCatalog.Default;
        if (region != null && catalog.FindRegion(region) == null) throw new UsageException(CommandLine.UnknownRegion(catalog, region));
        if (device != null && catalog.DeviceResolver.Resolve(device) is { Known: false }) throw new UsageException($"unknown device '{device}'.");
        var overrides = new Core.Analysis.Environment(region, device, null);
        var runner = new AnalysisRunner();
        var (paths, notes) = PromptFiles.Expand(arguments);
        var results = runner.Run(paths, overrides, null, CancellationToken.None).ToList();
        notes.AddRange(results.Where(x => x.Error != null).Select(x => x.Error!));
        var analysed = results.Where(x => x.Analysis != null).ToList();
        var reports = analysed.Select(x => ReportBuilder.Build(x.Path, x.Analysis!, text => runner.Analyze(x.Path, text, overrides, null))).ToList();
        string ledgerPath;
        try { ledgerPath = new GenerationOptions { WorkspaceRoot = root }.LedgerPath; }
        catch (UnauthorizedAccessException ex) { throw new UsageException(ex.Message); }
        var ledger = LedgerReader.Read(ledgerPath, out var ledgerNote);
        var html = HtmlReport.Render(new HtmlReportData
        {
            Files = reports, Workspace = root, Ledger = ledger, LedgerNote = ledgerNote, Notes = notes, ToolVersion = CommandLine.Version,
            Equivalents = EquivalentsReport.Of(runner.Analyzer.Estimator, reports),
        });
        var target = Path.GetFullPath(output);
        if (Directory.Exists(target)) throw new UsageException($"--out {output} is a folder; name the HTML file to write (e.g. {Path.Combine(output, "footprint-report.html")}).");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            AtomicText.Write(target, html);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"carbonlsp: the report could not be written to {output}: {ex.Message}");
            return CommandLine.ExitFindings;
        }
        foreach (var n in notes) Console.Error.WriteLine($"carbonlsp: {n}");
        if (ledgerNote != null) Console.Error.WriteLine($"carbonlsp: {ledgerNote}");
        Console.Error.WriteLine($"carbonlsp: wrote {output} ({Core.Estimation.Units.Count(reports.Count, "prompt file")}, {ledger?.Runs.Count ?? 0} runs, {html.Length / 1024} kB).");
        return CommandLine.ExitOk;
    }
}
