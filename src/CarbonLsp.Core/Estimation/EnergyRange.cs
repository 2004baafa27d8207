namespace CarbonLsp.Core.Estimation;

/// <summary>An estimate with its honest range: low ≤ mid ≤ high.</summary>
public readonly record struct EnergyRange(double Low, double Mid, double High)
{
    public static readonly EnergyRange Zero = new(0, 0, 0);

    /// <summary>A range around <paramref name="mid"/> with a relative half-width, symmetric in log space
    /// (×(1+w) up, ÷(1+w) down), so it never goes negative.</summary>
    public static EnergyRange Around(double mid, double relativeWidth) =>
        new(mid / (1 + relativeWidth), mid, mid * (1 + relativeWidth));

    public static EnergyRange operator +(EnergyRange a, EnergyRange b) => new(a.Low + b.Low, a.Mid + b.Mid, a.High + b.High);
    public static EnergyRange operator *(EnergyRange a, double k) => new(a.Low * k, a.Mid * k, a.High * k);
    public static EnergyRange operator /(EnergyRange a, double k) => new(a.Low / k, a.Mid / k, a.High / k);
}
