using System.Text.RegularExpressions;
using ScottPlot;

namespace CarbonLsp.Reports.Html;

/// <summary>The report's charts, drawn by ScottPlot as SVG and made fit to sit inline in one HTML page.
/// ScottPlot rather than a JavaScript library: the report then runs no script at all (it opens in a locked-down
/// webview, a mail client or on paper the same way), ScottPlot is a maintained .NET library, and its SVG keeps
/// text as text. Each chart comes with a data table in the page as its text alternative.</summary>
public static partial class ReportCharts
{
    public const int Width = 720;
    /// <summary>Runs over time: one point per run up to this many runs, one per day beyond.</summary>
    public const int PerRunLimit = 300;
    private const string FontFamily = "DejaVu Sans";
    private static readonly Color Energy = Color.FromHex("#2E7D32");
    private static readonly Color Carbon = Color.FromHex("#455A64");
    private static readonly Color Estimate = Color.FromHex("#F9A825");

    /// <summary>Horizontal bars, largest at the top (labels are prompt ids or model names).</summary>
    public static string Bars(IReadOnlyList<(string Label, double Value)> rows, string axisLabel, bool carbon)
    {
        var plot = NewPlot();
        var values = rows.Select(r => r.Value).Reverse().ToArray();
        var bars = plot.Add.Bars(values);
        bars.Horizontal = true;
        bars.Color = carbon ? Carbon : Energy;
        foreach (var bar in bars.Bars) bar.LineWidth = 0;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, values.Length).Select(i => (double)i).ToArray(), rows.Select(r => Short(r.Label)).Reverse().ToArray());
        plot.Axes.Margins(left: 0);
        plot.XLabel(axisLabel);
        return Svg(plot, Width, Math.Max(160, 60 + 24 * rows.Count));
    }

    /// <summary>Runs over time: the energy each run used (measured or, without a meter, estimated) against the
    /// estimate made before it. Per run up to <see cref="PerRunLimit"/> runs; per day beyond.</summary>
    public static string RunsOverTime(IReadOnlyList<(DateTime Utc, double UsedWh, bool Measured, double EstimatedWh)> runs)
    {
        var plot = NewPlot();
        if (runs.Count <= PerRunLimit)
        {
            Points(plot, runs.Where(r => r.Measured).Select(r => (r.Utc, r.UsedWh)).ToList(), "measured", Energy);
            Points(plot, runs.Where(r => !r.Measured).Select(r => (r.Utc, r.UsedWh)).ToList(), "estimated (no meter)", Carbon);
            Points(plot, runs.Select(r => (r.Utc, r.EstimatedWh)).ToList(), "estimate before the run", Estimate);
            plot.YLabel("Wh per image");
        }
        else
        {
            var days = runs.GroupBy(r => r.Utc.Date).OrderBy(g => g.Key).ToList();
            Line(plot, days.Select(d => (d.Key, d.Sum(r => r.UsedWh))).ToList(), "used (measured or estimated)", Energy);
            Line(plot, days.Select(d => (d.Key, d.Sum(r => r.EstimatedWh))).ToList(), "estimated before", Estimate);
            plot.YLabel("Wh per day");
        }
        plot.Axes.DateTimeTicksBottom();
        plot.ShowLegend(Alignment.UpperLeft);
        return Svg(plot, Width, 320);
    }

    private static void Points(Plot plot, IReadOnlyList<(DateTime X, double Y)> points, string label, Color color)
    {
        if (points.Count == 0) return;
        var s = plot.Add.Scatter(points.Select(p => p.X.ToOADate()).ToArray(), points.Select(p => p.Y).ToArray());
        s.LineWidth = 0;
        s.MarkerSize = 6;
        s.Color = color;
        s.LegendText = label;
    }

    private static void Line(Plot plot, IReadOnlyList<(DateTime X, double Y)> points, string label, Color color)
    {
        var s = plot.Add.Scatter(points.Select(p => p.X.ToOADate()).ToArray(), points.Select(p => p.Y).ToArray());
        s.LineWidth = 2;
        s.MarkerSize = 3;
        s.Color = color;
        s.LegendText = label;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        return plot;
    }

    private static string Short(string s) => s.Length <= 28 ? s : s[..27] + "…";

    private static int _charts;

    /// <summary>ScottPlot's SVG made fit to sit inline, several in one page: no XML prolog; ids made unique per
    /// chart (each names its clip path "cl_N", and the first of two equal ids would clip both); a viewBox so it
    /// scales to a phone's width; Skia's glyph lists lose their trailing comma (browsers reject "x='1, 2, '");
    /// a font list that falls back where DejaVu is not installed.</summary>
    private static string Svg(Plot plot, int width, int height)
    {
        var svg = plot.GetSvgXml(width, height);
        var prefix = $"c{Interlocked.Increment(ref _charts)}_";
        svg = Prolog().Replace(svg, "");
        svg = svg.Replace("id=\"", "id=\"" + prefix).Replace("url(#", "url(#" + prefix).Replace("href=\"#", "href=\"#" + prefix);
        svg = TrailingComma().Replace(svg, "$1=\"$2\"");
        svg = svg.Replace($"font-family=\"{FontFamily}\"", $"font-family=\"{FontFamily}, Verdana, Arial, sans-serif\"");
        svg = SvgOpen().Replace(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"", 1);
        return svg.Trim();
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>")] private static partial Regex Prolog();
    [GeneratedRegex(@"\b(x|y)=""([^""]*?)[,\s]+""")] private static partial Regex TrailingComma();
    [GeneratedRegex(@"<svg\b[^>]*?(?=>)")] private static partial Regex SvgOpen();
}
