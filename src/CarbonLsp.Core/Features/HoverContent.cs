using System.Globalization;
using System.Text;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Features;

/// <summary>The markdown of hovers: the whole footprint of a prompt, or a focused answer on one field.</summary>
internal static class HoverContent
{
    private static string N(double v) => Units.Number(v);

    public static string ForPrompt(DocumentAnalysis a, PromptAnalysis p, ModelCatalog catalog)
    {
        var f = p.Footprint;
        var s = p.Settings;
        if (p.Hosted is { } hosted)
            return $"**{p.Entry.DisplayName}** · {hosted.Name}\n\n{hosted.Name} runs on {hosted.Provider}'s servers, not on {a.Device.Name}: CarbonLsp makes no local estimate for it, " +
                   $"and this prompt is not in the file's total. {hosted.Published ?? "No per-image energy has been published for it."}";
        var sb = new StringBuilder();
        var modelName = p.StandIn switch
        {
            StandInKind.Family => $"{s.ModelName.Value} (not in the catalog: priced as {p.EstimateModel.Name}, the family its name says)",
            StandInKind.Unknown => $"{s.ModelName.Value} (unknown: priced as {p.EstimateModel.Name}, a guess with a ×{N(1 + catalog.Estimator.Uncertainty.UnknownModel)} range)",
            _ => p.EstimateModel.Name,
        };
        sb.AppendLine($"**{p.Entry.DisplayName}** · {modelName} · {s.Steps.Value} steps · {s.Width.Value}×{s.Height.Value}{(f.Images > 1 ? $" · {f.Images} images" : "")} · rating **{f.Rating}**");
        sb.AppendLine();
        sb.AppendLine($"| {(f.Images > 1 ? $"all {f.Images} images" : "this image")} | estimate | range |");
        sb.AppendLine("|---|---|---|");
        sb.AppendLine($"| Energy | **{Units.Wh(f.EnergyWh.Mid)}** | {Units.Wh(f.EnergyWh.Low)} – {Units.Wh(f.EnergyWh.High)} |");
        sb.AppendLine($"| CO2e | **{Units.Grams(f.Co2eGrams.Mid)}** | {Units.Grams(f.Co2eGrams.Low)} – {Units.Grams(f.Co2eGrams.High)} |");
        sb.AppendLine();
        var ph = f.Phases;
        sb.AppendLine($"Per image: text encoding {Units.Wh(ph.TextEncodingWh)} · denoising {Units.Wh(ph.DenoisingWh)} ({s.Steps.Value} steps{(f.UsesCfg ? ", ×2 for guidance" : "")}) · decoding {Units.Wh(ph.DecodingWh)}. " +
                      $"Accelerator {Units.Wh(f.AcceleratorWh.Mid)}, host (CPU, RAM, power supply) {Units.Wh(f.HostWh.Mid)}; ≈ {N(f.SecondsPerImage)} s per image on {a.Device.Name}.");
        sb.AppendLine();
        sb.AppendLine($"≈ {N(f.Equivalents.MilesDriven)} miles driven · {N(f.Equivalents.SmartphoneCharges)} phone charges · {N(f.Equivalents.LedBulbMinutes)} min of a {N(catalog.Equivalents.WhPerLedBulbHour)} W LED");
        sb.AppendLine();
        if (a.LightestAlternativeOf(p) is { } alt)
            sb.AppendLine($"Lighter: **{alt.Model.Name}** at {Units.Count(alt.Steps, "step")}, {alt.Width}×{alt.Height}: {Units.Wh(alt.Footprint.EnergyWh.Mid)}, saves {(alt.SavingFraction * 100).ToString("0", CultureInfo.InvariantCulture)}%.");
        if (p.ModelKnown && p.EstimateModel.TrainingEmissions is { } te)
            sb.AppendLine($"Training this model emitted ≈ {N(te.KgCo2e / 1000)} t CO2e ({te.Note}).");
        sb.AppendLine();
        sb.AppendLine($"Device: {a.Device.Name}, {a.DeviceChoice.Explanation}. Rating {f.Rating} rates the accelerator's energy per image ({Units.Wh(f.AcceleratorWh.Mid / Math.Max(1, f.Images))}; GPU-only, the scope of AI Energy Score and ML.ENERGY): {RatingBands(catalog)}.");
        sb.AppendLine();
        sb.AppendLine($"*{f.Basis.Name()}*: {f.BasisDetail}. Grid: {Grid(a)}; PUE {N(a.Pue)}.");
        if (a.GreenerWindow(p) is { } w)
            sb.AppendLine().AppendLine($"Greener at **{w.Start.UtcDateTime:HH:mm} UTC**: {N(w.GramsPerKWh)} g CO2e/kWh against {N(w.NowGramsPerKWh)} now, **−{(w.Saving * 100).ToString("0", CultureInfo.InvariantCulture)} % CO2e** ({a.GridSignal!.Source} forecast{(a.GridSignal.Marginal ? ", marginal" : "")}, as of {a.GridSignal.FetchedAt.UtcDateTime:HH:mm} UTC).");
        sb.AppendLine();
        sb.Append("Sources: ").AppendLine(string.Join("; ", f.Sources.Distinct().Select(k => catalog.References.TryGetValue(k, out var r) ? Short(r) : k)));
        return sb.ToString();
    }

    private static string RatingBands(ModelCatalog catalog)
    {
        var t = catalog.Rating.ThresholdsWh;
        return string.Join(", ", t.Select((x, i) => $"{(char)('A' + i)} ≤ {N(x)} Wh")) + $", {(char)('A' + t.Count)} above";
    }

    private static string Short(string reference) => reference.Length <= 90 ? reference : reference[..90].TrimEnd() + "…";

    /// <summary>A focused answer for one field of a prompt, or null to fall back to the whole prompt.</summary>
    public static string? ForField(string field, DocumentAnalysis a, PromptAnalysis p, ModelCatalog catalog)
    {
        var f = p.Footprint;
        var s = p.Settings;
        var m = p.EstimateModel;
        switch (field)
        {
            case FieldNames.Steps:
                var share = f.EnergyWh.Mid > 0 ? f.Phases.DenoisingWh * f.Images / f.AcceleratorWh.Mid : 0;
                return $"**{s.Steps.Value} steps** — each extra step costs ≈ **{Units.Wh(f.WhPerExtraStep)}** ({Units.Grams(Co2e.Grams(f.WhPerExtraStep, f.Pue, f.IntensityGramsPerKWh))} CO2e){(f.UsesCfg ? ", two denoiser passes with guidance" : "")}. " +
                       $"Denoising is {(share * 100).ToString("0", CultureInfo.InvariantCulture)}% of the accelerator energy.\n\n{m.Name} recommends {m.RecommendedSteps} steps; more than {Math.Floor(m.MaxUsefulSteps * (a.Options ?? AnalysisOptions.Default).Rules.StepsTolerance).ToString(CultureInfo.InvariantCulture)} adds cost, not quality (CL101's limit).";
            case FieldNames.Model:
                return ModelCard(m, p.ModelKnown, catalog, a.Device, f);
            case FieldNames.Width or FieldNames.Height:
                var ratio = (double)s.Width.Value * s.Height.Value / m.NativePixels;
                return $"**{s.Width.Value}×{s.Height.Value}** is {N(ratio)}× the pixels of {m.Name}'s native {m.NativeWidth}×{m.NativeHeight}. " +
                       "Energy per step grows with the pixel count (faster for transformers); above native size models also compose worse — generate at native size and upscale.";
            case FieldNames.Guidance:
                return m.GuidanceEmbedded
                    ? $"**Guidance {N(s.Guidance.Value)}** — {m.Name} takes guidance as an input: one denoiser pass per step whatever the scale."
                    : $"**Guidance {N(s.Guidance.Value)}** — {(f.UsesCfg ? "above 1, classifier-free guidance runs the denoiser twice per step (conditional and unconditional)" : "at 1 or below, one denoiser pass per step")}." +
                      (m.GuidanceDistilled ? $" {m.Name} is guidance-distilled: use 0." : $" {m.Name} defaults to {N(m.DefaultGuidance)}.");
            case FieldNames.Images:
                return $"**{Units.Count(f.Images, "image")}** × {Units.Wh(f.WhPerImage)} = {Units.Wh(f.EnergyWh.Mid)} ({Units.Grams(f.Co2eGrams.Mid)} CO2e).";
            case FieldNames.Precision:
                return $"**{s.Precision.Value.Name()}** — on {a.Device.Name}, fp32 runs up to {N(a.Device.Fp32Slowdown)}× longer than fp16/bf16 (less on small models that leave the device idle between calls).";
            default:
                return null;
        }
    }

    public static string ModelCard(ModelSpec m, bool known, ModelCatalog catalog, DeviceSpec device, Footprint? f)
    {
        if (!known) return $"**Not in the catalog** — and not a local diffusers ONNX folder. The estimate uses {m.Name} as a stand-in, labelled first-principles, with a wide range.";
        var sb = new StringBuilder();
        sb.AppendLine($"**{m.Name}** (`{m.Id}`{(m.Aliases.Count > 0 ? ", " + string.Join(", ", m.Aliases.Where(x => x != m.Id).Take(3).Select(x => $"`{x}`")) : "")})");
        sb.AppendLine();
        sb.AppendLine($"- {N(m.ParamsB)} B parameters ({N(m.DenoiserParamsB)} B denoiser, {m.Architecture.Name()}); native {m.NativeWidth}×{m.NativeHeight}");
        sb.AppendLine($"- {m.RecommendedSteps} steps recommended (useful up to {m.MaxUsefulSteps}); guidance {N(m.DefaultGuidance)}{(m.GuidanceDistilled ? ", guidance-distilled" : "")}");
        sb.AppendLine($"- ≈ {N(m.TflopsPerPass)} TFLOPs per denoiser pass at native size; reads prompts through {(m.UsesClipWindowOnly ? $"CLIP only ({Core.Tokenization.ClipTokenizer.DefaultMaxLength} tokens)" : "a T5 encoder (long prompts)")}");
        if (m.TrainingEmissions is { } te) sb.AppendLine($"- Training: ≈ {N(te.KgCo2e / 1000)} t CO2e ({te.Note})");
        foreach (var meas in m.Measurements.Where(x => !x.Outlier && x.Wh > 0).Take(8))
            sb.AppendLine($"- {(meas.Scope == "cpu-time-estimate" ? "Estimated from measured CPU time" : "Published")}: {Units.Wh(meas.Wh)} per image on {meas.Device} ({meas.Steps} steps, {meas.Width}², {meas.Precision.Name()}, batch {meas.Batch}) — {meas.Source}{(meas.AssumedSettings ? ", settings assumed" : "")}");
        if (f != null) sb.AppendLine($"- Here, on {device.Name}: {Units.Wh(f.WhPerImage)} per image ({f.Basis.Name()})");
        return sb.ToString();
    }

    /// <summary>The grid figure the estimates used, said as what it is: "Germany now 412 g CO2e/kWh (Electricity Maps,
    /// live, 14:05 UTC)" or "Germany, 381 g CO2e/kWh (2023 annual average)".</summary>
    private static string Grid(DocumentAnalysis a) => a.Intensity.Kind == CarbonLsp.Core.Grid.IntensityKind.AnnualAverage || a.Intensity.GramsPerKWh <= 0
        ? $"{a.Region.Name}, {N(a.Region.GramsPerKWh)} g CO2e/kWh ({a.Region.Year} annual average)"
        : $"{a.Region.Name}{(a.GridZone.Length > 0 && a.GridZone != a.Region.Code ? $" ({a.GridZone})" : "")} now {N(a.Intensity.GramsPerKWh)} g CO2e/kWh ({a.Intensity.Source}{(a.Intensity.At is { } at ? $", {at.UtcDateTime:HH:mm} UTC" : "")})";

    public static string ForTopLevel(string field, DocumentAnalysis a, ModelCatalog catalog) => field switch
    {
        FieldNames.Region => $"**{a.Region.Name}** — {N(a.Region.GramsPerKWh)} g CO2e per kWh ({a.Region.Year}, lifecycle). Source: {a.Region.Source}. World average: {N(catalog.World.GramsPerKWh)}." +
                             (a.Intensity.Kind != CarbonLsp.Core.Grid.IntensityKind.AnnualAverage ? $" The estimates use the figure now: {Grid(a)}." : ""),
        FieldNames.Device => $"**{a.Device.Name}** ({a.DeviceChoice.Explanation}) — {N(a.Device.PeakTflops)} TFLOPS dense fp16, {N(a.Device.TdpW)} W, host ≈ {N(a.Device.HostW)} W while it works. Sources: {string.Join("; ", a.Device.Sources.Values.Distinct())}.",
        FieldNames.Pue => $"**PUE {N(a.Pue)}** — facility overhead (cooling, power delivery) multiplies the energy. 1.0 for your own computer; data centres report 1.1–1.6 (Green Algorithms' default for an unknown one: 1.56).",
        FieldNames.Budget => $"**Budget** — this file costs ≈ {Units.Grams(a.Totals.Co2eGrams.Mid)} CO2e ({Units.Grams(a.Totals.Co2eGrams.Low)}–{Units.Grams(a.Totals.Co2eGrams.High)}) for {a.Totals.Images} images" +
                              (a.Totals.BudgetGrams is { } b ? $", {(a.BudgetExceeded ? "over" : "within")} its budget of {Units.Grams(b)}." : "."),
        _ => $"**This file**: {a.Totals.Prompts} prompts, {a.Totals.Images} images, ≈ {Units.Wh(a.Totals.EnergyWh.Mid)} and {Units.Grams(a.Totals.Co2eGrams.Mid)} CO2e on {a.Device.Name} ({a.Region.Name}).",
    };
}
