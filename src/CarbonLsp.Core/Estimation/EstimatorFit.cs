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
        // A shift per GPU or Apple generation that has points (energy or time); an efficiency per model
        // that has GPU points.
        var generations = points.Where(x => x.Device.Kind is DeviceKind.Gpu or DeviceKind.Apple).Select(x => x.Device.Generation).Distinct().Order(StringComparer.Ordinal).ToArray();
        var models = points.Where(x => x.Device.Kind == DeviceKind.Gpu).Select(x => DeviceModel.EfficiencyKey(x.Model)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var energyGenerations = points.Where(x => x.Device.Kind is DeviceKind.Gpu or DeviceKind.Apple && x.Measurement.Wh > 0).Select(x => x.Device.Generation).ToHashSet(StringComparer.Ordinal);
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
            var p = Unpack(v.ToArray(), generations, models, catalog, energyGenerations);
            var i = 0;
            foreach (var x in points)
            {
                var predicted = DeviceModel.Predict(p, c, x.Request, PrecisionFactor(c, x.Device, x.Measurement.Precision));
                // Timing-only points (published speed, no energy) constrain time alone.
                residuals[i++] = x.Measurement.Wh > 0 ? Math.Log(predicted.TotalJ / 3600 / x.Measurement.Wh) : 0;
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
        return Unpack(result.MinimizingPoint.ToArray(), generations, models, catalog, energyGenerations);
    }

    private static DeviceModelParameters Unpack(double[] v, string[] generations, string[] models, ModelCatalog catalog, HashSet<string> energyGenerations)
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
                     .GroupBy(m => m.Architecture == ModelArchitecture.Tiny ? "unet" : m.Architecture.Name()))
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
            EnergyMeasuredGenerations = energyGenerations,
        };
    }

    /// <summary>What a precision does to compute time on a device: fp16/bf16 1; fp32 the device's
    /// slowdown; quantised formats their cited factor (a format the device lacks runs as fp16).</summary>
    public static double PrecisionFactor(EstimatorConstants c, DeviceSpec device, Precision precision)
    {
        switch (precision)
        {
            case Precision.Fp16 or Precision.Bf16: return 1;
            case Precision.Fp32: return device.Fp32Slowdown;
        }
        if (!c.Precisions.TryGetValue(precision, out var spec)) return 1;
        return PrecisionSupported(spec, device) ? spec.TimeFactor : 1;
    }

    public static bool PrecisionSupported(PrecisionSpec spec, DeviceSpec device) => spec.Requires switch
    {
        PrecisionRequirement.Fp8 => device.Fp8,
        PrecisionRequirement.Blackwell => device.Generation.StartsWith("blackwell", StringComparison.Ordinal),
        PrecisionRequirement.Gpu => device.Kind == DeviceKind.Gpu,
        _ => true,
    };
}

/// <summary>The fitted parameters as the catalog stores them (estimator.fitted): the estimator reads
/// them instead of refitting at every start; a test refits the catalog's measurements and requires the
/// same values, so they can never drift from the data.</summary>
public sealed class StoredFit
{
    [Newtonsoft.Json.JsonProperty("utilisation1000")] public double Utilisation1000 { get; init; }
    [Newtonsoft.Json.JsonProperty("utilisationExponent")] public double UtilisationExponent { get; init; }
    [Newtonsoft.Json.JsonProperty("maxPowerFraction")] public double MaxPowerFraction { get; init; }
    [Newtonsoft.Json.JsonProperty("floorPowerFraction")] public double FloorPowerFraction { get; init; }
    [Newtonsoft.Json.JsonProperty("overlap")] public double Overlap { get; init; }
    [Newtonsoft.Json.JsonProperty("unetOverheadSeconds")] public double UnetOverheadSeconds { get; init; }
    [Newtonsoft.Json.JsonProperty("transformerOverheadSeconds")] public double TransformerOverheadSeconds { get; init; }
    [Newtonsoft.Json.JsonProperty("overheadExponent")] public double OverheadExponent { get; init; }
    [Newtonsoft.Json.JsonProperty("cpuUtilisation")] public double CpuUtilisation { get; init; }
    [Newtonsoft.Json.JsonProperty("generationUtilisationShift")] public Dictionary<string, double> GenerationUtilisationShift { get; init; } = new();
    [Newtonsoft.Json.JsonProperty("generationPowerShift")] public Dictionary<string, double> GenerationPowerShift { get; init; } = new();
    [Newtonsoft.Json.JsonProperty("energyMeasuredGenerations")] public List<string> EnergyMeasuredGenerations { get; init; } = new();
    [Newtonsoft.Json.JsonProperty("modelEfficiency")] public Dictionary<string, double> ModelEfficiency { get; init; } = new();
    [Newtonsoft.Json.JsonProperty("architectureEfficiency")] public Dictionary<string, double> ArchitectureEfficiency { get; init; } = new();

    private static double R(double v) => Math.Round(v, 5);

    public static StoredFit From(DeviceModelParameters p) => new()
    {
        Utilisation1000 = R(p.Utilisation1000), UtilisationExponent = R(p.UtilisationExponent), MaxPowerFraction = R(p.MaxPowerFraction),
        FloorPowerFraction = R(p.FloorPowerFraction), Overlap = R(p.Overlap), UnetOverheadSeconds = R(p.UnetOverheadSeconds),
        TransformerOverheadSeconds = R(p.TransformerOverheadSeconds), OverheadExponent = R(p.OverheadExponent), CpuUtilisation = R(p.CpuUtilisation),
        GenerationUtilisationShift = p.GenerationUtilisationShift.OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => R(x.Value)),
        GenerationPowerShift = p.GenerationPowerShift.OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => R(x.Value)),
        EnergyMeasuredGenerations = p.EnergyMeasuredGenerations.Order(StringComparer.Ordinal).ToList(),
        ModelEfficiency = p.ModelEfficiency.OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => R(x.Value)),
        ArchitectureEfficiency = p.ArchitectureEfficiency.OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary(x => x.Key, x => R(x.Value)),
    };

    public DeviceModelParameters ToParameters() => new()
    {
        Utilisation1000 = Utilisation1000, UtilisationExponent = UtilisationExponent, MaxPowerFraction = MaxPowerFraction,
        FloorPowerFraction = FloorPowerFraction, Overlap = Overlap, UnetOverheadSeconds = UnetOverheadSeconds,
        TransformerOverheadSeconds = TransformerOverheadSeconds, OverheadExponent = OverheadExponent, CpuUtilisation = CpuUtilisation,
        GenerationUtilisationShift = GenerationUtilisationShift, GenerationPowerShift = GenerationPowerShift,
        EnergyMeasuredGenerations = EnergyMeasuredGenerations.ToHashSet(StringComparer.Ordinal),
        ModelEfficiency = new Dictionary<string, double>(ModelEfficiency, StringComparer.OrdinalIgnoreCase), ArchitectureEfficiency = ArchitectureEfficiency,
    };
}
