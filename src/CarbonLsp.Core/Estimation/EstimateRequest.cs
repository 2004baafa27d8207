using CarbonLsp.Core.Catalog;

namespace CarbonLsp.Core.Estimation;

/// <summary>Everything the estimator needs for one prompt. <c>StandIn</c> says when the model stands in
/// for one the catalog does not know (its family, inferred from the name, or nothing at all): the
/// estimate is then labelled first-principles with a wide range.</summary>
public readonly record struct EstimateRequest(
    ModelSpec Model,
    DeviceSpec Device,
    int Steps,
    int Width,
    int Height,
    double Guidance,
    Precision Precision,
    int Images = 1,
    int Batch = 1,
    StandInKind StandIn = StandInKind.None)
{
    public bool UsesCfg => Guidance > 1 && !Model.GuidanceEmbedded;
}

/// <summary>Energy measured locally for a model on a device (from the ledger): the median ratio of
/// measured accelerator energy to the first-principles estimate of the same runs. Later estimates for
/// the pair are the first-principles value times this ratio, so they keep scaling with steps, size and
/// guidance while their level comes from measurement.</summary>
public sealed record LocalCalibration(string ModelId, string DeviceId, int Runs, double MeasuredOverEstimate, double MeanRelativeError, double MeanMeasuredWh);

/// <summary>Where measured energy comes from; the core only reads it (the ledger lives outside).</summary>
public interface ICalibrationSource
{
    LocalCalibration? Find(string modelId, string deviceId);
    /// <summary>Changes whenever a new measurement arrives, so cached estimates are recomputed.</summary>
    long Version { get; }
}

/// <summary>Whether the model of a request is the one named, or stands in for it.</summary>
public enum StandInKind { None, Family, Unknown }
