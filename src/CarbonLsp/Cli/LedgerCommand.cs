using System.CommandLine;
using System.Globalization;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Generation.Runs;
using CarbonLsp.Ledger;
using CarbonLsp.Reports;
using Newtonsoft.Json;
using Spectre.Console;

namespace CarbonLsp.Cli;

/// <summary>`carbonlsp ledger`: the workspace's run history (issue 22): each run's energy (measured or
/// estimated, said which) against the estimate made before it, CO2e and the grid figure it used, totals, and
/// the energy reuse of identical images avoided; as a table, JSON or CSV, or CodeCarbon's emissions.csv.</summary>
public static class LedgerCommand
{
    public static Command Create()
    {
        var workspace = new Option<string?>("--workspace") { Description = "The workspace whose .carbonlsp/ledger.db to read (default: the current folder)." };
        var since = new Option<string?>("--since") { Description = "Only runs from this date on (yyyy-MM-dd, UTC)." };
        var format = new Option<string?>("--format") { Description = "table (default), json or csv." };
        var export = new Option<string?>("--export") { Description = "codecarbon: CodeCarbon's emissions.csv columns." };
        var command = new Command("ledger", "The history of generated images: energy, estimates, CO2e, reuse.") { workspace, since, format, export };
        command.SetAction(r => Run(r.GetValue(workspace), r.GetValue(since), r.GetValue(format) ?? "table", r.GetValue(export)));
        return command;
    }

    private sealed record Totals(int Runs, int Generated, int Reused, double EnergyWh, double MeasuredWh, double EstimatedWh, double Co2eGrams, double ReuseSavedWh);

    private static int Run(string? workspace, string? since, string format, string? export)
    {
        if (format is not ("table" or "json" or "csv")) throw new UsageException($"--format takes table, json or csv, not '{format}'.");
        if (export is not (null or "codecarbon")) throw new UsageException($"--export takes codecarbon, not '{export}'.");
        DateTime? from = null;
        if (since != null)
        {
            if (!DateTime.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
                throw new UsageException($"--since takes a date like 2026-12-01, not '{since}'.");
            from = d;
        }
        var root = Path.GetFullPath(workspace ?? Directory.GetCurrentDirectory());
        string path;
        try { path = new GenerationOptions { WorkspaceRoot = root }.LedgerPath; }
        catch (UnauthorizedAccessException ex) { throw new UsageException(ex.Message); }
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"carbonlsp: no ledger in {root} ({Path.GetRelativePath(root, path)}): no image has been generated in this workspace yet.");
            if (export == "codecarbon") Console.Out.Write(CodeCarbonCsv.Render(Array.Empty<RunRecord>()));
            return CommandLine.ExitOk;
        }
        List<RunRecord> all;
        IReadOnlyList<SavingRecord> savings;
        using (var ledger = new RunLedger(path)) { all = ledger.All().ToList(); savings = ledger.Savings(); }
        var month = SavingsSummary.MonthStart(DateTime.UtcNow);
        var savedThisMonth = SavingsSummary.Of(all, savings, month);
        var saved = SavingsSummary.Of(all, savings, from);
        var runs = all.Where(r => from == null || r.Utc >= from).ToList();
        if (export == "codecarbon")
        {
            Console.Out.Write(CodeCarbonCsv.Render(runs));
            return CommandLine.ExitOk;
        }
        var made = runs.Where(r => !r.Reused).ToList();
        var totals = new Totals(runs.Count, made.Count, runs.Count - made.Count, made.Sum(r => r.EnergyWh), made.Where(r => !r.EnergyIsEstimate).Sum(r => r.EnergyWh),
            made.Sum(r => r.EstimatedWh), made.Sum(r => r.Co2eGrams), saved.ReuseWh);
        switch (format)
        {
            case "json":
                Console.Out.WriteLine(JsonConvert.SerializeObject(new
                {
                    ledger = path, totals, saved = Saved(saved), savedThisMonth = Saved(savedThisMonth), runs = runs.Select(Row),
                    fixes = savings.Where(x => from == null || x.Utc >= from).Select(x => new { utc = x.Utc, code = x.Code, title = x.Title, file = x.File, prompt = x.PromptId, energyWh = x.EnergyWh, co2eGrams = x.Co2eGrams, where = x.Where }),
                }, Formatting.Indented));
                break;
            case "csv":
                Console.Out.WriteLine("utc,prompt,model,device,energy_wh,energy_measured,energy_method,estimated_wh,co2e_g,intensity_g_per_kwh,intensity_kind,reused,output");
                foreach (var r in runs)
                    Console.Out.WriteLine(string.Join(",", new object[] { r.Utc.ToString("O", CultureInfo.InvariantCulture), r.Prompt, r.ModelId, r.Device, r.EnergyWh, !r.EnergyIsEstimate, r.EnergyMethod,
                        r.EstimatedWh, r.Co2eGrams, r.IntensityGramsPerKWh, r.IntensityKind, r.Reused, r.OutputPath }.Select(Csv)));
                break;
            default:
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
                console.Profile.Width = ConsoleWidth.For(console.Profile.Width, Console.IsOutputRedirected);
                if (runs.Count == 0) console.MarkupLine($"No runs{(from != null ? $" since {since}" : "")} in {Markup.Escape(path)}.");
                if (runs.Count == 0) { console.MarkupLine(Markup.Escape(SavedLine(savedThisMonth))); break; }
                var table = new Table().AddColumns("when (UTC)", "prompt", "model", "energy", "estimated", "CO2e", "grid");
                foreach (var r in runs)
                    table.AddRow(Markup.Escape(r.Utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), Markup.Escape(Short(r.Prompt)), Markup.Escape(r.ModelId),
                        r.Reused ? "reused" : Markup.Escape($"{Units.Wh(r.EnergyWh)} {(r.EnergyIsEstimate ? "est." : "measured")}"), r.Reused ? "" : Markup.Escape(Units.Wh(r.EstimatedWh)),
                        r.Reused ? "0" : Markup.Escape(Units.Grams(r.Co2eGrams)), Markup.Escape($"{r.IntensityGramsPerKWh:0} g/kWh {r.IntensityKind}"));
                console.Write(table);
                console.MarkupLine(Markup.Escape($"{totals.Runs} runs ({totals.Generated} generated, {totals.Reused} reused): {Units.Wh(totals.EnergyWh)} ({Units.Wh(totals.MeasuredWh)} measured), " +
                                                 $"{Units.Grams(totals.Co2eGrams)} CO2e; estimated beforehand {Units.Wh(totals.EstimatedWh)}; reuse avoided {Units.Wh(totals.ReuseSavedWh)}."));
                console.MarkupLine(Markup.Escape(SavedLine(savedThisMonth)));
                break;
        }
        return CommandLine.ExitOk;
    }

    /// <summary>"Saved this month: 1.2 Wh, 0.45 g CO2e (3 fixes, 2 reuses)": the line the status bar and report show too.</summary>
    public static string SavedLine(SavingsSummary s) =>
        $"Saved this month: {Units.Wh(s.EnergyWh)}, {Units.Grams(s.Co2eGrams)} CO2e ({Units.Count(s.Fixes, "fix")}, {Units.Count(s.Reuses, "reuse")}).";

    private static object Saved(SavingsSummary s) => new { energyWh = s.EnergyWh, co2eGrams = s.Co2eGrams, fixes = s.Fixes, fixWh = s.FixWh, fixGrams = s.FixGrams, reuses = s.Reuses, reuseWh = s.ReuseWh, reuseGrams = s.ReuseGrams };

    private static object Row(RunRecord r) => new
    {
        utc = r.Utc, id = r.Id, prompt = r.Prompt, model = r.ModelId, device = r.Device, energyWh = r.EnergyWh, measured = !r.EnergyIsEstimate, energyMethod = r.EnergyMethod,
        estimatedWh = r.EstimatedWh, co2eGrams = r.Co2eGrams, intensityGramsPerKWh = r.IntensityGramsPerKWh, intensityKind = r.IntensityKind, intensitySource = r.IntensitySource,
        reused = r.Reused, output = r.OutputPath,
    };

    private static string Short(string s) => s.Length <= 40 ? s : s[..39] + "…";

    private static string Csv(object v)
    {
        var s = Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
        return s.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }
}
