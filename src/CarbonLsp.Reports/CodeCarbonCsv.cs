using System.Globalization;
using System.Text;
using CarbonLsp.Ledger;

namespace CarbonLsp.Reports;

/// <summary>
/// The ledger's runs as CodeCarbon's <c>emissions.csv</c>, so its dashboard and scripts that read that file
/// read our runs (issue 22). The columns, their order and units are CodeCarbon 2.x's output file
/// (docs.codecarbon.io, "Output"; the header every emissions.csv of 2.x carries): duration in s, emissions in
/// kg CO2eq, emissions_rate in kg/s, powers in W, energies in kWh. A run's measured energy goes to the column
/// of what measured it (NVML: GPU; RAPL: CPU); a CPU-time estimate goes to CPU energy, as CodeCarbon's own
/// fallback does. What we do not know is left empty, never invented (the run's country is not in its record,
/// so the country columns are empty).
/// </summary>
public static class CodeCarbonCsv
{
    public static readonly string[] Columns =
    {
        "timestamp", "project_name", "run_id", "duration", "emissions", "emissions_rate", "cpu_power", "gpu_power", "ram_power",
        "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed", "country_name", "country_iso_code", "region", "cloud_provider",
        "cloud_region", "os", "python_version", "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude",
        "latitude", "ram_total_size", "tracking_mode", "on_cloud", "pue",
    };

    public static string Render(IEnumerable<RunRecord> runs)
    {
        var sb = new StringBuilder(string.Join(",", Columns)).Append('\n');
        foreach (var r in runs.Where(r => !r.Reused))
        {
            var duration = r.LoadSeconds + r.TextSeconds + r.DenoiseSeconds + r.DecodeSeconds;
            var kWh = r.EnergyWh / 1000;
            var kg = r.Co2eGrams / 1000;
            var gpu = r.EnergyMethod.Contains("nvml", StringComparison.OrdinalIgnoreCase);
            var pue = r.EnergyWh > 0 && r.IntensityGramsPerKWh > 0 ? r.Co2eGrams / (kWh * r.IntensityGramsPerKWh) : 1.0;
            string Num(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";
            var power = duration > 0 ? Num(r.EnergyJoules / duration) : "";
            var fields = new[]
            {
                r.Utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), "carbonlsp", r.Id.ToString(), Num(duration), Num(kg),
                duration > 0 ? Num(kg / duration) : "", gpu ? "" : power, gpu ? power : "", "",
                gpu ? "0" : Num(kWh), gpu ? Num(kWh) : "0", "0", Num(kWh), "", "", "", "", "",
                "", "", "", "", "", gpu ? "1" : "", gpu ? r.Device : "", "", "", "", "process", "N", Num(pue),
            };
            sb.Append(string.Join(",", fields.Select(Escape))).Append('\n');
        }
        return sb.ToString();
    }

    private static string Escape(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
