using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>The estimator's constants, each with its source in the catalog. The device model's own
/// parameters are not here: they are fitted to the catalog's published measurements when the estimator
/// is built (<see cref="Estimation.EstimatorFit"/>); these are the priors and settings of that fit.</summary>
public sealed class EstimatorConstants
{
    [JsonProperty("psuEfficiency")] public double PsuEfficiency { get; init; }
    [JsonProperty("pixelExponent")] public Dictionary<string, double> PixelExponent { get; init; } = new();
    [JsonProperty("priors")] public EstimatorPriors Priors { get; init; } = new();
    [JsonProperty("fit")] public FitSettings Fit { get; init; } = new();
    [JsonProperty("uncertainty")] public UncertaintyWidths Uncertainty { get; init; } = new();
    [JsonProperty("precisions")] public Dictionary<Precision, PrecisionSpec> Precisions { get; init; } = new();
    /// <summary>The device model fitted to this catalog's measurements, stored so that starting needs no fit.</summary>
    [JsonProperty("fitted")] public Estimation.StoredFit? Fitted { get; init; }
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}

/// <summary>What the device model assumes where no measurement says otherwise.</summary>
public sealed class EstimatorPriors
{
    /// <summary>Fraction of peak reached by devices whose vendor has no published diffusion measurement.</summary>
    [JsonProperty("utilisation")] public Dictionary<string, double> Utilisation { get; init; } = new();
    /// <summary>The most of its peak an NVIDIA GPU is assumed to reach where the fitted trend would promise more.</summary>
    [JsonProperty("maxUtilisation")] public double MaxUtilisation { get; init; }
    /// <summary>A CPU's package power above idle while it computes, as a fraction of its TDP.</summary>
    [JsonProperty("cpuPowerFraction")] public double CpuPowerFraction { get; init; }
    /// <summary>An Apple chip's power while its GPU computes, as a fraction of the catalog's package power.</summary>
    [JsonProperty("applePowerFraction")] public double ApplePowerFraction { get; init; }
}

/// <summary>How strongly the fit pulls per-generation and per-model adjustments towards none.</summary>
public sealed class FitSettings
{
    [JsonProperty("generationShrinkage")] public double GenerationShrinkage { get; init; }
    [JsonProperty("modelShrinkage")] public double ModelShrinkage { get; init; }
    [JsonProperty("timeWeight")] public double TimeWeight { get; init; }
}

/// <summary>Relative half-widths of the low-high range, from the cross-validation residuals
/// (docs/footprint.md): how far a published value lies from its prediction when it took no part in the fit.</summary>
public sealed class UncertaintyWidths
{
    /// <summary>The model has published measurements and so has the device's generation.</summary>
    [JsonProperty("measured")] public double Measured { get; init; }
    /// <summary>The model has measurements; the device's generation has published speed but no energy
    /// (its time is fitted, its power follows the trend).</summary>
    [JsonProperty("timedDevice")] public double TimedDevice { get; init; }
    /// <summary>The model has measurements, the device's generation none (its throughput follows the fitted trend).</summary>
    [JsonProperty("otherDevice")] public double OtherDevice { get; init; }
    /// <summary>No measurement of the model: its architecture's median efficiency.</summary>
    [JsonProperty("otherModel")] public double OtherModel { get; init; }
    /// <summary>Devices no diffusion measurement covers at all (Apple, AMD, Intel): priors only.</summary>
    [JsonProperty("unmeasuredVendor")] public double UnmeasuredVendor { get; init; }
    /// <summary>A generic device class standing in for a name the catalog does not know.</summary>
    [JsonProperty("genericDevice")] public double GenericDevice { get; init; }
    /// <summary>A model priced as a stand-in of its family (inferred from the name): at least this.</summary>
    [JsonProperty("standIn")] public double StandIn { get; init; }
    /// <summary>A model name with no clue at all: priced as the catalog's stand-in, at least this wide.</summary>
    [JsonProperty("unknownModel")] public double UnknownModel { get; init; }
    [JsonProperty("host")] public double Host { get; init; }
    [JsonProperty("locallyMeasured")] public double LocallyMeasured { get; init; }
}

/// <summary>A numeric format and what it does to the compute time of a step, from a cited benchmark.</summary>
public sealed class PrecisionSpec
{
    [JsonProperty("name")] public string Name { get; init; } = "";
    /// <summary>Compute time relative to fp16/bf16 (weight-only formats dequantise, so often above 1).</summary>
    [JsonProperty("timeFactor")] public double TimeFactor { get; init; } = 1;
    /// <summary>What the device needs to run the format fast (fp8 tensor cores, Blackwell's fp4, a GPU); none by default.</summary>
    [JsonProperty("requires")] public PrecisionRequirement Requires { get; init; }
    [JsonProperty("note")] public string Note { get; init; } = "";
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}

public sealed class EquivalentConstants
{
    [JsonProperty("gramsCo2ePerMileDriven")] public double GramsCo2ePerMileDriven { get; init; }
    [JsonProperty("kWhPerSmartphoneCharge")] public double KWhPerSmartphoneCharge { get; init; }
    [JsonProperty("whPerLedBulbHour")] public double WhPerLedBulbHour { get; init; }
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}

public sealed class RatingConstants
{
    [JsonProperty("thresholdsWh")] public List<double> ThresholdsWh { get; init; } = new();
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}

public sealed class CatalogDefaults
{
    [JsonProperty("model")] public string Model { get; init; } = "";
    [JsonProperty("device")] public string Device { get; init; } = "";
    [JsonProperty("region")] public string Region { get; init; } = "WORLD";
    /// <summary>PUE of a personal computer or workstation: no facility overhead.</summary>
    [JsonProperty("pue")] public double Pue { get; init; } = 1;
    /// <summary>PUE assumed for a data-centre device when no one says.</summary>
    [JsonProperty("dataCentrePue")] public double DataCentrePue { get; init; } = 1;
    [JsonProperty("precision")] public Precision Precision { get; init; } = Precision.Fp16;
    /// <summary>The catalog model priced for a name that gives no clue (with the widest range).</summary>
    [JsonProperty("unknownModelStandIn")] public string UnknownModelStandIn { get; init; } = "sd15";
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();

    public double PueFor(DeviceSpec device) => device.IsDataCentre ? DataCentrePue : Pue;
}
