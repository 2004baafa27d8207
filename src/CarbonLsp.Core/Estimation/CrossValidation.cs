using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Estimation;

/// <summary>What is left out of the fit before a published point is predicted.</summary>
public enum HoldOut
{
    /// <summary>The point itself.</summary>
    Point,
    /// <summary>Every point on a device of its GPU generation (or every CPU point): the device is new to the fit.</summary>
    Device,
    /// <summary>Every point of its model (and of the model's base or fine-tunes): the model is new to the fit.</summary>
    Model,
}

/// <summary>One published measurement predicted by a fit that never saw it.</summary>
public sealed record CrossValidationRow(FitPoint Point, HoldOut Mode, double PredictedWh, double LowWh, double HighWh, string Basis)
{
    public double PublishedWh => Point.Measurement.Wh;
    public double Error => PredictedWh / PublishedWh - 1;
    public bool Inside => LowWh <= PublishedWh && PublishedWh <= HighWh;
}

/// <summary>Summary of one hold-out mode: mean and worst absolute relative error, share inside the range.</summary>
public sealed record CrossValidationSummary(HoldOut Mode, int Points, double MeanAbsError, double WorstAbsError, double ShareInside);

/// <summary>
/// Judges the estimator by points it was not fitted to: each published measurement is predicted by a
/// fit without it (and, in the stricter modes, without its whole device generation or model), and
/// compared with the range the product would show in that situation. Pure; a few seconds per mode.
/// </summary>
public static class CrossValidation
{
    public static IReadOnlyList<CrossValidationRow> Run(ModelCatalog catalog, HoldOut mode)
    {
        var points = EstimatorFit.Points(catalog).ToList();
        var rows = new List<CrossValidationRow>();
        // Points that share a held-out group share one fit.
        // Only points with published energy are judged; timing-only points help the fit.
        foreach (var group in points.Where(p => p.Measurement.Wh > 0).GroupBy(p => GroupKey(p, mode)))
        {
            var held = mode == HoldOut.Point ? group.ToHashSet()
                : points.Where(p => GroupKey(p, mode) == group.Key).ToHashSet(); // a device or model left out loses its timings too
            var training = points.Where(p => !held.Contains(p)).ToList();
            var estimator = new FootprintEstimator(catalog, null, EstimatorFit.Fit(catalog, training));
            foreach (var p in group)
            {
                var f = estimator.Estimate(p.Request, 0, 1);
                rows.Add(new CrossValidationRow(p, mode, f.AcceleratorWh.Mid, f.AcceleratorWh.Low, f.AcceleratorWh.High, f.Basis.Name()));
            }
        }
        return rows.OrderBy(r => points.IndexOf(r.Point)).ToList();
    }

    public static CrossValidationSummary Summarise(HoldOut mode, IReadOnlyList<CrossValidationRow> rows) => new(mode, rows.Count,
        rows.Count == 0 ? 0 : rows.Average(r => Math.Abs(r.Error)), rows.Count == 0 ? 0 : rows.Max(r => Math.Abs(r.Error)),
        rows.Count == 0 ? 0 : rows.Count(r => r.Inside) / (double)rows.Count);

    private static string GroupKey(FitPoint p, HoldOut mode) => mode switch
    {
        HoldOut.Point => $"{p.Model.Id}/{p.Model.Measurements.IndexOf(p.Measurement)}",
        HoldOut.Device => p.Device.Kind == DeviceKind.Gpu ? p.Device.Generation : p.Device.Kind.Name(),
        _ => DeviceModel.EfficiencyKey(p.Model),
    };
}
