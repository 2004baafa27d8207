using System.Globalization;
using System.Text.RegularExpressions;
using CarbonLsp.Ledger;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Cli.Tests;

/// <summary>Issue 22: `carbonlsp report` and "what the product saved" from the command line, and the report's
/// bad input: no prompt files, no ledger, thousands of runs, images missing or outside the workspace, markup in
/// a prompt. (The page in a real browser: tests/e2e/report, run by the end-to-end tests.)</summary>
public sealed class ReportCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carbonlsp-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Wasteful = """{ "device": "nvidia-rtx-4090", "region": "FR", "prompts": [ { "id": "hero", "prompt": "a lighthouse at dusk", "model": "stabilityai/stable-diffusion-xl-base-1.0", "steps": 80 } ] }""";

    private string Report(params string[] args)
    {
        var r = CarbonLspProcess.Run(_dir, new[] { "report", "--out", "r.html" }.Concat(args).ToArray());
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("wrote r.html", r.Stderr);
        return File.ReadAllText(Path.Combine(_dir, "r.html"));
    }

    private static double Attr(string html, string element, string name)
    {
        var m = Regex.Match(html, $"<{element}[^>]*\\b{name}=\"([^\"]+)\"");
        Assert.True(m.Success, $"no {name} on {element}");
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void A_folder_without_prompt_files_gives_a_report_whose_sections_say_so()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var r = CarbonLspProcess.Run(_dir, "report", "empty", "--out", "r.html");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("empty: no *.prompts.json in this folder or below it.", r.Stderr);
        Assert.Contains("no image has been generated in this workspace yet", r.Stderr);
        var html = File.ReadAllText(Path.Combine(_dir, "r.html"));
        Assert.Contains("No prompt files (*.prompts.json) were found", html);
        Assert.Contains("no *.prompts.json in this folder", html);                   // in "Problems met" too
        Assert.Contains("No ledger: no image has been generated in this workspace yet.", html);
        Assert.Contains("No generated images yet.", html);
        Assert.DoesNotContain("data-chart", html);                                    // no empty charts
    }

    [Fact]
    public void An_output_that_cannot_be_written_is_one_clear_line_not_an_internal_error()
    {
        var folder = CarbonLspProcess.Run(_dir, "report", "--out", _dir);
        Assert.Equal(2, folder.ExitCode);
        Assert.Contains("is a folder; name the HTML file to write", folder.Stderr);
        File.WriteAllText(Path.Combine(_dir, "file"), "");
        var under = CarbonLspProcess.Run(_dir, "report", "--out", Path.Combine(_dir, "file", "r.html"));
        Assert.Equal(1, under.ExitCode);
        Assert.Contains("the report could not be written", under.Stderr);
        Assert.DoesNotContain("internal error", under.Stderr + folder.Stderr);
    }

    [Fact]
    public void The_totals_in_the_page_are_the_json_reports()
    {
        foreach (var f in new[] { "campaign.prompts.json", "tiny.prompts.json" })
            File.Copy(Path.Combine(CarbonLspProcess.RepoRoot, "examples", f), Path.Combine(_dir, f));
        var json = JObject.Parse(CarbonLspProcess.Run(_dir, "estimate", ".", "--format", "json").Stdout);
        var html = Report();
        var total = json["total"]!;
        Assert.Equal((double)total["energyWh"]!["mid"]!, Attr(html, "section id=\"totals\"", "data-energy-mid"));
        Assert.Equal((double)total["co2eGrams"]!["high"]!, Attr(html, "section id=\"totals\"", "data-co2-high"));
        Assert.Equal((int)total["images"]!, (int)Attr(html, "section id=\"totals\"", "data-images"));
        var fixes = json["files"]!.Sum(f => (double)f["preferredFixes"]!["savingWh"]!);
        Assert.True(fixes > 0);
        Assert.Equal(fixes, Attr(html, "section id=\"fixes\"", "data-saving-wh"), 9);
        foreach (var id in new[] { "co2-by-prompt", "energy-by-model" }) Assert.Contains($"<figure data-chart=\"{id}\"", html);
        Assert.Equal(2, Regex.Matches(html, "<svg role=\"img\"").Count);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("default-src 'none'", html);                                  // nothing may be fetched when it is opened
    }

    [Fact]
    public void Check_fix_records_its_saving_and_ledger_and_report_show_what_was_saved_this_month()
    {
        File.WriteAllText(Path.Combine(_dir, "w.prompts.json"), Wasteful);
        var fix = CarbonLspProcess.Run(_dir, "check", "--fix", "w.prompts.json");
        Assert.Contains("saves ≈", fix.Stderr);
        Assert.True(File.Exists(Path.Combine(_dir, ".carbonlsp", "ledger.db")));
        var ledger = JObject.Parse(CarbonLspProcess.Run(_dir, "ledger", "--format", "json").Stdout);
        var month = ledger["savedThisMonth"]!;
        Assert.True((int)month["fixes"]! >= 1);
        Assert.Equal(0, (int)month["reuses"]!);
        var fixes = (JArray)ledger["fixes"]!;
        Assert.Equal("check --fix", (string)fixes[0]!["where"]!);
        Assert.Equal("hero", (string)fixes[0]!["prompt"]!);
        Assert.Equal("w.prompts.json", (string)fixes[0]!["file"]!);
        var wh = fixes.Sum(x => (double)x["energyWh"]!);
        Assert.Equal(wh, (double)month["energyWh"]!, 9);
        Assert.Equal(fixes.Sum(x => (double)x["energyWh"]! / 1000 * 56), (double)month["co2eGrams"]!, 5);   // FR's annual average, PUE 1
        Assert.Matches(@"Saved this month: [\d.]+ Wh, [\d.]+ g CO2e \(\d+ fix(es)?, 0 reuses\)\.", CarbonLspProcess.Run(_dir, "ledger").Stdout);

        var html = Report();
        Assert.Equal(fixes.Count, (int)Attr(html, "div class=\"card saved\"", "data-fixes"));
        Assert.Equal(wh, Attr(html, "div class=\"card saved\"", "data-saved-wh"), 9);
        // The file is fixed now: nothing left to save.
        Assert.Contains("Nothing to fix", html);
    }

    [Fact]
    public void Thousands_of_runs_keep_the_report_small_and_images_that_cannot_be_shown_are_named()
    {
        var file = Path.Combine(_dir, "t.prompts.json");
        File.WriteAllText(file, """{ "device": "cpu", "region": "FR", "prompts": [ { "id": "a", "prompt": "a red circle on a blue background", "model": "carbon-tiny", "steps": 2, "seed": 1 } ] }""");
        Assert.Equal(0, CarbonLspProcess.Run(_dir, "generate", file).ExitCode);
        var outside = Path.Combine(Path.GetTempPath(), $"carbonlsp-outside-{Guid.NewGuid():N}.png");
        File.Copy(Directory.GetFiles(Path.Combine(_dir, "generated"), "*.png")[0], outside);
        try
        {
            using (var ledger = new RunLedger(Path.Combine(_dir, ".carbonlsp", "ledger.db")))
            {
                var start = DateTime.UtcNow.AddDays(-90);
                for (var i = 0; i < 3000; i++)
                    ledger.Add(new RunRecord
                    {
                        Utc = start.AddMinutes(i * 40), Prompt = i == 2999 ? "<script>alert('x')</script> & <b>bold</b>" : $"prompt {i}", ModelId = "carbon-tiny", Device = "cpu",
                        EnergyJoules = 3.6 * (1 + i % 7), EstimatedWh = 0.001 * (1 + i % 5), EnergyIsEstimate = i % 2 == 0, Co2eGrams = 0.0001 * i, IntensityGramsPerKWh = 56,
                        OutputPath = i == 2998 ? outside : Path.Combine(_dir, "generated", $"gone-{i}.png"), RequestKey = $"k{i}",
                    });
            }
            var html = Report();
            Assert.True(html.Length < 1_000_000, $"{html.Length} characters");
            Assert.Single(Regex.Matches(html, "data:image/jpeg;base64,"));  // the one image on disk, as a thumbnail
            Assert.Contains("The latest 60 of 3001 images, as thumbnails.", html);
            Assert.Contains("The latest 50 of 3001 runs", html);
            Assert.Contains("Energy per day", html);                                 // the chart sums per day beyond 300 runs
            Assert.Contains("outside the workspace: not read", html);
            Assert.Contains("missing on disk", html);
            Assert.Equal(59, (int)Attr(html, "p class=\"note\"", "data-missing"));
            Assert.DoesNotContain("<script>alert", html);
            Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;", html);
        }
        finally { File.Delete(outside); }
    }
}
