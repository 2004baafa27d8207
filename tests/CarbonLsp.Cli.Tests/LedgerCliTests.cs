using System.Globalization;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Cli.Tests;

/// <summary>Issue 22: `carbonlsp ledger` reads a workspace's run history as a table, JSON or CSV, and exports
/// CodeCarbon's emissions.csv, checked column by column against CodeCarbon's documented header.</summary>
public sealed class LedgerCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carbonlsp-ledger-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>CodeCarbon 2.x's emissions.csv header (docs.codecarbon.io, "Output"), in its order.</summary>
    private const string CodeCarbonHeader = "timestamp,project_name,run_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,cpu_energy,gpu_energy,ram_energy," +
        "energy_consumed,country_name,country_iso_code,region,cloud_provider,cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model," +
        "longitude,latitude,ram_total_size,tracking_mode,on_cloud,pue";

    [Fact]
    public void An_empty_workspace_says_there_is_no_ledger_and_exports_only_the_header()
    {
        var r = CarbonLspProcess.Run(_dir, "ledger");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("no image has been generated in this workspace yet", r.Stderr);
        var cc = CarbonLspProcess.Run(_dir, "ledger", "--export", "codecarbon");
        Assert.Equal(CodeCarbonHeader, cc.Stdout.Trim());
    }

    [Fact]
    public void Runs_are_listed_and_exported_with_the_same_figures()
    {
        var file = Path.Combine(_dir, "t.prompts.json");
        File.WriteAllText(file, """{ "device": "cpu", "region": "FR", "prompts": [ { "id": "a", "prompt": "a red circle on a blue background", "model": "carbon-tiny", "steps": 2, "seed": 1 }, { "id": "b", "prompt": "a green square", "model": "carbon-tiny", "steps": 2, "seed": 2 } ] }""");
        Assert.Equal(0, CarbonLspProcess.Run(_dir, "generate", file).ExitCode);
        Assert.Equal(0, CarbonLspProcess.Run(_dir, "generate", file).ExitCode);   // identical: reused, recorded as such (no energy)
        var json = JObject.Parse(CarbonLspProcess.Run(_dir, "ledger", "--format", "json").Stdout);
        var all = (JArray)json["runs"]!;
        Assert.Equal(4, all.Count);
        Assert.Equal(2, (int)json["totals"]!["Generated"]!);
        Assert.Equal(2, (int)json["totals"]!["Reused"]!);
        var runs = new JArray(all.Where(r => !(bool)r["reused"]!));
        // What the reuses avoided: the energy and CO2e of the runs they stood in for, this month.
        Assert.Equal(2, (int)json["savedThisMonth"]!["reuses"]!);
        Assert.Equal(runs.Sum(r => (double)r["energyWh"]!), (double)json["savedThisMonth"]!["reuseWh"]!, 12);
        Assert.Equal(runs.Sum(r => (double)r["co2eGrams"]!), (double)json["savedThisMonth"]!["reuseGrams"]!, 12);
        Assert.True(all.Where(r => (bool)r["reused"]!).All(r => (double)r["energyWh"]! == 0 && (double)r["co2eGrams"]! == 0));
        var cc = CarbonLspProcess.Run(_dir, "ledger", "--export", "codecarbon").Stdout.Trim().Split('\n');
        Assert.Equal(CodeCarbonHeader, cc[0]);
        Assert.Equal(3, cc.Length);
        var columns = cc[0].Split(',');
        foreach (var line in cc.Skip(1))
        {
            var values = line.Split(',');
            Assert.Equal(columns.Length, values.Length);
            string V(string column) => values[Array.IndexOf(columns, column)];
            var run = runs.Single(x => (string)x["id"]! == V("run_id"));
            Assert.Equal((double)run["co2eGrams"]! / 1000, double.Parse(V("emissions"), CultureInfo.InvariantCulture), 12);        // kg
            Assert.Equal((double)run["energyWh"]! / 1000, double.Parse(V("energy_consumed"), CultureInfo.InvariantCulture), 12);   // kWh
            Assert.Equal(V("energy_consumed"), V("cpu_energy"));                   // a CPU run (CPU-time estimate)
            Assert.Equal("carbonlsp", V("project_name"));
            Assert.True(DateTime.TryParseExact(V("timestamp"), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            Assert.True(double.Parse(V("duration"), CultureInfo.InvariantCulture) > 0);
            Assert.True(double.Parse(V("pue"), CultureInfo.InvariantCulture) >= 1);
        }
        var table = CarbonLspProcess.Run(_dir, "ledger");
        Assert.Contains("4 runs (2 generated, 2 reused)", table.Stdout);
        Assert.Matches(@"Saved this month: [\d.]+ Wh, [\d.]+ g CO2e \(0 fixes, 2 reuses\)", table.Stdout);
        var csv = CarbonLspProcess.Run(_dir, "ledger", "--format", "csv").Stdout.Trim().Split('\n');
        Assert.Equal(5, csv.Length);
        Assert.Equal(0, CarbonLspProcess.Run(_dir, "ledger", "--since", "2099-01-01", "--format", "json").ExitCode);
        Assert.Equal(2, CarbonLspProcess.Run(_dir, "ledger", "--since", "yesterday").ExitCode);
    }
}
