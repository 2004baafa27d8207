using Newtonsoft.Json;

namespace CarbonLsp.Reports;

public static class JsonReport
{
    public static string Render(IReadOnlyList<FileReport> files) =>
        JsonConvert.SerializeObject(new ReportRoot(files), Formatting.Indented);
}
