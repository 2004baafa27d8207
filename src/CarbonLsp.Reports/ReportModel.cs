using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;
using Newtonsoft.Json;

namespace CarbonLsp.Reports;

// The stable JSON shape of `carbonlsp estimate --format json` (documented in README.md). Ranges are
// LSP-style: 0-based line and UTF-16 character.

public sealed record ReportRoot([property: JsonProperty("files")] IReadOnlyList<FileReport> Files)
{
    /// <summary>The sum over every file (estimate and check take folders).</summary>
    [JsonProperty("total")] public GrandTotalReport Total { get; init; } = new(0, 0, 0, new RangeValue(0, 0, 0), new RangeValue(0, 0, 0));
}

public sealed record GrandTotalReport(
    [property: JsonProperty("files")] int Files,
    [property: JsonProperty("prompts")] int Prompts,
    [property: JsonProperty("images")] int Images,
    [property: JsonProperty("energyWh")] RangeValue EnergyWh,
    [property: JsonProperty("co2eGrams")] RangeValue Co2eGrams);

/// <summary>Totals over several files: the sums of each file's low, mid and high (ranges add up as the files' do).</summary>
public sealed record GrandTotal(int Files, int Prompts, int Images, Core.Estimation.EnergyRange EnergyWh, Core.Estimation.EnergyRange Co2eGrams)
{
    public static GrandTotal Of(IReadOnlyList<DocumentAnalysis> files) => new(files.Count, files.Sum(f => f.Totals.Prompts), files.Sum(f => f.Totals.Images),
        files.Aggregate(Core.Estimation.EnergyRange.Zero, (s, f) => s + f.Totals.EnergyWh), files.Aggregate(Core.Estimation.EnergyRange.Zero, (s, f) => s + f.Totals.Co2eGrams));
}

public sealed record FileReport(
    [property: JsonProperty("path")] string Path,
    [property: JsonProperty("device")] string Device,
    [property: JsonProperty("deviceKnown")] bool DeviceKnown,
    [property: JsonProperty("deviceChoice")] string DeviceChoice,
    [property: JsonProperty("region")] string Region,
    [property: JsonProperty("pue")] double Pue,
    [property: JsonProperty("errors")] IReadOnlyList<FindingReport> Errors,
    [property: JsonProperty("findings")] IReadOnlyList<FindingReport> Findings,
    [property: JsonProperty("prompts")] IReadOnlyList<PromptReport> Prompts,
    [property: JsonProperty("totals")] TotalsReport Totals)
{
    /// <summary>The grid figure the estimates used and what it is (issue 21).</summary>
    [JsonProperty("grid")] public GridReport Grid { get; init; } = new("", 0, "annual-average", "");
    /// <summary>What the preferred fixes (the editor's fix-all, `check --fix`) would save, per fix (issue 22).</summary>
    [JsonProperty("preferredFixes")] public PreferredFixesReport PreferredFixes { get; init; } = new(0, 0, Array.Empty<PreferredFixReport>());
}

public sealed record GridReport(
    [property: JsonProperty("zone")] string Zone,
    [property: JsonProperty("gramsPerKWh")] double GramsPerKWh,
    [property: JsonProperty("kind")] string Kind,
    [property: JsonProperty("source")] string Source);

public sealed record PreferredFixesReport(
    [property: JsonProperty("savingWh")] double SavingWh,
    [property: JsonProperty("savingGrams")] double SavingGrams,
    [property: JsonProperty("fixes")] IReadOnlyList<PreferredFixReport> Fixes);

public sealed record PreferredFixReport(
    [property: JsonProperty("code")] string Code,
    [property: JsonProperty("prompt")] string? Prompt,
    [property: JsonProperty("title")] string Title,
    [property: JsonProperty("savingWh")] double SavingWh,
    [property: JsonProperty("savingGrams")] double SavingGrams);

public sealed record PromptReport(
    [property: JsonProperty("id")] string Id,
    [property: JsonProperty("index")] int Index,
    [property: JsonProperty("range")] RangeReport Range,
    [property: JsonProperty("model")] string Model,
    [property: JsonProperty("modelKnown")] bool ModelKnown,
    [property: JsonProperty("estimatedAs")] string? EstimatedAs,
    [property: JsonProperty("estimated")] bool Estimated,
    [property: JsonProperty("settings")] SettingsReport Settings,
    [property: JsonProperty("energyWh")] RangeValue EnergyWh,
    [property: JsonProperty("acceleratorWh")] RangeValue AcceleratorWh,
    [property: JsonProperty("hostWh")] RangeValue HostWh,
    [property: JsonProperty("co2eGrams")] RangeValue Co2eGrams,
    [property: JsonProperty("intensity")] double Intensity,
    [property: JsonProperty("rating")] string Rating,
    [property: JsonProperty("basis")] string Basis,
    [property: JsonProperty("basisDetail")] string BasisDetail,
    [property: JsonProperty("secondsPerImage")] double SecondsPerImage,
    [property: JsonProperty("findings")] IReadOnlyList<FindingReport> Findings);

public sealed record SettingsReport(
    [property: JsonProperty("steps")] int Steps,
    [property: JsonProperty("width")] int Width,
    [property: JsonProperty("height")] int Height,
    [property: JsonProperty("guidance")] double Guidance,
    [property: JsonProperty("scheduler")] string Scheduler,
    [property: JsonProperty("seed")] long? Seed,
    [property: JsonProperty("images")] int Images,
    [property: JsonProperty("batch")] int Batch,
    [property: JsonProperty("precision")] string Precision);

public sealed record RangeValue([property: JsonProperty("low")] double Low, [property: JsonProperty("mid")] double Mid, [property: JsonProperty("high")] double High)
{
    public static RangeValue From(EnergyRange r) => new(Round(r.Low), Round(r.Mid), Round(r.High));
    private static double Round(double v) => Math.Round(v, 6);
}

public sealed record TotalsReport(
    [property: JsonProperty("energyWh")] RangeValue EnergyWh,
    [property: JsonProperty("co2eGrams")] RangeValue Co2eGrams,
    [property: JsonProperty("prompts")] int Prompts,
    [property: JsonProperty("images")] int Images,
    [property: JsonProperty("budgetGrams")] double? BudgetGrams,
    [property: JsonProperty("budgetExceeded")] bool BudgetExceeded);

public sealed record PositionReport([property: JsonProperty("line")] int Line, [property: JsonProperty("character")] int Character);
public sealed record RangeReport([property: JsonProperty("start")] PositionReport Start, [property: JsonProperty("end")] PositionReport End)
{
    public static RangeReport From(TextRange r) => new(new(r.Start.Line, r.Start.Character), new(r.End.Line, r.End.Character));
}

public sealed record EditReport([property: JsonProperty("range")] RangeReport Range, [property: JsonProperty("newText")] string NewText);
public sealed record FixReport([property: JsonProperty("title")] string Title, [property: JsonProperty("isPreferred")] bool IsPreferred, [property: JsonProperty("edits")] IReadOnlyList<EditReport> Edits);

public sealed record FindingReport(
    [property: JsonProperty("code")] string Code,
    [property: JsonProperty("severity")] string Severity,
    [property: JsonProperty("message")] string Message,
    [property: JsonProperty("range")] RangeReport Range,
    [property: JsonProperty("fixes")] IReadOnlyList<FixReport> Fixes);

public static class ReportBuilder
{

    /// <param name="reanalyse">Analyses a text as this file's (for fix-all's later passes); without it, the first pass only.</param>
    public static FileReport Build(string path, DocumentAnalysis a, Func<string, DocumentAnalysis>? reanalyse = null)
    {
        var doc = a.Document;
        FindingReport F(Finding f) => new(f.Code, f.Severity.ToString().ToLowerInvariant(), f.Message, RangeReport.From(doc.GetRange(f.Span)),
            f.Fixes.Select(x => new FixReport(x.Title, x.IsPreferred, x.Edits.Select(e => new EditReport(RangeReport.From(doc.GetRange(e.Span)), e.NewText)).ToList())).ToList());

        // Every finding about a prompt, from prompt rules and from file rules (CL108 duplicates, CL009 ids),
        // in text order: a prompt's own list holds only what its prompt rules found.
        var aboutPrompt = a.Findings.Where(f => f.PromptIndex != null).ToLookup(f => f.PromptIndex!.Value);
        var prompts = a.Prompts.Select(p => new PromptReport(
            p.Entry.Id ?? $"#{p.Entry.Index + 1}", p.Entry.Index, RangeReport.From(doc.GetRange(p.Entry.Span)),
            p.Settings.ModelName.Value, p.ModelKnown, p.ModelKnown || !p.Estimated ? null : p.EstimateModel.Id, p.Estimated,
            new SettingsReport(p.Settings.Steps.Value, p.Settings.Width.Value, p.Settings.Height.Value, p.Settings.Guidance.Value,
                p.Settings.Scheduler.Value, p.Settings.Seed.Value, p.Settings.Images.Value, p.Settings.Batch.Value, p.Settings.Precision.Value.Name()),
            RangeValue.From(p.Footprint.EnergyWh), RangeValue.From(p.Footprint.AcceleratorWh), RangeValue.From(p.Footprint.HostWh),
            RangeValue.From(p.Footprint.Co2eGrams), p.Footprint.IntensityGramsPerKWh, p.Footprint.Rating.ToString(), p.Footprint.Basis.Name(), p.Footprint.BasisDetail, Math.Round(p.Footprint.SecondsPerImage, 3),
            aboutPrompt[p.Entry.Index].Select(F).ToList())).ToList();

        var errors = a.Findings.Where(f => FindingCodes.Errors.Contains(f.Code)).Select(F).ToList();
        var fileFindings = a.Findings.Where(f => f.PromptIndex == null && !FindingCodes.Errors.Contains(f.Code)).Select(F).ToList();
        var t = a.Totals;
        return new FileReport(path, a.Device.Id, a.DeviceChoice.Known, a.DeviceChoice.Explanation, a.Region.Code, a.Pue, errors, fileFindings, prompts,
            new TotalsReport(RangeValue.From(t.EnergyWh), RangeValue.From(t.Co2eGrams), t.Prompts, t.Images, t.BudgetGrams, a.BudgetExceeded))
        {
            Grid = new GridReport(a.GridZone.Length > 0 ? a.GridZone : a.Region.Code, a.Intensity.GramsPerKWh, Core.Grid.IntensityKinds.Name(a.Intensity.Kind), a.Intensity.Source),
            PreferredFixes = PreferredFixes(a, reanalyse),
        };
    }

    /// <summary>Fix-all's items with their savings: energy as the rule estimated it, CO2e at the prompt's grid figure and PUE.</summary>
    public static PreferredFixesReport PreferredFixes(DocumentAnalysis a, Func<string, DocumentAnalysis>? reanalyse = null)
    {
        var passes = Core.Features.CodeActions.FixAllPasses(a, reanalyse ?? (_ => a), reanalyse == null ? 1 : 8);
        var items = passes.SelectMany(pass => pass.Items.Select(x => Saving(pass.Analysis, x))).ToList();
        return new PreferredFixesReport(Math.Round(items.Sum(x => x.SavingWh), 6), Math.Round(items.Sum(x => x.SavingGrams), 6), items);
    }

    /// <summary>One fix's saving: energy as its rule estimated it, CO2e at its prompt's grid figure and the file's PUE.</summary>
    public static PreferredFixReport Saving(DocumentAnalysis a, Core.Features.FixAllItem x)
    {
        var prompt = x.Finding.PromptIndex is { } i ? a.Prompts.FirstOrDefault(p => p.Entry.Index == i) : null;
        var wh = Math.Max(0, x.Finding.SavingWh ?? 0);
        var grams = Co2e.Grams(wh, a.Pue, prompt?.Footprint.IntensityGramsPerKWh ?? a.Intensity.GramsPerKWh);
        return new PreferredFixReport(x.Finding.Code, prompt == null ? null : prompt.Entry.Id ?? $"#{prompt.Entry.Index + 1}", x.Fix.Title, Math.Round(wh, 6), Math.Round(grams, 6));
    }
}
