using CarbonLsp.Core.Catalog;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace CarbonLsp.Core.Estimation;

/// <summary>One published measurement as the fit uses it.</summary>
public sealed record FitPoint(ModelSpec Model, DeviceSpec Device, PublishedMeasurement Measurement)
{
    public EstimateRequest Request => new(Model, Device, Measurement.Steps, Measurement.Width, Measurement.Height,
        Measurement.Guidance, Measurement.Precision, 1, Measurement.Batch);

    public override string ToString() => $"{Model.Id} on {Device.Id}, batch {Measurement.Batch}";
}

/// <summary>
/// Fits <see cref="DeviceModelParameters"/> to published measurements by least squares on the
/// logarithm of energy per image and, where published, of time per image (Levenberg-Marquardt, from
/// Math.NET Numerics). Every parameter is pulled gently towards a prior, so a fit without some kind of
/// point (all of one device, all of one model: the cross-validation) stays well posed and falls back
/// to the trend or the prior. Deterministic and pure.
/// </summary>
public static class EstimatorFit
{
    /// <summary>The points the estimator is fitted to: GPU-only and CPU measurements with stated
    /// settings, not outliers, on devices and models the catalog knows.</summary>
    public static IReadOnlyList<FitPoint> Points(ModelCatalog catalog)
    {
        var points = new List<FitPoint>();
        foreach (var m in catalog.Models)
            foreach (var x in m.Measurements)
                if (x.Fitted && catalog.FindDevice(x.Device) is { } d)
                    points.Add(new FitPoint(m, d, x));
        return points;
    }

    // Parameter vector layout: globals, then a utilisation and a power shift per measured generation,
    // then a log efficiency per measured model.
    private const int Globals = 9;
    private static readonly double[] s_start = { Math.Log(0.3), 0.4, Math.Log(0.9), 0.2, 2.0, 0.04, 0.02, 0.7, Math.Log(0.3) };
    private static readonly double[] s_lower = { Math.Log(0.02), -0.5, Math.Log(0.4), 0.02, 1.0, 0.0, 0.0, 0.0, Math.Log(0.01) };
    private static readonly double[] s_upper = { Math.Log(1.0), 1.5, Math.Log(1.1), 0.7, 8.0, 1.0, 1.0, 2.0, Math.Log(1.0) };
    // Weak pulls towards the start keep each global defined when no point constrains it.
    private const double GlobalShrinkage = 0.02;

    public static DeviceModelParameters Fit(ModelCatalog catalog, IReadOnlyList<FitPoint> points)
    {
        var c = catalog.Estimator;
        var generations = points.Where(x => x.Device.Kind == "gpu").Select(x => x.Device.Generation).Distinct().Order(StringComparer.Ordinal).ToArray();
        var models = points.Where(x => x.Device.Kind == "gpu").Select(x => DeviceModel.EfficiencyKey(x.Model)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var count = Globals + 2 * generations.Length + models.Length;
        var start = new double[count];
        var lower = new double[count];
        var upper = new double[count];
        s_start.CopyTo(start, 0);
        s_lower.CopyTo(lower, 0);
        s_upper.CopyTo(upper, 0);
        start[8] = Math.Log(c.Priors.Utilisation.GetValueOrDefault("cpu", 0.3));
        for (var i = Globals; i < count; i++) { lower[i] = -3; upper[i] = 3; }

        var residualCount = points.Count * 2 + count;
        var residuals = new double[residualCount];
        var shrinkGeneration = c.Fit.GenerationShrinkage;
        var shrinkModel = c.Fit.ModelShrinkage;
        var timeWeight = c.Fit.TimeWeight;

        Vector<double> Residuals(Vector<double> v, Vector<double> _)
        {
            var p = Unpack(v.ToArray(), generations, models, catalog);
            var i = 0;
            foreach (var x in points)
            {
                var predicted = DeviceModel.Predict(p, c, x.Request, PrecisionFactor(c, x.Device, x.Measurement.Precision));
                residuals[i++] = Math.Log(predicted.TotalJ / 3600 / x.Measurement.Wh);
                residuals[i++] = x.Measurement.Seconds is { } s && s > 0 ? timeWeight * Math.Log(predicted.Seconds / s) : 0;
            }
            var vv = v.ToArray();
            for (var j = 0; j < Globals; j++) residuals[i++] = GlobalShrinkage * (vv[j] - start[j]);
            for (var j = Globals; j < Globals + 2 * generations.Length; j++) residuals[i++] = shrinkGeneration * vv[j];
            for (var j = Globals + 2 * generations.Length; j < count; j++) residuals[i++] = shrinkModel * vv[j];
            return Vector<double>.Build.DenseOfArray((double[])residuals.Clone());
        }

        var xs = Vector<double>.Build.Dense(residualCount, i => i);
        var ys = Vector<double>.Build.Dense(residualCount);
        var objective = ObjectiveFunction.NonlinearModel(Residuals, xs, ys);
        var solver = new LevenbergMarquardtMinimizer(initialMu: 1e-3, gradientTolerance: 1e-10, stepTolerance: 1e-10, functionTolerance: 1e-12, maximumIterations: 400);
        var result = solver.FindMinimum(objective, Vector<double>.Build.DenseOfArray(start),
            Vector<double>.Build.DenseOfArray(lower), Vector<double>.Build.DenseOfArray(upper));
        return Unpack(result.MinimizingPoint.ToArray(), generations, models, catalog);
    }

    private static DeviceModelParameters Unpack(double[] v, string[] generations, string[] models, ModelCatalog catalog)
    {
        var du = new Dictionary<string, double>(StringComparer.Ordinal);
        var dr = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var g = 0; g < generations.Length; g++)
        {
            du[generations[g]] = v[Globals + 2 * g];
            dr[generations[g]] = v[Globals + 2 * g + 1];
        }
        var k = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (var m = 0; m < models.Length; m++) k[models[m]] = Math.Exp(v[Globals + 2 * generations.Length + m]);
        // An architecture's median k, over the models of that architecture that have one.
        var byArchitecture = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in catalog.Models.Where(m => k.ContainsKey(DeviceModel.EfficiencyKey(m)) && m.BaseModel == null)
                     .GroupBy(m => m.Architecture == "tiny" ? "unet" : m.Architecture))
        {
            var sorted = group.Select(m => k[m.Id]).Order().ToArray();
            byArchitecture[group.Key] = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : Math.Sqrt(sorted[sorted.Length / 2 - 1] * sorted[sorted.Length / 2]);
        }
        if (byArchitecture.TryGetValue("unet", out var unet)) byArchitecture["tiny"] = unet;
        return new DeviceModelParameters
        {
            Utilisation1000 = Math.Exp(v[0]), UtilisationExponent = v[1], MaxPowerFraction = Math.Exp(v[2]), FloorPowerFraction = v[3],
            Overlap = v[4], UnetOverheadSeconds = v[5], TransformerOverheadSeconds = v[6], OverheadExponent = v[7], CpuUtilisation = Math.Exp(v[8]),
            GenerationUtilisationShift = du, GenerationPowerShift = dr, ModelEfficiency = k, ArchitectureEfficiency = byArchitecture,
        };
    }

    /// <summary>What a precision does to compute time on a device: fp16/bf16 1; fp32 the device's
    /// slowdown; quantised formats their cited factor (a format the device lacks runs as fp16).</summary>
    public static double PrecisionFactor(EstimatorConstants c, DeviceSpec device, string precision)
    {
        switch (precision)
        {
            case "fp16" or "bf16" or "": return 1;
            case "fp32": return device.Fp32Slowdown;
        }
        if (!c.Precisions.TryGetValue(precision, out var spec)) return 1;
        return PrecisionSupported(spec, device) ? spec.TimeFactor : 1;
    }

    public static bool PrecisionSupported(PrecisionSpec spec, DeviceSpec device) => spec.Requires switch
    {
        "fp8" => device.Fp8,
        "blackwell" => device.Generation.StartsWith("blackwell", StringComparison.Ordinal),
        "gpu" => device.Kind == "gpu",
        _ => true,
    };
}
