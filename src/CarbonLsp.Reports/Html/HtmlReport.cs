using System.Globalization;
using System.Net;
using System.Text;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Ledger;

namespace CarbonLsp.Reports.Html;

/// <summary>
/// `carbonlsp report`: one self-contained HTML file a team can pass around (issue 22). No script, no request
/// when opened (a Content-Security-Policy forbids any): styles inline, charts inline SVG, thumbnails as data
/// URIs. Every figure also sits in a data attribute with the number the JSON report has, so a test (and a
/// script) can check the page against `estimate --format json`. Sizes stay bounded whatever the ledger holds:
/// the latest <see cref="MaxRunRows"/> runs listed, <see cref="MaxThumbnails"/> thumbnails, charts per day
/// beyond a few hundred runs.
/// </summary>
public static class HtmlReport
{
    public const int MaxRunRows = 50;
    public const int MaxThumbnails = 60;
    public const int MaxBars = 15;

    public static string Render(HtmlReportData data)
    {
        var h = new StringBuilder(64 * 1024);
        var files = data.Files;
        var total = JsonReport.Total(files);
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
         .Append("<meta name=\"generator\" content=\"carbonlsp ").Append(E(data.ToolVersion)).Append("\">\n")
         .Append("<title>Footprint report: ").Append(E(Path.GetFileName(Path.TrimEndingDirectorySeparator(data.Workspace)))).Append("</title>\n")
         .Append("<style>").Append(Css.Value).Append("</style>\n</head>\n<body>\n<main>\n");
        h.Append("<h1>Footprint report</h1>\n<p class=\"meta\">")
         .Append(E(data.Workspace)).Append(" · ").Append(E(data.GeneratedUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append(" UTC · carbonlsp ").Append(E(data.ToolVersion)).Append("</p>\n");
        if (data.Notes.Count > 0)
        {
            h.Append("<div class=\"problems\" role=\"note\"><p><strong>Problems met</strong></p><ul>");
            foreach (var n in data.Notes) h.Append("<li>").Append(E(n)).Append("</li>");
            h.Append("</ul></div>\n");
        }
        Totals(h, data, total);
        SpentAndSaved(h, data);
        Charts(h, files);
        Fixes(h, files);
        Grid(h, files);
        Prompts(h, data);
        Runs(h, data);
        Gallery(h, data);
        h.Append("<h2>How these figures are made</h2>\n<p class=\"note\">Estimates come from the catalog's published measurements and device model; each ")
         .Append("range is the estimator's stated uncertainty, checked against measurements it was not fitted to. CO2e is energy × PUE × the grid figure shown. ")
         .Append("“Measured” is said only of runs a meter (NVML, RAPL) measured. Savings are the estimates of the fixes when they were applied ")
         .Append("(an undo is not subtracted) and, for a reused image, the energy of the run it stood in for.</p>\n");
        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static readonly Lazy<string> Css = new(() =>
    {
        using var s = typeof(HtmlReport).Assembly.GetManifestResourceStream("CarbonLsp.Reports.report.css")!;
        return new StreamReader(s).ReadToEnd();
    });

    private static void Totals(StringBuilder h, HtmlReportData data, GrandTotalReport t)
    {
        h.Append("<section id=\"totals\" data-files=\"").Append(t.Files).Append("\" data-prompts=\"").Append(t.Prompts).Append("\" data-images=\"").Append(t.Images).Append('"')
         .Append(Attrs("energy", t.EnergyWh)).Append(Attrs("co2", t.Co2eGrams)).Append(">\n<h2>Totals</h2>\n");
        if (t.Files == 0)
        {
            h.Append("<p class=\"empty\">No prompt files (*.prompts.json) were found, so there is nothing to estimate.</p>\n</section>\n");
            return;
        }
        h.Append("<div class=\"cards\">\n")
         .Append(Card("Energy", Units.Wh(t.EnergyWh.Mid), $"range {Units.Wh(t.EnergyWh.Low)} to {Units.Wh(t.EnergyWh.High)}"))
         .Append(Card("Carbon", Units.Grams(t.Co2eGrams.Mid) + " CO2e", $"range {Units.Grams(t.Co2eGrams.Low)} to {Units.Grams(t.Co2eGrams.High)}"))
         .Append(Card("Images", t.Images.ToString(CultureInfo.InvariantCulture), $"{Units.Count(t.Prompts, "prompt")} in {Units.Count(t.Files, "file")}"))
         .Append("</div>\n");
        var eq = data.Equivalents;
        h.Append("<p>That is about ").Append(E(Units.Number(eq.MilesDriven))).Append(" miles driven in an average car, ")
         .Append(E(Units.Number(eq.SmartphoneCharges))).Append(" smartphone charges, or a 10 W LED bulb for ")
         .Append(E(Units.Number(eq.LedBulbMinutes))).Append(" minutes (US EPA equivalents).</p>\n</section>\n");
    }

    private static void SpentAndSaved(StringBuilder h, HtmlReportData data)
    {
        h.Append("<section id=\"saved\">\n<h2>Spent and saved</h2>\n");
        if (data.Ledger is not { } ledger)
        {
            h.Append("<p class=\"empty\">").Append(E(data.LedgerNote ?? LedgerReader.NoLedger)).Append("</p>\n</section>\n");
            return;
        }
        var month = SavingsSummary.MonthStart(data.GeneratedUtc);
        var made = ledger.Runs.Where(r => !r.Reused && r.Utc >= month).ToList();
        var saved = ledger.SavedSince(month);
        var ever = ledger.SavedSince(null);
        h.Append("<div class=\"cards\">\n")
         .Append(Card("Spent this month", Units.Wh(made.Sum(r => r.EnergyWh)), $"{Units.Grams(made.Sum(r => r.Co2eGrams))} CO2e, {Units.Count(made.Count, "image")} generated", "spent"))
         .Append("<div class=\"card saved\" data-saved-wh=\"").Append(N(saved.EnergyWh)).Append("\" data-saved-g=\"").Append(N(saved.Co2eGrams))
         .Append("\" data-fixes=\"").Append(saved.Fixes).Append("\" data-reuses=\"").Append(saved.Reuses).Append("\"><div class=\"muted\">Saved this month</div><div class=\"big\">")
         .Append(E(Units.Wh(saved.EnergyWh))).Append("</div><div>").Append(E($"{Units.Grams(saved.Co2eGrams)} CO2e ({Units.Count(saved.Fixes, "fix")}, {Units.Count(saved.Reuses, "reuse")})")).Append("</div></div>\n")
         .Append(Card("Saved since the first run", Units.Wh(ever.EnergyWh), $"{Units.Grams(ever.Co2eGrams)} CO2e ({Units.Count(ever.Fixes, "fix")}, {Units.Count(ever.Reuses, "reuse")})"))
         .Append("</div>\n<p class=\"note\">Saved: the estimated saving of each quick fix applied in an editor or by <code>check --fix</code>, and the energy each reuse of an identical image did not spend.</p>\n</section>\n");
    }

    private static void Charts(StringBuilder h, IReadOnlyList<FileReport> files)
    {
        var prompts = files.SelectMany(f => f.Prompts.Select(p => (Label: files.Count > 1 ? $"{Path.GetFileName(f.Path)}: {p.Id}" : p.Id, p))).ToList();
        if (prompts.Count == 0) return;
        h.Append("<h2>Where the footprint is</h2>\n");
        var top = prompts.OrderByDescending(x => x.p.Co2eGrams.Mid).Take(MaxBars).ToList();
        var rest = prompts.Count - top.Count;
        Figure(h, "co2-by-prompt", $"CO2e by prompt{(rest > 0 ? $" (the {top.Count} largest of {prompts.Count})" : "")}, grams",
            () => ReportCharts.Bars(top.Select(x => (x.Label, x.p.Co2eGrams.Mid)).ToList(), "g CO2e", carbon: true),
            new[] { "prompt", "model", "g CO2e", "Wh" }, top.Select(x => new[] { x.Label, x.p.Model, Units.Grams(x.p.Co2eGrams.Mid), Units.Wh(x.p.EnergyWh.Mid) }));
        var models = prompts.GroupBy(x => x.p.Model).Select(g => (Label: g.Key, Wh: g.Sum(x => x.p.EnergyWh.Mid), G: g.Sum(x => x.p.Co2eGrams.Mid), Images: g.Sum(x => x.p.Settings.Images)))
            .OrderByDescending(x => x.Wh).Take(MaxBars).ToList();
        Figure(h, "energy-by-model", "Energy by model, Wh", () => ReportCharts.Bars(models.Select(m => (m.Label, m.Wh)).ToList(), "Wh", carbon: false),
            new[] { "model", "images", "Wh", "g CO2e" }, models.Select(m => new[] { m.Label, m.Images.ToString(CultureInfo.InvariantCulture), Units.Wh(m.Wh), Units.Grams(m.G) }));
    }

    private static void Fixes(StringBuilder h, IReadOnlyList<FileReport> files)
    {
        if (files.Count == 0) return;
        var wh = files.Sum(f => f.PreferredFixes.SavingWh);
        var g = files.Sum(f => f.PreferredFixes.SavingGrams);
        h.Append("<section id=\"fixes\" data-saving-wh=\"").Append(N(wh)).Append("\" data-saving-g=\"").Append(N(g)).Append("\">\n<h2>What the preferred fixes would save</h2>\n");
        if (files.All(f => f.PreferredFixes.Fixes.Count == 0))
        {
            h.Append("<p class=\"empty\">Nothing to fix: no prompt has a wasteful setting with a sure fix.</p>\n</section>\n");
            return;
        }
        h.Append("<p>Applying them (the editor's “Fix all”, or <code>carbonlsp check --fix</code>) saves about <strong>").Append(E(Units.Wh(wh))).Append("</strong> and <strong>")
         .Append(E(Units.Grams(g))).Append(" CO2e</strong>.</p>\n<div class=\"scroll\"><table><thead><tr><th>file</th><th>prompt</th><th>fix</th><th class=\"n\">saves Wh</th><th class=\"n\">saves CO2e</th></tr></thead><tbody>\n");
        foreach (var f in files)
            foreach (var x in f.PreferredFixes.Fixes)
                h.Append("<tr data-file=\"").Append(E(f.Path)).Append("\" data-saving-wh=\"").Append(N(x.SavingWh)).Append("\"><td>").Append(E(Path.GetFileName(f.Path))).Append("</td><td>").Append(E(x.Prompt ?? ""))
                 .Append("</td><td>").Append(E($"{x.Code}: {x.Title}")).Append("</td><td class=\"n\">").Append(E(Units.Wh(x.SavingWh))).Append("</td><td class=\"n\">").Append(E(Units.Grams(x.SavingGrams))).Append("</td></tr>\n");
        h.Append("</tbody></table></div>\n</section>\n");
    }

    private static void Grid(StringBuilder h, IReadOnlyList<FileReport> files)
    {
        if (files.Count == 0) return;
        h.Append("<section id=\"grid\">\n<h2>Grid intensity used</h2>\n<div class=\"scroll\"><table><thead><tr><th>file</th><th>zone</th><th class=\"n\">g CO2e/kWh</th><th>figure</th><th>source</th><th class=\"n\">PUE</th><th>device</th></tr></thead><tbody>\n");
        foreach (var f in files)
            h.Append("<tr data-file=\"").Append(E(f.Path)).Append("\" data-grid-zone=\"").Append(E(f.Grid.Zone)).Append("\" data-grid-intensity=\"").Append(N(f.Grid.GramsPerKWh))
             .Append("\" data-grid-kind=\"").Append(E(f.Grid.Kind)).Append("\"><td>").Append(E(Path.GetFileName(f.Path))).Append("</td><td>").Append(E(f.Grid.Zone)).Append("</td><td class=\"n\">")
             .Append(E(Units.Number(f.Grid.GramsPerKWh))).Append("</td><td>").Append(E(f.Grid.Kind.Replace('-', ' '))).Append("</td><td>").Append(E(f.Grid.Source)).Append("</td><td class=\"n\">")
             .Append(N(f.Pue)).Append("</td><td>").Append(E(f.Device)).Append("</td></tr>\n");
        h.Append("</tbody></table></div>\n</section>\n");
    }

    private static void Prompts(StringBuilder h, HtmlReportData data)
    {
        if (data.Files.Count == 0) return;
        h.Append("<section id=\"prompts\">\n<h2>Prompts</h2>\n");
        foreach (var f in data.Files)
        {
            h.Append("<h3>").Append(E(Relative(f.Path, data.Workspace))).Append("</h3>\n<p class=\"meta\" data-file-total=\"").Append(E(f.Path)).Append('"').Append(Attrs("energy", f.Totals.EnergyWh)).Append(Attrs("co2", f.Totals.Co2eGrams)).Append('>')
             .Append(E($"{Units.Count(f.Totals.Prompts, "prompt")}, {Units.Count(f.Totals.Images, "image")}: {Units.Wh(f.Totals.EnergyWh.Mid)}, {Units.Grams(f.Totals.Co2eGrams.Mid)} CO2e"));
            if (f.Totals.BudgetGrams is { } budget) h.Append(E($" · budget {Units.Grams(budget)} {(f.Totals.BudgetExceeded ? "exceeded" : "kept")}"));
            if (f.Errors.Count > 0) h.Append(E($" · {Units.Count(f.Errors.Count, "error")}: {f.Errors[0].Message}"));
            h.Append("</p>\n");
            if (f.Prompts.Count == 0) { h.Append("<p class=\"empty\">No prompts in this file.</p>\n"); continue; }
            h.Append("<div class=\"scroll\"><table><thead><tr><th>prompt</th><th>model</th><th class=\"n\">steps</th><th class=\"n\">size</th><th class=\"n\">images</th><th class=\"n\">energy</th><th class=\"n\">CO2e</th><th>rating</th><th>basis</th></tr></thead><tbody>\n");
            foreach (var p in f.Prompts)
                h.Append("<tr data-file=\"").Append(E(f.Path)).Append("\" data-prompt=\"").Append(p.Index).Append('"').Append(Attrs("energy", p.EnergyWh)).Append(Attrs("co2", p.Co2eGrams)).Append("><td>").Append(E(p.Id))
                 .Append("</td><td>").Append(E(p.Model)).Append("</td><td class=\"n\">").Append(p.Settings.Steps).Append("</td><td class=\"n\">").Append(p.Settings.Width).Append('×').Append(p.Settings.Height)
                 .Append("</td><td class=\"n\">").Append(p.Settings.Images).Append("</td><td class=\"n\">").Append(E(Units.RangeWh(ToRange(p.EnergyWh)))).Append("</td><td class=\"n\">").Append(E(Units.RangeGrams(ToRange(p.Co2eGrams))))
                 .Append("</td><td>").Append(E(p.Rating)).Append("</td><td>").Append(E(p.Basis)).Append("</td></tr>\n");
            h.Append("</tbody></table></div>\n");
        }
        h.Append("</section>\n");
    }

    private static void Runs(StringBuilder h, HtmlReportData data)
    {
        h.Append("<section id=\"runs\">\n<h2>Runs: estimated against measured</h2>\n");
        var runs = data.Ledger?.Runs.Where(r => !r.Reused).ToList() ?? new List<RunRecord>();
        if (runs.Count == 0)
        {
            h.Append("<p class=\"empty\">").Append(E(data.Ledger == null ? data.LedgerNote ?? LedgerReader.NoLedger : "The ledger has no generated image yet.")).Append("</p>\n</section>\n");
            return;
        }
        var measured = runs.Where(r => !r.EnergyIsEstimate).ToList();
        h.Append("<p data-runs=\"").Append(runs.Count).Append("\" data-measured=\"").Append(measured.Count).Append("\">")
         .Append(E($"{Units.Count(runs.Count, "image")} generated: {Units.Wh(runs.Sum(r => r.EnergyWh))} ({Units.Wh(measured.Sum(r => r.EnergyWh))} of it measured), {Units.Grams(runs.Sum(r => r.Co2eGrams))} CO2e; estimated beforehand {Units.Wh(runs.Sum(r => r.EstimatedWh))}."))
         .Append("</p>\n");
        Figure(h, "runs-over-time", runs.Count <= ReportCharts.PerRunLimit ? "Energy per image over time: what each run used against the estimate made before it, Wh" : "Energy per day: used against estimated beforehand, Wh",
            () => ReportCharts.RunsOverTime(runs.Select(r => (r.Utc, r.EnergyWh, !r.EnergyIsEstimate, r.EstimatedWh)).ToList()),
            new[] { "day (UTC)", "images", "used Wh", "estimated Wh" },
            runs.GroupBy(r => r.Utc.Date).OrderBy(g => g.Key).Select(g => new[] { g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), g.Count().ToString(CultureInfo.InvariantCulture), Units.Wh(g.Sum(r => r.EnergyWh)), Units.Wh(g.Sum(r => r.EstimatedWh)) }));
        var latest = data.Ledger!.Runs.OrderByDescending(r => r.Utc).Take(MaxRunRows).ToList();
        h.Append("<h3>Latest runs</h3>\n");
        if (data.Ledger.Runs.Count > latest.Count) h.Append("<p class=\"note\">").Append(E($"The latest {latest.Count} of {data.Ledger.Runs.Count} runs; `carbonlsp ledger` lists them all.")).Append("</p>\n");
        h.Append("<div class=\"scroll\"><table><thead><tr><th>when (UTC)</th><th>prompt</th><th>model</th><th class=\"n\">energy</th><th class=\"n\">estimated</th><th class=\"n\">CO2e</th><th>grid</th></tr></thead><tbody>\n");
        foreach (var r in latest)
            h.Append("<tr><td>").Append(E(r.Utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append("</td><td>").Append(E(Short(r.Prompt, 60))).Append("</td><td>").Append(E(r.ModelId))
             .Append("</td><td class=\"n\">").Append(E(r.Reused ? "reused" : $"{Units.Wh(r.EnergyWh)} {(r.EnergyIsEstimate ? "est." : "measured")}")).Append("</td><td class=\"n\">").Append(E(r.Reused ? "" : Units.Wh(r.EstimatedWh)))
             .Append("</td><td class=\"n\">").Append(E(r.Reused ? "0 g" : Units.Grams(r.Co2eGrams))).Append("</td><td>").Append(E($"{Units.Number(r.IntensityGramsPerKWh)} g/kWh, {r.IntensityKind.Replace('-', ' ')}")).Append("</td></tr>\n");
        h.Append("</tbody></table></div>\n</section>\n");
    }

    private static void Gallery(StringBuilder h, HtmlReportData data)
    {
        h.Append("<section id=\"gallery\">\n<h2>Generated images</h2>\n");
        var images = data.Ledger?.Runs.Where(r => !r.Reused && r.OutputPath.Length > 0).GroupBy(r => r.OutputPath).Select(g => g.OrderByDescending(r => r.Utc).First())
            .OrderByDescending(r => r.Utc).ToList() ?? new List<RunRecord>();
        if (images.Count == 0)
        {
            h.Append("<p class=\"empty\">No generated images yet.</p>\n</section>\n");
            return;
        }
        var shown = images.Take(MaxThumbnails).ToList();
        var missing = 0;
        if (images.Count > shown.Count) h.Append("<p class=\"note\">").Append(E($"The latest {shown.Count} of {images.Count} images, as thumbnails.")).Append("</p>\n");
        h.Append("<div class=\"gallery\">\n");
        foreach (var r in shown)
        {
            var uri = Thumbnails.DataUri(r.OutputPath, data.Workspace, out var problem);
            var alt = $"{Short(r.Prompt, 100)} ({r.ModelId})";
            h.Append("<figure data-image=\"").Append(E(Relative(r.OutputPath, data.Workspace))).Append("\">");
            if (uri != null) h.Append("<img src=\"").Append(uri).Append("\" alt=\"").Append(E(alt)).Append("\">");
            else
            {
                missing++;
                h.Append("<div class=\"missing\" role=\"img\" aria-label=\"").Append(E(alt)).Append("\">").Append(E($"{Relative(r.OutputPath, data.Workspace)}: {problem}")).Append("</div>");
            }
            h.Append("<figcaption>").Append(E(Short(r.Prompt, 80))).Append("<br>").Append(E($"{r.ModelId} · {Units.Wh(r.EnergyWh)} {(r.EnergyIsEstimate ? "est." : "measured")} · {Units.Grams(r.Co2eGrams)} CO2e"))
             .Append("</figcaption></figure>\n");
        }
        h.Append("</div>\n");
        if (missing > 0) h.Append("<p class=\"note\" data-missing=\"").Append(missing).Append("\">").Append(E($"{Units.Count(missing, "image")} could not be shown (moved, deleted or unreadable); their figures stay in the ledger.")).Append("</p>\n");
        h.Append("</section>\n");
    }

    /// <summary>A chart with its caption and its data as a table (the text alternative). A chart that cannot be
    /// drawn (no fonts, a broken native library) leaves the table and says why: the report is still written.</summary>
    private static void Figure(StringBuilder h, string id, string caption, Func<string> draw, string[] columns, IEnumerable<string[]> rows)
    {
        string? svg = null, problem = null;
        try { svg = draw(); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { problem = $"The chart could not be drawn here ({ex.GetType().Name}: {ex.Message}); its figures are in the table."; }
        h.Append("<figure data-chart=\"").Append(id).Append("\" role=\"group\" aria-labelledby=\"").Append(id).Append("-caption\">\n");
        if (svg != null) h.Append(svg.Replace("<svg ", $"<svg role=\"img\" aria-labelledby=\"{id}-caption\" ")).Append('\n');
        else h.Append("<p class=\"empty\">").Append(E(problem!)).Append("</p>\n");
        h.Append("<figcaption id=\"").Append(id).Append("-caption\">").Append(E(caption)).Append("</figcaption>\n</figure>\n");
        h.Append("<details").Append(svg == null ? " open" : "").Append("><summary>The chart's figures as a table</summary><div class=\"scroll\"><table><thead><tr>");
        for (var i = 0; i < columns.Length; i++) h.Append(i == 0 ? "<th>" : "<th class=\"n\">").Append(E(columns[i])).Append("</th>");
        h.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            h.Append("<tr>");
            for (var i = 0; i < row.Length; i++) h.Append(i == 0 ? "<td>" : "<td class=\"n\">").Append(E(row[i])).Append("</td>");
            h.Append("</tr>");
        }
        h.Append("</tbody></table></div></details>\n");
    }

    private static string Card(string title, string big, string detail, string? cls = null) =>
        $"<div class=\"card{(cls != null ? " " + cls : "")}\"><div class=\"muted\">{E(title)}</div><div class=\"big\">{E(big)}</div><div>{E(detail)}</div></div>\n";

    private static string Attrs(string name, RangeValue r) => $" data-{name}-low=\"{N(r.Low)}\" data-{name}-mid=\"{N(r.Mid)}\" data-{name}-high=\"{N(r.High)}\"";
    private static EnergyRange ToRange(RangeValue r) => new(r.Low, r.Mid, r.High);
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static string Short(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    private static string Relative(string path, string workspace)
    {
        var rel = Path.GetRelativePath(workspace, path);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? path : rel.Replace('\\', '/');
    }
}
