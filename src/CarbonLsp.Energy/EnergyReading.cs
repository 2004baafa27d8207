namespace CarbonLsp.Energy;

/// <summary>Energy a run used. <see cref="IsEstimate"/> is true unless a hardware counter or power
/// sensor produced it; "measured" is said only of a measurement.</summary>
public sealed record EnergyReading(double Joules, string Method, bool IsEstimate, TimeSpan Wall, string Detail)
{
    public double WattHours => Joules / 3600.0;
}

/// <summary>A meter that can measure one run.</summary>
public interface IEnergyMeter
{
    /// <summary>"nvml", "rapl" or "estimate-cpu-time".</summary>
    string Method { get; }
    bool IsEstimate { get; }
    IEnergySession Start();
}

/// <summary>A run being measured; <see cref="JoulesSoFar"/> for progress reports.</summary>
public interface IEnergySession : IDisposable
{
    double JoulesSoFar { get; }
    EnergyReading Stop();
}
