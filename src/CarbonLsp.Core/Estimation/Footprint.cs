namespace CarbonLsp.Core.Estimation;

/// <summary>What one prompt costs: per image and for all its images, with ranges, breakdown,
/// equivalents, rating and the sources behind the numbers.</summary>
public sealed class Footprint
{
    /// <summary>Total energy for all images of the prompt, Wh (accelerator + host).</summary>
    public required EnergyRange EnergyWh { get; init; }
    public required EnergyRange AcceleratorWh { get; init; }
    public required EnergyRange HostWh { get; init; }
    public required EnergyRange Co2eGrams { get; init; }
    /// <summary>Per image, Wh (mid), for ratings and comparisons.</summary>
    public required double WhPerImage { get; init; }
    public required int Images { get; init; }
    /// <summary>Accelerator energy per image by phase, Wh (mid).</summary>
    public required PhaseBreakdown Phases { get; init; }
    /// <summary>What one more denoising step costs for all images, Wh (mid), host included.</summary>
    public required double WhPerExtraStep { get; init; }
    public required double SecondsPerImage { get; init; }
    public required double IntensityGramsPerKWh { get; init; }
    public required double Pue { get; init; }
    public required char Rating { get; init; }
    public required Equivalents Equivalents { get; init; }
    /// <summary>How the number was obtained (written as "calibrated", "first-principles", "measured-locally",
    /// "not-estimated": <see cref="EstimateBases.Name"/>).</summary>
    public required EstimateBasis Basis { get; init; }
    public required string BasisDetail { get; init; }
    /// <summary>Reference keys (catalog "references") behind this estimate.</summary>
    public required IReadOnlyList<string> Sources { get; init; }
    public required bool UsesCfg { get; init; }
}

public readonly record struct PhaseBreakdown(double TextEncodingWh, double DenoisingWh, double DecodingWh);

/// <summary>Everyday comparisons with the EPA's constants (sourced in the catalog).</summary>
public readonly record struct Equivalents(double MilesDriven, double SmartphoneCharges, double LedBulbMinutes);

/// <summary>How an estimate was obtained.</summary>
public enum EstimateBasis
{
    /// <summary>The device model alone: no published measurement of this model.</summary>
    FirstPrinciples,
    /// <summary>The device model fitted to published measurements of this model (or its base model).</summary>
    Calibrated,
    /// <summary>Scaled by this machine's own measured runs (the ledger).</summary>
    MeasuredLocally,
    /// <summary>Nothing estimated (a hosted service).</summary>
    NotEstimated,
}

public static class EstimateBases
{
    /// <summary>The spelling shown in hovers and written in reports.</summary>
    public static string Name(this EstimateBasis basis) => basis switch
    {
        EstimateBasis.Calibrated => "calibrated",
        EstimateBasis.MeasuredLocally => "measured-locally",
        EstimateBasis.NotEstimated => "not-estimated",
        _ => "first-principles",
    };
}
