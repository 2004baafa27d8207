using Newtonsoft.Json;

namespace CarbonLsp.Reports;

public static class JsonReport
{
    public static string Render(IReadOnlyList<FileReport> files) =>
        JsonConvert.SerializeObject(new ReportRoot(files) { Total = Total(files) }, Formatting.Indented);

    /// <summary>The sum over the files: low, mid and high each added up (rounded as each file's are).</summary>
    public static GrandTotalReport Total(IReadOnlyList<FileReport> files)
    {
        RangeValue Sum(Func<FileReport, RangeValue> of) => new(
            Math.Round(files.Sum(f => of(f).Low), 6), Math.Round(files.Sum(f => of(f).Mid), 6), Math.Round(files.Sum(f => of(f).High), 6));
        return new GrandTotalReport(files.Count, files.Sum(f => f.Totals.Prompts), files.Sum(f => f.Totals.Images), Sum(f => f.Totals.EnergyWh), Sum(f => f.Totals.Co2eGrams));
    }
}
