using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Rules;
using Spectre.Console;

namespace CarbonLsp.Reports;

/// <summary>The human-readable report: one table per file, totals, then the findings.</summary>
public static class TableReport
{
    public static void Render(IAnsiConsole console, string path, DocumentAnalysis a, FootprintEstimator estimator)
    {
        var doc = a.Document;
        console.Write(new Rule($"[bold]{Markup.Escape(path)}[/]").LeftJustified());
        console.MarkupLine($"[grey]device {Markup.Escape(a.Device.Name)} ({Markup.Escape(a.DeviceChoice.Explanation)}) · grid {Markup.Escape(a.Region.Name)} {a.Region.GramsPerKWh} g CO2e/kWh ({a.Region.Year}) · PUE {a.Pue}[/]");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Prompt").AddColumn("Model").AddColumn(new TableColumn("Steps").RightAligned()).AddColumn("Size")
            .AddColumn(new TableColumn("Images").RightAligned()).AddColumn(new TableColumn("Energy Wh (range)").RightAligned())
            .AddColumn(new TableColumn("CO2e g (range)").RightAligned()).AddColumn(new TableColumn("Rating").Centered()).AddColumn(new TableColumn("Findings").RightAligned());
        foreach (var p in a.Prompts)
        {
            var f = p.Footprint;
            table.AddRow(
                Markup.Escape(p.Entry.DisplayName),
                Markup.Escape(p.ModelKnown ? p.EstimateModel.Id : !p.Estimated ? p.Settings.ModelName.Value + " (hosted)" : $"{p.Settings.ModelName.Value} (as {p.EstimateModel.Id}?)"),
                p.Settings.Steps.Value.ToString(),
                $"{p.Settings.Width.Value}×{p.Settings.Height.Value}",
                f.Images.ToString(),
                $"{Units.Number(f.EnergyWh.Mid)} ({Units.Number(f.EnergyWh.Low)}–{Units.Number(f.EnergyWh.High)})",
                $"{Units.Number(f.Co2eGrams.Mid)} ({Units.Number(f.Co2eGrams.Low)}–{Units.Number(f.Co2eGrams.High)})",
                RatingMarkup(f.Rating),
                p.Findings.Count == 0 ? "[green]0[/]" : $"[yellow]{p.Findings.Count}[/]");
        }
        console.Write(table);
        var t = a.Totals;
        var budget = t.BudgetGrams is { } b ? $" · budget {Units.Grams(b)}{(a.BudgetExceeded ? " [red]exceeded[/]" : " [green]ok[/]")}" : "";
        console.MarkupLine($"[bold]Total[/] {t.Prompts} prompts, {t.Images} images: {Markup.Escape(Units.RangeWh(t.EnergyWh))}, {Markup.Escape(Units.RangeGrams(t.Co2eGrams))} CO2e{budget}");
        var eq = estimator.ToEquivalents(t.EnergyWh.Mid, t.Co2eGrams.Mid);
        console.MarkupLine($"[grey]≈ {Units.Number(eq.MilesDriven)} miles driven (EPA 393 g/mile) · {Units.Number(eq.SmartphoneCharges)} phone charges (EPA 0.022 kWh)[/]");
        foreach (var finding in a.Findings)
        {
            var pos = doc.GetRange(finding.Span).Start;
            var colour = finding.Severity switch { Severity.Error => "red", Severity.Warning => "yellow", _ => "blue" };
            console.MarkupLine($"  [{colour}]{finding.Severity.ToString().ToLowerInvariant()}[/] {finding.Code} {pos.Line + 1}:{pos.Character + 1} {Markup.Escape(finding.Message)}");
            var fix = finding.Fixes.FirstOrDefault(x => x.IsPreferred) ?? finding.Fixes.FirstOrDefault();
            if (fix != null) console.MarkupLine($"      [green]fix:[/] {Markup.Escape(fix.Title)}");
        }
        console.WriteLine();
    }

    private static string RatingMarkup(char rating) => rating switch
    {
        'A' => "[green bold]A[/]",
        'B' => "[green]B[/]",
        'C' => "[yellow]C[/]",
        'D' => "[darkorange]D[/]",
        _ => "[red bold]" + rating + "[/]",
    };
}

