using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Estimation;

/// <summary>Everything the estimator needs for one prompt.</summary>
public sealed record EstimateRequest(
    ModelSpec Model,
    DeviceSpec Device,
    int Steps,
    int Width,
    int Height,
    double Guidance,
    string Precision,
    int Images = 1,
    int Batch = 1)
{
    public bool UsesCfg => Guidance > 1 && !Model.GuidanceEmbedded;
}

/// <summary>Energy measured locally for a model on a device (from the ledger), used in place of the
/// first-principles estimate for that pair. Wh per denoiser step and per image of fixed cost, at a
/// reference resolution; the estimator scales them with the same laws it uses for everything else.</summary>
public sealed record LocalCalibration(string ModelId, string DeviceId, int Runs, double WhPerPassAtReference, double FixedWhAtReference,
    long ReferencePixels, double MeanRelativeError);

/// <summary>Where measured energy comes from; the core only reads it (the ledger lives outside).</summary>
public interface ICalibrationSource
{
    LocalCalibration? Find(string modelId, string deviceId);
    /// <summary>Changes whenever a new measurement arrives, so cached estimates are recomputed.</summary>
    long Version { get; }
}
