using System.CommandLine;
using System.Globalization;
using System.Text;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Cli;

/// <summary>`carbonlsp validate`: the estimator judged by points it was not fitted to. Prints, as
/// Markdown, the fitted device model and the cross-validation tables that docs/footprint.md quotes.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var command = new Command("validate", "Cross-validate the estimator against the catalog's published measurements (Markdown).");
        var modes = new Option<string[]>("--mode") { Description = "point, device, model (default: all).", AllowMultipleArgumentsPerToken = true };
        var writeFit = new Option<bool>("--write-fit") { Description = "Print the fitted parameters as the catalog stores them (estimator.fitted), and nothing else." };
        command.Options.Add(modes);
        command.Options.Add(writeFit);
        command.SetAction(r =>
        {
            if (r.GetValue(writeFit))
            {
                var catalog = ModelCatalog.Default;
                var fit = EstimatorFit.Fit(catalog, EstimatorFit.Points(catalog));
                Console.Out.WriteLine(Newtonsoft.Json.JsonConvert.SerializeObject(StoredFit.From(fit), Newtonsoft.Json.Formatting.Indented));
                return CommandLine.ExitOk;
            }
            var chosen = (r.GetValue(modes) is { Length: > 0 } m ? m : new[] { "point", "device", "model" })
                .Select(x => Enum.Parse<HoldOut>(x, ignoreCase: true)).ToList();
            Console.Out.Write(Render(ModelCatalog.Default, chosen));
            return CommandLine.ExitOk;
        });
        return command;
    }

    private static string F(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);
    private static string Pct(double v) => (v >= 0 ? "+" : "−") + Math.Abs(v * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string Render(ModelCatalog catalog, IReadOnlyList<HoldOut> modes)
    {
        var sb = new StringBuilder();
        var p = EstimatorFit.Fit(catalog, EstimatorFit.Points(catalog));
        sb.AppendLine("### Fitted device model (all points)").AppendLine();
        sb.AppendLine("| parameter | value |").AppendLine("|---|---|");
        sb.AppendLine($"| utilisation at 1,000 TFLOPS peak, u₀ | {F(p.Utilisation1000)} |");
        sb.AppendLine($"| utilisation exponent, β | {F(p.UtilisationExponent)} |");
        sb.AppendLine($"| power while computing, ρ₀ × TDP | {F(p.MaxPowerFraction)} |");
        sb.AppendLine($"| power while waiting, φ × TDP | {F(p.FloorPowerFraction)} |");
        sb.AppendLine($"| overlap of overhead and compute, n | {F(p.Overlap)} |");
        sb.AppendLine($"| per-call overhead of a 1B UNet / transformer | {F(p.UnetOverheadSeconds * 1000, "0.0")} ms / {F(p.TransformerOverheadSeconds * 1000, "0.0")} ms |");
        sb.AppendLine($"| overhead exponent on denoiser parameters, γ | {F(p.OverheadExponent)} |");
        sb.AppendLine($"| CPU utilisation | {F(p.CpuUtilisation)} |");
        foreach (var g in p.GenerationUtilisationShift.Keys.Order(StringComparer.Ordinal))
            sb.AppendLine($"| {g}: utilisation × {F(Math.Exp(p.GenerationUtilisationShift[g]))}, power × {F(Math.Exp(p.GenerationPowerShift[g]))} | |");
        foreach (var (k, v) in p.ModelEfficiency.OrderBy(x => x.Key, StringComparer.Ordinal))
            sb.AppendLine($"| k({k}) | {F(v)} |");
        sb.AppendLine();
        foreach (var mode in modes)
        {
            var rows = CrossValidation.Run(catalog, mode);
            var s = CrossValidation.Summarise(mode, rows);
            sb.AppendLine($"### Left out: {Describe(mode)}").AppendLine();
            sb.AppendLine($"{s.Points} points: mean error {F(s.MeanAbsError * 100, "0.0")} %, worst {F(s.WorstAbsError * 100, "0")} %, inside the shown range {F(s.ShareInside * 100, "0")} %.").AppendLine();
            sb.AppendLine("| model | device | batch | published Wh | predicted Wh | error | range shown | inside |").AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in rows)
                sb.AppendLine($"| {r.Point.Model.Id} | {r.Point.Device.Id} | {r.Point.Measurement.Batch} | {F(r.PublishedWh, "0.0000")} | {F(r.PredictedWh, "0.0000")} | {Pct(r.Error)} | {F(r.LowWh, "0.0000")}–{F(r.HighWh, "0.0000")} | {(r.Inside ? "yes" : "**no**")} |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string Describe(HoldOut mode) => mode switch
    {
        HoldOut.Point => "the point itself",
        HoldOut.Device => "every point of its device generation",
        _ => "every point of its model",
    };
}
