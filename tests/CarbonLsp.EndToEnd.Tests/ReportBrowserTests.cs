namespace CarbonLsp.EndToEnd.Tests;

/// <summary>Issue 22: the HTML report in a real browser (headless Debian chromium through playwright-core,
/// tests/e2e/report/report.mjs): a workspace with prompt files, four generated images (one then deleted), and a
/// fix applied by `check --fix`; the page must make no request and log no error, draw every chart and show
/// the JSON report's figures; then a phone's width and print. Screenshots: artifacts/e2e/report.</summary>
public class ReportBrowserTests
{
    [SkippableFact]
    public void The_report_in_chromium_shows_the_json_reports_figures_with_every_chart_and_no_error()
    {
        var node = Clients.Which("node");
        var chromium = Clients.Which("chromium");
        var playwright = Path.Combine(Clients.RepoRoot, "tests", "e2e", "vscode", "node_modules", "playwright-core", "package.json");
        Clients.RequireClient(node == null ? "node is not on PATH (install Node 20)"
            : !File.Exists(playwright) ? "playwright-core is not installed: run tests/e2e/vscode/install.sh"
            : chromium == null ? "chromium is not on PATH (apt-get install -y chromium)" : null);
        using var f = new Clients.Fixture("tiny.prompts.json");
        File.Copy(Path.Combine(Clients.RepoRoot, "examples", "campaign.prompts.json"), Path.Combine(f.Dir, "campaign.prompts.json"));
        File.WriteAllText(Path.Combine(f.Dir, "fixed.prompts.json"),
            """{ "device": "nvidia-rtx-4090", "region": "FR", "prompts": [ { "id": "wide", "prompt": "a lighthouse at dusk", "model": "stabilityai/stable-diffusion-xl-base-1.0", "steps": 80 } ] }""");
        Clients.Result Carbonlsp(params string[] args)
        {
            var r = Clients.Run("dotnet", new[] { Clients.ServerDll }.Concat(args), f.Dir, timeout: TimeSpan.FromSeconds(120));
            Assert.True(r.ExitCode == 0, r.ToString());
            return r;
        }
        Carbonlsp("generate", f.File);
        File.Delete(Directory.GetFiles(Path.Combine(f.Dir, "generated"), "*.png").Order(StringComparer.Ordinal).First());
        Carbonlsp("check", "--fix", "fixed.prompts.json");
        var json = Path.Combine(f.Dir, "estimate.json");
        File.WriteAllText(json, Carbonlsp("estimate", ".", "--format", "json").Stdout);
        var html = Path.Combine(f.Dir, "report.html");
        Carbonlsp("report", ".", "--out", html);
        Assert.Contains("data-missing=\"1\"", File.ReadAllText(html));

        var r = Clients.Run(node!, new[] { Path.Combine(Clients.RepoRoot, "tests", "e2e", "report", "report.mjs") }, f.Dir, new Dictionary<string, string>
        {
            ["REPORT_HTML"] = html, ["REPORT_JSON"] = json, ["CHROMIUM"] = chromium!, ["REPORT_IMAGES"] = "3",
            ["REPORT_CHARTS"] = "co2-by-prompt,energy-by-model,runs-over-time",
            ["REPORT_SHOTS"] = Path.Combine(Clients.RepoRoot, "artifacts", "e2e", "report"),
        }, TimeSpan.FromSeconds(120));
        if (r.ExitCode == 4 && r.Stdout.Contains("MISSING"))
            Clients.RequireClient(r.Stdout.Split('\n').First(l => l.StartsWith("MISSING")).Trim());
        Clients.AssertPassed(r, "open", "no-errors-no-requests", "charts", "thumbnails", "figures-equal-json", "screenshot", "phone", "print");
    }
}
