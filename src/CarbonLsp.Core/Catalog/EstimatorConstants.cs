using Newtonsoft.Json;

namespace CarbonLsp.Core.Catalog;

/// <summary>The estimator's global constants, each with its source in the catalog.</summary>
public sealed class EstimatorConstants
{
    [JsonProperty("utilisation")] public Dictionary<string, UtilisationCurve> Utilisation { get; init; } = new();
    [JsonProperty("activePowerFraction")] public double ActivePowerFraction { get; init; }
    [JsonProperty("psuEfficiency")] public double PsuEfficiency { get; init; }
    [JsonProperty("pixelExponent")] public Dictionary<string, double> PixelExponent { get; init; } = new();
    [JsonProperty("uncertainty")] public UncertaintyWidths Uncertainty { get; init; } = new();
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}

/// <summary>Fraction of peak throughput reached as a function of the work per denoiser call:
/// small calls leave the accelerator under-used. u(w) = Max * w / (w + HalfWorkTflops).</summary>
public sealed class UtilisationCurve
{
    [JsonProperty("max")] public double Max { get; init; }
    [JsonProperty("halfWorkTflops")] public double HalfWorkTflops { get; init; }
    public double At(double workTflops) => workTflops <= 0 ? Max : Max * workTflops / (workTflops + HalfWorkTflops);
}

/// <summary>Relative half-widths of the low-high range for each kind of estimate.</summary>
public sealed class UncertaintyWidths
{
    [JsonProperty("calibrated")] public double Calibrated { get; init; }
    [JsonProperty("uncalibrated")] public double Uncalibrated { get; init; }
    [JsonProperty("otherDevice")] public double OtherDevice { get; init; }
    [JsonProperty("host")] public double Host { get; init; }
    [JsonProperty("locallyMeasured")] public double LocallyMeasured { get; init; }
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
    [JsonProperty("pue")] public double Pue { get; init; } = 1;
    [JsonProperty("precision")] public string Precision { get; init; } = "fp16";
    [JsonProperty("sources")] public Dictionary<string, string> Sources { get; init; } = new();
}
