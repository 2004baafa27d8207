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
        // Findings per prompt, counted once (not a scan of every finding for each prompt).
        var counts = a.Findings.Where(f => f.PromptIndex != null).CountBy(f => f.PromptIndex!.Value).ToDictionary();
        if (console.Profile.Width < WideWidth) Compact(console, a, counts);
        else Wide(console, a, counts);
        var t = a.Totals;
        var budget = t.BudgetGrams is { } b ? $" · budget {Units.Grams(b)}{(a.BudgetExceeded ? " [red]exceeded[/]" : " [green]ok[/]")}" : "";
        console.MarkupLine($"[bold]Total[/] {t.Prompts} prompts, {t.Images} images: {Markup.Escape(Units.RangeWh(t.EnergyWh))}, {Markup.Escape(Units.RangeGrams(t.Co2eGrams))} CO2e{budget}");
        var eq = estimator.ToEquivalents(t.EnergyWh.Mid, t.Co2eGrams.Mid);
        console.MarkupLine($"[grey]≈ {Units.Number(eq.MilesDriven)} miles driven (EPA 393 g/mile) · {Units.Number(eq.SmartphoneCharges)} phone charges (EPA 0.022 kWh)[/]");
        foreach (var finding in a.Findings)
        {
            var pos = doc.GetRange(finding.Span).Start;
            var colour = finding.Severity switch { Severity.Error => "red", Severity.Warning => "yellow", _ => "blue" };
            // Padded blocks: a long message wraps at words under its own indent, not at column 0.
            console.Write(new Padder(new Markup($"[{colour}]{finding.Severity.ToString().ToLowerInvariant()}[/] {finding.Code} {pos.Line + 1}:{pos.Character + 1} {Markup.Escape(finding.Message)}"), new Padding(2, 0, 0, 0)));
            var fix = finding.Fixes.FirstOrDefault(x => x.IsPreferred) ?? finding.Fixes.FirstOrDefault();
            if (fix != null) console.Write(new Padder(new Markup($"[green]fix:[/] {Markup.Escape(fix.Title)}"), new Padding(6, 0, 0, 0)));
        }
        console.WriteLine();
    }

    /// <summary>The table needs about this many columns; narrower terminals get one block per prompt.</summary>
    public const int WideWidth = 120;

    private static void Wide(IAnsiConsole console, DocumentAnalysis a, Dictionary<int, int> counts)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Prompt").AddColumn("Model").AddColumn(new TableColumn("Steps").RightAligned()).AddColumn("Size")
            .AddColumn(new TableColumn("Images").RightAligned()).AddColumn(new TableColumn("Energy Wh (range)").RightAligned())
            .AddColumn(new TableColumn("CO2e g (range)").RightAligned()).AddColumn(new TableColumn("Rating").Centered()).AddColumn(new TableColumn("Findings").RightAligned());
        foreach (var p in a.Prompts)
        {
            var f = p.Footprint;
            table.AddRow(
                Markup.Escape(p.Entry.DisplayName),
                Markup.Escape(ModelText(p)),
                p.Settings.Steps.Value.ToString(),
                $"{p.Settings.Width.Value}×{p.Settings.Height.Value}",
                f.Images.ToString(),
                $"{Units.Number(f.EnergyWh.Mid)} ({Units.Number(f.EnergyWh.Low)}–{Units.Number(f.EnergyWh.High)})",
                $"{Units.Number(f.Co2eGrams.Mid)} ({Units.Number(f.Co2eGrams.Low)}–{Units.Number(f.Co2eGrams.High)})",
                RatingMarkup(f.Rating),
                FindingsMarkup(counts, p));
        }
        console.Write(table);
    }

    /// <summary>For narrow terminals (80 columns): two short lines per prompt, nothing split mid-value.</summary>
    private static void Compact(IAnsiConsole console, DocumentAnalysis a, Dictionary<int, int> counts)
    {
        foreach (var p in a.Prompts)
        {
            var f = p.Footprint;
            var s = p.Settings;
            console.MarkupLine($"[bold]{Markup.Escape(p.Entry.DisplayName)}[/] {RatingMarkup(f.Rating)}  {Markup.Escape($"{ModelText(p)} · {Units.Count(s.Steps.Value, "step")} · {s.Width.Value}×{s.Height.Value} · {Units.Count(f.Images, "image")}")}");
            console.Write(new Padder(new Markup($"{Markup.Escape(Units.RangeWh(f.EnergyWh))} · {Markup.Escape(Units.RangeGrams(f.Co2eGrams))} CO2e · {FindingsMarkup(counts, p, compact: true)}"), new Padding(2, 0, 0, 0)));
        }
    }

    private static string ModelText(PromptAnalysis p) =>
        p.ModelKnown ? p.EstimateModel.Id : !p.Estimated ? p.Settings.ModelName.Value + " (hosted)" : $"{p.Settings.ModelName.Value} (as {p.EstimateModel.Id}?)";

    /// <summary>Every finding about the prompt, from its own rules and the file's (duplicates, ids).</summary>
    private static string FindingsMarkup(Dictionary<int, int> counts, PromptAnalysis p, bool compact = false)
    {
        var n = counts.GetValueOrDefault(p.Entry.Index);
        var text = compact ? Units.Count(n, "finding") : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return n == 0 ? $"[green]{text}[/]" : $"[yellow]{text}[/]";
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

