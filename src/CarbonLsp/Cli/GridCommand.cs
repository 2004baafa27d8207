using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Grid;
using CarbonLsp.Grid;
using Spectre.Console;

namespace CarbonLsp.Cli;

/// <summary>`carbonlsp grid [REGION]`: the grid now (the configured provider's live figure, or the annual
/// average, said which), its forecast as a chart in the terminal, and the cleanest window for a job of
/// --duration within --within. Nothing goes out unless a provider is configured (docs/grid.md).</summary>
public static partial class GridCommand
{
    public static readonly Option<string?> Provider = new("--grid-provider") { Description = $"Grid data: {string.Join(", ", GridConfig.Providers)} (default: ${GridConfig.ProviderVariable}, else annual)." };
    public static readonly Option<string?> Url = new("--grid-url") { Description = $"The provider's base URL (a company deployment, a proxy; default: ${GridConfig.UrlVariable}, else the provider's own)." };

    public static Command Create()
    {
        var region = new Argument<string?>("REGION") { Description = "Region or provider zone: DE, GB-13, US-CAL-CISO, CAISO_NORTH, westeurope (default: WORLD).", Arity = ArgumentArity.ZeroOrOne };
        var duration = new Option<string?>("--duration") { Description = "The job's length for the cleanest window, e.g. 10m, 1h30m (default 10m)." };
        var within = new Option<string?>("--within") { Description = "How far ahead the job may start, e.g. 8h (default 8h)." };
        var command = new Command("grid", "Grid carbon intensity now, its forecast and the cleanest time to run.") { region, Provider, Url, duration, within };
        command.SetAction(r => Run(r.GetValue(region) ?? "WORLD", Config(r), ParseDuration(r.GetValue(duration) ?? "10m", "--duration"), ParseDuration(r.GetValue(within) ?? "8h", "--within")));
        return command;
    }

    public static GridConfig Config(ParseResult r)
    {
        try { return GridConfig.From(r.GetValue(Provider), r.GetValue(Url)); }
        catch (ArgumentException ex) { throw new UsageException(ex.Message); }
    }

    private static int Run(string zone, GridConfig config, TimeSpan job, TimeSpan within)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = ConsoleWidth.For(console.Profile.Width, Console.IsOutputRedirected);
        GridService grid;
        try { grid = new GridService(config); }
        catch (ArgumentException ex) { throw new UsageException(ex.Message); }
        using (grid)
        {
            var annual = ModelCatalog.Default.FindRegion(zone);
            if (annual != null)
                console.MarkupLine($"[bold]{Markup.Escape(annual.Code)}[/] annual average {annual.GramsPerKWh:0} g/kWh ({Markup.Escape(annual.Name)}, {annual.Year}; {Markup.Escape(annual.Source)})");
            if (!grid.Configured)
            {
                if (annual == null)
                    throw new UsageException($"{CommandLine.UnknownRegion(ModelCatalog.Default, zone)} Other zones need a grid provider (docs/grid.md).");
                console.MarkupLine($"No live figure or forecast: no grid provider is configured (--grid-provider, ${GridConfig.ProviderVariable}; docs/grid.md). Estimates use the annual average.");
                return CommandLine.ExitOk;
            }
            var answer = grid.GetAsync(zone, CancellationToken.None).GetAwaiter().GetResult();
            if (answer.Signal is not { } signal)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(answer.Problem ?? "no answer")}[/]");
                console.MarkupLine(annual != null ? "Estimates use the annual average above." : "No annual average for this zone either: estimates use the file's region.");
                return CommandLine.ExitFindings;
            }
            var marginal = signal.Marginal ? " marginal" : "";
            if (signal.NowGramsPerKWh is { } now)
                console.MarkupLine($"[bold]{Markup.Escape(zone)}[/] now {now:0} g/kWh{marginal} ({Markup.Escape(signal.Source)}, {Local(signal.NowAt ?? signal.FetchedAt)})" +
                                   (annual != null && !signal.Marginal ? $", {Percent(now / annual.GramsPerKWh - 1)} against the annual average" : ""));
            if (signal.Note != null) console.MarkupLine($"[yellow]{Markup.Escape(signal.Note)}[/]");
            if (signal.Forecast.Count > 0) Chart(console, signal, grid.Now);
            var best = CleanestWindow.Find(signal.Forecast, grid.Now, job, within, out var whyNot);
            if (best == null) console.MarkupLine($"No cleanest window: {Markup.Escape(whyNot ?? "")}.");
            else if (best.Saving < 0.005) console.MarkupLine($"Cleanest {Span(job)} within {Span(within)}: [green]now[/] ({best.NowGramsPerKWh:0} g/kWh{marginal}).");
            else
                console.MarkupLine($"Cleanest {Span(job)} within {Span(within)}: [green]{Local(best.Start)}[/]-{Local(best.End)} at {best.GramsPerKWh:0} g/kWh{marginal}, " +
                                   $"[green]{Percent(-best.Saving)} CO2e[/] against starting now ({best.NowGramsPerKWh:0} g/kWh).");
            return CommandLine.ExitOk;
        }
    }

    /// <summary>The forecast's next 24 hours, one bar per hour (the hour's average), with the values as text too.</summary>
    private static void Chart(IAnsiConsole console, GridSignal signal, DateTimeOffset now)
    {
        var chart = new BarChart().Label($"Forecast, g/kWh{(signal.Marginal ? " (marginal)" : "")}, local time").LeftAlignLabel().Width(Math.Min(80, console.Profile.Width));
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Offset);
        var values = new List<double>();
        for (var h = 0; h < 24; h++)
        {
            if (CleanestWindow.Average(signal.Forecast, start.AddHours(h), TimeSpan.FromHours(1)) is not { } v) continue;
            values.Add(v);
        }
        if (values.Count == 0) return;
        var low = values.Min();
        for (var h = 0; h < 24; h++)
        {
            if (CleanestWindow.Average(signal.Forecast, start.AddHours(h), TimeSpan.FromHours(1)) is not { } v) continue;
            chart.AddItem(Local(start.AddHours(h)), Math.Round(v), Math.Abs(v - low) < 0.5 ? Color.Green : Color.Grey);
        }
        console.Write(chart);
    }

    private static string Local(DateTimeOffset t) => t.ToLocalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
    private static string Percent(double f) => $"{(f < 0 ? "−" : "+")}{Math.Abs(f) * 100:0} %";
    private static string Span(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0} min" : $"{t.TotalSeconds:0} s";

    [GeneratedRegex(@"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DurationPattern();

    /// <summary>"10m", "1h30m", "90s", "8h" (at least one part; up to 7 days).</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        var m = DurationPattern().Match(text);
        if (!m.Success || text.Trim().Length == 0 || (!m.Groups[1].Success && !m.Groups[2].Success && !m.Groups[3].Success))
            throw new UsageException($"{option} takes a duration like 10m, 1h30m or 8h, not '{text}'.");
        double Part(int i) => m.Groups[i].Success ? double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        var t = TimeSpan.FromHours(Part(1)) + TimeSpan.FromMinutes(Part(2)) + TimeSpan.FromSeconds(Part(3));
        if (t <= TimeSpan.Zero || t > TimeSpan.FromDays(7)) throw new UsageException($"{option} must be more than 0 and at most 7 days, not '{text}'.");
        return t;
    }
}
