using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Estimation;

/// <summary>
/// Estimates energy and carbon from first principles — compute per denoiser call, the device's
/// throughput and power — with one efficiency factor per model fitted to its published measurement
/// (see docs/footprint.md). Settings, devices and models without a measurement are predicted by the
/// same physics, with a wider range. Pure and thread-safe.
/// </summary>
public sealed class FootprintEstimator
{
    private readonly ModelCatalog _catalog;
    private readonly Dictionary<string, double> _efficiency = new(StringComparer.OrdinalIgnoreCase);
    private readonly ICalibrationSource? _local;

    public FootprintEstimator(ModelCatalog catalog, ICalibrationSource? local = null)
    {
        _catalog = catalog;
        _local = local;
        foreach (var model in catalog.Models)
        {
            var point = model.Measurements.FirstOrDefault(m => m.Calibrate);
            var device = point == null ? null : catalog.FindDevice(point.Device);
            if (point == null || device == null) continue;
            var raw = AcceleratorWhPerImage(new EstimateRequest(model, device, point.Steps, point.Width, point.Height, point.Guidance, point.Precision, 1, point.Batch)).Total;
            if (raw > 0) _efficiency[model.Id] = point.Wh / raw;
        }
        // A model with no measurement of its own gets the median factor of its architecture: a global
        // fit, not a lookup of any one point.
        foreach (var group in catalog.Models.GroupBy(m => m.Architecture))
        {
            var factors = group.Where(m => _efficiency.ContainsKey(m.Id)).Select(m => _efficiency[m.Id]).Order().ToArray();
            _architectureFactor[group.Key] = factors.Length == 0 ? 1 : factors[factors.Length / 2];
        }
    }

    private readonly Dictionary<string, double> _architectureFactor = new(StringComparer.OrdinalIgnoreCase);

    public ModelCatalog Catalog => _catalog;

    /// <summary>The fitted efficiency factor for a model (1 when it has no published measurement);
    /// a fine-tune inherits its base model's.</summary>
    public double EfficiencyFactor(ModelSpec model, out bool calibrated)
    {
        if (_efficiency.TryGetValue(model.Id, out var k)) { calibrated = true; return k; }
        if (model.BaseModel != null && _efficiency.TryGetValue(model.BaseModel, out k)) { calibrated = true; return k; }
        calibrated = false;
        return _architectureFactor.TryGetValue(model.Architecture, out k) ? k : 1;
    }

    /// <summary>The first-principles accelerator energy per image with the catalog's efficiency factor
    /// and no local calibration: what a ledger compares its measurements against.</summary>
    public double UncalibratedAcceleratorWh(EstimateRequest r) => AcceleratorWhPerImage(r).Total * EfficiencyFactor(r.Model, out _);

    /// <summary>Accelerator-only energy per image, by phase, before any efficiency factor.</summary>
    internal PhaseBreakdownRaw AcceleratorWhPerImage(EstimateRequest r)
    {
        var c = _catalog.Estimator;
        var arch = r.Model.Architecture;
        var curve = c.Utilisation.TryGetValue(arch, out var u) ? u : c.Utilisation["unet"];
        var exponent = c.PixelExponent.TryGetValue(arch, out var e) ? e : 1.0;
        var pixelRatio = (double)r.Width * r.Height / Math.Max(1, r.Model.NativePixels);
        var passTflops = r.Model.TflopsPerPass * Math.Pow(pixelRatio, exponent);
        var cfg = r.UsesCfg ? 2 : 1;
        var batch = Math.Max(1, r.Batch);

        // Joules per TFLOP at a given work size: power / (peak × utilisation). fp32 runs as on a device
        // with 1/slowdown of the peak, so the same work keeps it busy longer: small calls, which leave
        // a GPU waiting on launches, lose less to fp32 than large ones (fitted to AI Energy Score's
        // fp32 points, docs/footprint.md).
        var precision = r.Precision == "fp32" ? r.Device.Fp32Slowdown : 1.0;
        double JoulesPerTflop(double workTflops)
        {
            var utilisation = r.Device.Kind == "gpu" ? curve.At(workTflops * precision) : CpuLikeUtilisation;
            return r.Device.TdpW * c.ActivePowerFraction * precision / (r.Device.PeakTflops * utilisation);
        }

        var denoiseJ = r.Steps * passTflops * cfg * JoulesPerTflop(passTflops * cfg * batch);
        var textJ = r.Model.TextEncoderTflops * cfg * JoulesPerTflop(r.Model.TextEncoderTflops * cfg * batch);
        var vaeTflops = r.Model.VaeDecodeTflops * pixelRatio;
        var vaeJ = vaeTflops * JoulesPerTflop(vaeTflops); // diffusers decodes one image at a time
        return new PhaseBreakdownRaw(textJ / 3600, denoiseJ / 3600, vaeJ / 3600);
    }

    /// <summary>CPUs and Apple GPUs are not starved by small calls the way big GPUs are; they reach a
    /// steady fraction of peak. [M] 0.3, checked against the OWL wattlab CPU point (docs/footprint.md).</summary>
    private const double CpuLikeUtilisation = 0.3;

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

    private Footprint Compute(EstimateRequest r, double intensityGramsPerKWh, double pue)
    {
        var c = _catalog.Estimator;
        var raw = AcceleratorWhPerImage(r);
        var local = _local?.Find(r.Model.Id, r.Device.Id);
        var k = EfficiencyFactor(r.Model, out var calibrated);
        string basis, detail;
        double width;
        var sources = new List<string>();
        PhaseBreakdown phases;
        if (local != null && local.Runs > 0)
        {
            // Measured here: the same first-principles shape, at the level the measurements set.
            var m = local.MeasuredOverEstimate;
            phases = new PhaseBreakdown(raw.TextEncodingWh * k * m, raw.DenoisingWh * k * m, raw.DecodingWh * k * m);
            basis = "measured-locally";
            detail = $"calibrated from {Units.Count(local.Runs, "local run")} on this machine (measured {Units.Wh(local.MeanMeasuredWh)} per image on average; first principles × {Units.Number(m)})";
            width = Math.Max(c.Uncertainty.LocallyMeasured, local.MeanRelativeError);
            sources.Add("carbonlsp-measured");
        }
        else
        {
            phases = new PhaseBreakdown(raw.TextEncodingWh * k, raw.DenoisingWh * k, raw.DecodingWh * k);
            var point = r.Model.Measurements.FirstOrDefault(m => m.Calibrate)
                        ?? (r.Model.BaseModel != null ? _catalog.FindModelById(r.Model.BaseModel)?.Measurements.FirstOrDefault(m => m.Calibrate) : null);
            if (calibrated && point != null)
            {
                basis = "calibrated";
                detail = $"first principles, scaled to {point.Source} ({point.Device}, {point.Steps} steps, {point.Width}×{point.Height}, {point.Precision})";
                width = c.Uncertainty.Calibrated;
                if (!string.Equals(point.Device, r.Device.Id, StringComparison.OrdinalIgnoreCase))
                    width = Combine(width, c.Uncertainty.OtherDevice);
                sources.Add(point.Source);
            }
            else
            {
                basis = "first-principles";
                detail = "first principles (compute per step × device energy per operation); no published measurement for this model";
                width = c.Uncertainty.Uncalibrated;
                if (r.Device.Kind != "gpu") width = Combine(width, c.Uncertainty.OtherDevice);
            }
        }
        foreach (var s in ModelReferences(r.Model))
            if (!sources.Contains(s)) sources.Add(s);

        var accPerImage = phases.TextEncodingWh + phases.DenoisingWh + phases.DecodingWh;
        var seconds = accPerImage * 3600 / (r.Device.TdpW * c.ActivePowerFraction);
        var hostPerImage = r.Device.HostW * seconds / 3600;
        var psuLoss = (accPerImage + hostPerImage) * (1 / c.PsuEfficiency - 1);
        var images = Math.Max(1, r.Images);

        var acc = EnergyRange.Around(accPerImage * images, width);
        var host = EnergyRange.Around((hostPerImage + psuLoss) * images, Combine(width, c.Uncertainty.Host));
        var total = acc + host;
        var co2 = total * (pue * intensityGramsPerKWh / 1000);
        var perImage = total.Mid / images;
        var perStepAcc = phases.DenoisingWh / Math.Max(1, r.Steps);
        var perStep = perStepAcc * (1 + r.Device.HostW / (r.Device.TdpW * c.ActivePowerFraction)) / c.PsuEfficiency * images;
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
            Rating = Rate(perImage),
            Equivalents = ToEquivalents(total.Mid, co2.Mid),
            Basis = basis,
            BasisDetail = detail,
            Sources = sources,
            UsesCfg = r.UsesCfg,
        };
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

internal readonly record struct PhaseBreakdownRaw(double TextEncodingWh, double DenoisingWh, double DecodingWh)
{
    public double Total => TextEncodingWh + DenoisingWh + DecodingWh;
}
