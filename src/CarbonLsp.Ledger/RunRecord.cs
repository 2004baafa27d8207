using LiteDB;

namespace CarbonLsp.Ledger;

/// <summary>One generated image: the request, the model and machine, time per phase, the energy and
/// how it was obtained, the carbon, and where the image is.</summary>
public sealed class RunRecord
{
    [BsonId] public Guid Id { get; set; } = Guid.NewGuid();
    public DateTime Utc { get; set; } = DateTime.UtcNow;
    /// <summary>Hash of everything that decides the image (model fingerprint included): equal keys, equal pictures.</summary>
    public string RequestKey { get; set; } = "";
    public string Prompt { get; set; } = "";
    public string NegativePrompt { get; set; } = "";
    public string ModelId { get; set; } = "";
    public string ModelPath { get; set; } = "";
    public string ModelHash { get; set; } = "";
    /// <summary>Catalog device id the energy is attributed to (cpu, nvidia-rtx-4090, …).</summary>
    public string Device { get; set; } = "";
    public string ExecutionProvider { get; set; } = "";
    public int Steps { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public double Guidance { get; set; }
    public string Scheduler { get; set; } = "";
    public long Seed { get; set; }
    public int UnetCalls { get; set; }
    public double LoadSeconds { get; set; }
    public double TextSeconds { get; set; }
    public double DenoiseSeconds { get; set; }
    public double DecodeSeconds { get; set; }
    public double EnergyJoules { get; set; }
    public string EnergyMethod { get; set; } = "";
    public bool EnergyIsEstimate { get; set; }
    public string EnergyDetail { get; set; } = "";
    /// <summary>The first-principles accelerator estimate for the same settings, Wh: calibration compares against it.</summary>
    public double EstimatedWh { get; set; }
    public double IntensityGramsPerKWh { get; set; }
    /// <summary>Which figure the CO2e used: "annual-average", "live" or "forecast" (issue 21), so totals say what they rest on.</summary>
    public string IntensityKind { get; set; } = "annual-average";
    /// <summary>Where it came from ("Electricity Maps, DE, 14:05Z"); never a credential.</summary>
    public string IntensitySource { get; set; } = "";
    public double Co2eGrams { get; set; }
    public string OutputPath { get; set; } = "";
    public string ImageSha256 { get; set; } = "";
    public long PeakMemoryBytes { get; set; }
    public bool Reused { get; set; }

    public double EnergyWh => EnergyJoules / 3600.0;
}
