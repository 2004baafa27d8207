using System.Globalization;

namespace CarbonLsp.Core.Estimation;

/// <summary>Human-readable quantities with sensible precision (three significant figures).</summary>
public static class Units
{
    private static readonly string[] s_formats = Enumerable.Range(0, 8).Select(d => "F" + d).ToArray();

    private static string Sig(double v)
    {
        if (v == 0) return "0";
        var abs = Math.Abs(v);
        var digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.Min(6, 2 - (int)Math.Floor(Math.Log10(abs)));
        return v.ToString(s_formats[digits], CultureInfo.InvariantCulture);
    }

    public static string Wh(double wh) => Math.Abs(wh) >= 1000 ? Sig(wh / 1000) + " kWh" : Sig(wh) + " Wh";
    public static string Grams(double g) => Math.Abs(g) >= 1000 ? Sig(g / 1000) + " kg" : Sig(g) + " g";
    public static string Number(double v) => Sig(v);
    public static string RangeWh(EnergyRange r) => $"{Wh(r.Mid)} ({Sig(r.Low)}–{Wh(r.High)})";
    public static string RangeGrams(EnergyRange r) => $"{Grams(r.Mid)} ({Sig(r.Low)}–{Grams(r.High)})";

    /// <summary>"1 step", "4 steps", "2 fixes": a count and its noun (regular plurals only).</summary>
    public static string Count(int n, string noun) => n == 1 ? $"1 {noun}"
        : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(noun.EndsWith('x') || noun.EndsWith('s') || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal) ? "es" : "s")}";
}
