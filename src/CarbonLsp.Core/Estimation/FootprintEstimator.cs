using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Estimation;

/// <summary>
/// Estimates energy and carbon with the device model (<see cref="DeviceModel"/>): time and power of each
/// phase on the device, from compute per denoiser call, per-call overhead and the device's fitted
/// utilisation and power, fitted to every published measurement in the catalog (<see cref="EstimatorFit"/>).
/// The host's energy follows from the modelled time. Ranges come from the cross-validation residuals of
/// the kind of estimate (docs/footprint.md). Pure and thread-safe.
/// </summary>
public sealed class FootprintEstimator
{
    private readonly ModelCatalog _catalog;
    private readonly ICalibrationSource? _local;
    private readonly DeviceModelParameters _parameters;

    // The fit depends only on the catalog: shared by every estimator of one catalog.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ModelCatalog, DeviceModelParameters> s_fits = new();

    public FootprintEstimator(ModelCatalog catalog, ICalibrationSource? local = null, DeviceModelParameters? parameters = null)
    {
        _catalog = catalog;
        _local = local;
        _parameters = parameters ?? s_fits.GetValue(catalog, c => c.Estimator.Fitted?.ToParameters() ?? EstimatorFit.Fit(c, EstimatorFit.Points(c)));
        _cpuMeasured = EstimatorFit.Points(catalog).Any(p => p.Device.Kind == DeviceKind.Cpu);
    }

    public ModelCatalog Catalog => _catalog;
    public DeviceModelParameters Parameters => _parameters;

    /// <summary>The fitted efficiency factor k of a model (its base's for a fine-tune); a model without
    /// published measurements gets its architecture's median and <paramref name="calibrated"/> false.</summary>
    public double EfficiencyFactor(ModelSpec model, out bool calibrated) => DeviceModel.Efficiency(_parameters, model, out calibrated);

    /// <summary>The device-model accelerator energy per image, without local calibration: what a ledger
    /// compares its measurements against.</summary>
    public double UncalibratedAcceleratorWh(EstimateRequest r) => Predict(r).TotalJ / 3600;

    /// <summary>Accelerator energy and time of one image, before local calibration.</summary>
    public PhaseEstimate Predict(EstimateRequest r) =>
        DeviceModel.Predict(_parameters, _catalog.Estimator, r, EstimatorFit.PrecisionFactor(_catalog.Estimator, r.Device, r.Precision));

    /// <summary>Whether published measurements fix how well this device's kind is used (its GPU
    /// generation, or CPUs as a class).</summary>
    public bool DeviceMeasured(DeviceSpec d) => !d.Generic && (d.Kind == DeviceKind.Gpu ? _parameters.EnergyMeasuredGenerations.Contains(d.Generation) : d.Kind == DeviceKind.Cpu && _cpuMeasured);

    private readonly bool _cpuMeasured;


    // Estimates are pure functions of the request, so they are memoised: prompt files repeat the
    // same settings many times, and rules price several alternatives per prompt.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(EstimateRequest, double, double, long), Footprint> _memo = new();
    private const int MemoLimit = 20_000;

    public Footprint Estimate(EstimateRequest r, double intensityGramsPerKWh, double pue)
    {
        var key = (r, intensityGramsPerKWh, pue, _local?.Version ?? 0);
        if (_memo.TryGetValue(key, out var cached)) return cached;
        var result = Compute(r, intensityGramsPerKWh, pue);
        if (_memo.Count >= MemoLimit) _memo.Clear();
        _memo[key] = result;
        return result;
    }

    /// <summary>The relative half-width of the range of a device-model estimate (no local runs), and
    /// whether the model's own measurements and the device's kind's measurements back it.</summary>
    public double RangeWidth(EstimateRequest r, out bool modelMeasured, out bool deviceMeasured)
    {
        var u = _catalog.Estimator.Uncertainty;
        EfficiencyFactor(r.Model, out modelMeasured);
        modelMeasured &= r.StandIn == StandInKind.None;
        deviceMeasured = DeviceMeasured(r.Device);
        // How well the device is known: its generation's energy published, only its speed published,
        // neither (the trend of its specifications, or a vendor prior), or not even its name.
        var timed = !deviceMeasured && _parameters.GenerationUtilisationShift.ContainsKey(r.Device.Generation);
        var device = r.Device.Generic ? u.GenericDevice
            : deviceMeasured ? u.Measured
            : timed ? u.TimedDevice
            : r.Device.Vendor == "nvidia" ? u.OtherDevice : u.UnmeasuredVendor;
        var width = modelMeasured ? device : deviceMeasured ? u.OtherModel : Combine(u.OtherModel, device);
        if (r.StandIn == StandInKind.Family) width = Math.Max(width, u.StandIn);
        if (r.StandIn == StandInKind.Unknown) width = Math.Max(width, u.UnknownModel);
        return width;
    }

    private Footprint Compute(EstimateRequest r, double intensityGramsPerKWh, double pue)
    {
        var c = _catalog.Estimator;
        var predicted = Predict(r);
        var local = _local?.Find(r.Model.Id, r.Device.Id);
        EstimateBasis basis;
        string detail;
        double width;
        var sources = new List<string>();
        var scale = 1.0;
        if (local != null && local.Runs > 0)
        {
            // Measured here: the same device-model shape, at the level the measurements set.
            scale = local.MeasuredOverEstimate;
            basis = EstimateBasis.MeasuredLocally;
            detail = $"calibrated from {Units.Count(local.Runs, "local run")} on this machine (measured {Units.Wh(local.MeanMeasuredWh)} per image on average; device model × {Units.Number(scale)})";
            width = Math.Max(c.Uncertainty.LocallyMeasured, local.MeanRelativeError);
            sources.Add("carbonlsp-measured");
        }
        else
        {
            width = RangeWidth(r, out var modelMeasured, out var deviceMeasured);
            var points = modelMeasured ? FittedMeasurements(r.Model).Select(x => x.Device).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : new List<string>();
            if (modelMeasured)
            {
                basis = EstimateBasis.Calibrated;
                detail = $"device model fitted to published measurements of {(r.Model.BaseModel != null ? $"its base model {r.Model.BaseModel}" : "this model")} on {string.Join(", ", points)}" +
                         (deviceMeasured ? "" : $"; {r.Device.Name} itself has no published diffusion measurement, so its throughput follows the fitted trend of its specifications");
                sources.AddRange(FittedMeasurements(r.Model).Select(x => x.Source).Distinct());
            }
            else
            {
                basis = EstimateBasis.FirstPrinciples;
                detail = r.StandIn switch
                {
                    StandInKind.Family => $"a stand-in: the model named is not in the catalog, so it is priced as {r.Model.Name}, the family its name suggests; no published measurement of the model named",
                    StandInKind.Unknown => $"a stand-in: nothing is known of the model named, so it is priced as {r.Model.Name} with the widest range",
                    _ => "no published measurement of this model: compute per step and its architecture's median efficiency on the fitted device model",
                };
            }
            if (r.Device.Generic) detail += $"; \"{r.Device.Name}\" is a generic class standing in for an unknown device";
            sources.Add("estimator-fit");
        }
        foreach (var s in ModelReferences(r.Model))
            if (!sources.Contains(s)) sources.Add(s);

        var phases = new PhaseBreakdown(predicted.TextEncodingJ * scale / 3600, predicted.DenoisingJ * scale / 3600, predicted.DecodingJ * scale / 3600);
        var accPerImage = phases.TextEncodingWh + phases.DenoisingWh + phases.DecodingWh;
        var seconds = predicted.Seconds * scale; // a measured level changes time and energy alike
        var hostPerImage = r.Device.HostW * seconds / 3600;
        var psuLoss = (accPerImage + hostPerImage) * (1 / c.PsuEfficiency - 1);
        var images = Math.Max(1, r.Images);

        var acc = EnergyRange.Around(accPerImage * images, width);
        var host = EnergyRange.Around((hostPerImage + psuLoss) * images, Combine(width, c.Uncertainty.Host));
        var total = acc + host;
        var co2 = total * Co2e.Grams(1, pue, intensityGramsPerKWh);
        var perImage = total.Mid / images;
        var steps = Math.Max(1, r.Steps);
        var perStepAcc = phases.DenoisingWh / steps;
        var perStepSeconds = accPerImage > 0 ? seconds * (phases.DenoisingWh / accPerImage) / steps : 0;
        var perStep = (perStepAcc + r.Device.HostW * perStepSeconds / 3600) / c.PsuEfficiency * images;
        sources.AddRange(new[] { "epa-2026", "epa-2024-phone" });

        return new Footprint
        {
            EnergyWh = total,
            AcceleratorWh = acc,
            HostWh = host,
            Co2eGrams = co2,
            WhPerImage = perImage,
            Images = images,
            Phases = phases,
            WhPerExtraStep = perStep,
            SecondsPerImage = seconds,
            IntensityGramsPerKWh = intensityGramsPerKWh,
            Pue = pue,
            Rating = Rate(accPerImage),
            Equivalents = ToEquivalents(total.Mid, co2.Mid),
            Basis = basis,
            BasisDetail = detail,
            Sources = sources,
            UsesCfg = r.UsesCfg,
        };
    }

    /// <summary>The footprint of a prompt nothing is estimated for (a hosted service): zero, labelled so,
    /// rated '-'. It is left out of a file's totals.</summary>
    public Footprint NotEstimated(EstimateRequest r, double intensityGramsPerKWh, double pue, string reason) => new()
    {
        EnergyWh = EnergyRange.Zero, AcceleratorWh = EnergyRange.Zero, HostWh = EnergyRange.Zero, Co2eGrams = EnergyRange.Zero,
        WhPerImage = 0, Images = Math.Max(1, r.Images), Phases = default, WhPerExtraStep = 0, SecondsPerImage = 0,
        IntensityGramsPerKWh = intensityGramsPerKWh, Pue = pue, Rating = '-', Equivalents = default,
        Basis = EstimateBasis.NotEstimated, BasisDetail = reason, Sources = Array.Empty<string>(), UsesCfg = false,
    };

    /// <summary>The fitted measurements behind a model's efficiency (its own, its base's and its fine-tunes').</summary>
    private IEnumerable<PublishedMeasurement> FittedMeasurements(ModelSpec m)
    {
        var key = DeviceModel.EfficiencyKey(m);
        return _catalog.Models.Where(x => DeviceModel.EfficiencyKey(x) == key).SelectMany(x => x.Measurements).Where(x => x.Fitted);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> _modelReferences = new();

    /// <summary>The catalog references a model's numbers cite (keys of "references").</summary>
    public IReadOnlyList<string> ModelReferences(ModelSpec model) => _modelReferences.GetOrAdd(model.Id, _ =>
        model.Sources.Values.Select(ReferenceKey).OfType<string>().Where(_catalog.References.ContainsKey).Distinct().ToArray());

    private static string? ReferenceKey(string source)
    {
        var end = source.IndexOfAny(new[] { ' ', ':', '[' });
        var key = end < 0 ? source : source[..end];
        return key.Contains('-') || key.Length > 3 ? key : null;
    }

    private static double Combine(double a, double b) => Math.Sqrt(a * a + b * b);

    /// <summary>A–E from the accelerator (GPU-only) energy per image, the scope of AI Energy Score and
    /// ML.ENERGY, whose published range the thresholds split; host and power-supply energy are not rated.</summary>
    public char Rate(double whPerImage)
    {
        var t = _catalog.Rating.ThresholdsWh;
        for (var i = 0; i < t.Count; i++)
            if (whPerImage <= t[i]) return (char)('A' + i);
        return (char)('A' + t.Count);
    }

    public Equivalents ToEquivalents(double wh, double grams)
    {
        var e = _catalog.Equivalents;
        return new Equivalents(
            grams / e.GramsCo2ePerMileDriven,
            wh / 1000 / e.KWhPerSmartphoneCharge,
            wh / e.WhPerLedBulbHour * 60);
    }
}
