using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;
using Xunit.Abstractions;

namespace CarbonLsp.Core.Tests;

/// <summary>The estimator judged by points it was not fitted to (docs/footprint.md, "Cross-validation";
/// `carbonlsp validate` prints the same tables). Each published measurement is predicted by a fit that
/// left it out — alone, with its whole device generation, or with its whole model — and compared with the
/// range the product shows in that situation.</summary>
public class CrossValidationTests(ITestOutputHelper output)
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Default;

    private CrossValidationSummary Run(HoldOut mode)
    {
        var rows = CrossValidation.Run(Catalog, mode);
        var s = CrossValidation.Summarise(mode, rows);
        output.WriteLine($"{mode}: {s.Points} points, mean |error| {s.MeanAbsError:P1}, worst {s.WorstAbsError:P0}, inside the range {s.ShareInside:P0}");
        foreach (var r in rows.Where(r => !r.Inside || Math.Abs(r.Error) > 0.2))
            output.WriteLine($"  {r.Point}: published {r.PublishedWh:0.####} Wh, predicted {r.PredictedWh:0.####} ({r.Error:+0%;-0%}), range {r.LowWh:0.####}-{r.HighWh:0.####}");
        return s;
    }

    [Fact]
    public void Points_left_out_one_at_a_time_are_within_20_percent_on_average_30_at_worst_and_inside_the_range()
    {
        var s = Run(HoldOut.Point);
        Assert.True(s.Points >= 60, $"only {s.Points} published points");
        Assert.InRange(s.MeanAbsError, 0, 0.20);
        Assert.InRange(s.WorstAbsError, 0, 0.30);
        Assert.InRange(s.ShareInside, 0.90, 1);
    }

    [Fact]
    public void A_device_generation_the_fit_never_saw_stays_inside_the_wider_range_it_is_shown_with()
    {
        // Every A100 (or H100, or B200, or CPU) point left out at once: that device is priced from the
        // trend of the others' specifications, and the range says so (uncertainty.otherDevice).
        var s = Run(HoldOut.Device);
        Assert.InRange(s.MeanAbsError, 0, 0.25);
        Assert.InRange(s.ShareInside, 0.90, 1);
    }

    [Fact]
    public void A_model_the_fit_never_saw_stays_inside_the_first_principles_range()
    {
        var s = Run(HoldOut.Model);
        Assert.InRange(s.MeanAbsError, 0, 0.30);
        Assert.InRange(s.ShareInside, 0.90, 1);
    }

    [Fact]
    public void The_stored_fit_is_the_fit_of_the_catalogs_measurements()
    {
        // estimator.fitted lets the server start without fitting; it must be what the data give.
        // After changing a measurement: carbonlsp validate --write-fit, and paste the block.
        var stored = Catalog.Estimator.Fitted;
        Assert.NotNull(stored);
        var fresh = StoredFit.From(EstimatorFit.Fit(Catalog, EstimatorFit.Points(Catalog)));
        static void Near(double a, double b, string what) => Assert.True(Math.Abs(a - b) <= 1e-3 * Math.Max(1, Math.Abs(b)), $"{what}: stored {a}, fitted {b}");
        Near(stored!.Utilisation1000, fresh.Utilisation1000, "u0");
        Near(stored.UtilisationExponent, fresh.UtilisationExponent, "beta");
        Near(stored.MaxPowerFraction, fresh.MaxPowerFraction, "rho");
        Near(stored.FloorPowerFraction, fresh.FloorPowerFraction, "phi");
        Near(stored.Overlap, fresh.Overlap, "n");
        Near(stored.UnetOverheadSeconds, fresh.UnetOverheadSeconds, "unet overhead");
        Near(stored.TransformerOverheadSeconds, fresh.TransformerOverheadSeconds, "transformer overhead");
        Near(stored.CpuUtilisation, fresh.CpuUtilisation, "cpu");
        Assert.Equal(fresh.ModelEfficiency.Keys.Order(), stored.ModelEfficiency.Keys.Order());
        foreach (var (k, v) in fresh.ModelEfficiency) Near(stored.ModelEfficiency[k], v, $"k({k})");
        Assert.Equal(fresh.GenerationUtilisationShift.Keys.Order(), stored.GenerationUtilisationShift.Keys.Order());
        foreach (var (g, v) in fresh.GenerationUtilisationShift) Near(stored.GenerationUtilisationShift[g], v, $"du({g})");
        foreach (var (g, v) in fresh.GenerationPowerShift) Near(stored.GenerationPowerShift[g], v, $"dr({g})");
        Assert.Equal(fresh.EnergyMeasuredGenerations, stored.EnergyMeasuredGenerations);
    }

    [Fact]
    public void The_fit_is_deterministic_and_uses_every_measurement_with_stated_settings()
    {
        var points = EstimatorFit.Points(Catalog);
        Assert.Contains(points, p => p.Device.Id == "nvidia-a100-40gb");
        Assert.Contains(points, p => p.Device.Id == "nvidia-b200");
        Assert.Contains(points, p => p.Device.Kind == DeviceKind.Cpu);
        Assert.DoesNotContain(points, p => p.Measurement.AssumedSettings || p.Measurement.Outlier || p.Measurement.Scope == "cpu-time-estimate");
        var a = EstimatorFit.Fit(Catalog, points);
        var b = EstimatorFit.Fit(Catalog, points);
        Assert.Equal(a.Utilisation1000, b.Utilisation1000);
        Assert.Equal(a.ModelEfficiency["sdxl"], b.ModelEfficiency["sdxl"]);
    }
}
