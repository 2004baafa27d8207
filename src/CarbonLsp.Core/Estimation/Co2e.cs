namespace CarbonLsp.Core.Estimation;

/// <summary>Carbon from energy, in one place: grams CO2e = kWh × PUE × grid intensity (g CO2e per kWh).</summary>
public static class Co2e
{
    public static double Grams(double wh, double pue, double gramsPerKWh) => wh / 1000 * pue * gramsPerKWh;
}
