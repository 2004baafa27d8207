namespace CarbonLsp.Core.Grid;

/// <summary>The best time to run a job of a given length within a horizon, and what it saves against
/// starting now. <see cref="NowGramsPerKWh"/> and <see cref="GramsPerKWh"/> are time-weighted averages over the
/// job's own duration (a 10-minute job at 13:00 pays 13:00-13:10, not the hour's figure).</summary>
public sealed record CleanWindow(DateTimeOffset Start, TimeSpan Duration, double GramsPerKWh, double NowGramsPerKWh)
{
    public DateTimeOffset End => Start + Duration;
    /// <summary>Fraction of CO2e saved by waiting, 0 when now is the best.</summary>
    public double Saving => NowGramsPerKWh <= 0 ? 0 : Math.Max(0, 1 - GramsPerKWh / NowGramsPerKWh);
}

/// <summary>Finds the cleanest window in a forecast. Pure: the caller gives the time.</summary>
public static class CleanestWindow
{
    /// <summary>The cleanest start in [now, now + within] for a job of <paramref name="job"/>, over a
    /// piecewise-constant forecast (gaps are not assumed: a window must lie in covered time). Null with a reason
    /// when it cannot be known: no forecast, a forecast that does not reach now, or one shorter than the job.</summary>
    public static CleanWindow? Find(IReadOnlyList<IntensityPoint> forecast, DateTimeOffset now, TimeSpan job, TimeSpan within, out string? whyNot)
    {
        whyNot = null;
        if (job <= TimeSpan.Zero) job = TimeSpan.FromSeconds(1);
        var points = forecast.Where(p => p.Duration > TimeSpan.Zero && double.IsFinite(p.GramsPerKWh) && p.GramsPerKWh >= 0)
            .OrderBy(p => p.Start).ToList();
        if (points.Count == 0) { whyNot = "the provider gave no forecast"; return null; }
        var coveredFrom = points[0].Start;
        var coveredTo = CoveredUntil(points);
        var earliest = now < coveredFrom ? coveredFrom : now;
        if (earliest + job > coveredTo)
        {
            whyNot = coveredTo <= now
                ? $"the forecast ends at {coveredTo:u}, before now"
                : $"the forecast covers {Hours(coveredTo - earliest)} from now, less than the job's {Hours(job)}";
            return null;
        }
        var latest = Min(now + within, coveredTo - job);
        if (latest < earliest) latest = earliest;
        // The average over [s, s + job] of a step function is piecewise linear in s: its minimum is where the
        // window's start or end meets a step. Those are the only starts to try, with the ends of the range.
        var candidates = new SortedSet<DateTimeOffset> { earliest, latest };
        foreach (var p in points)
        {
            foreach (var s in new[] { p.Start, p.End - job, p.End, p.Start - job })
                if (s >= earliest && s <= latest) candidates.Add(s);
        }
        var nowAverage = Average(points, earliest, job);
        DateTimeOffset bestStart = earliest;
        var best = nowAverage ?? double.MaxValue;
        foreach (var s in candidates)
        {
            if (Average(points, s, job) is { } avg && avg < best - 1e-9) { best = avg; bestStart = s; }
        }
        if (nowAverage == null) { whyNot = "the forecast has a gap in the next hours"; return null; }
        return new CleanWindow(bestStart, job, best, nowAverage.Value);
    }

    /// <summary>The time-weighted average over [start, start + length], or null when part of it is not covered.</summary>
    public static double? Average(IReadOnlyList<IntensityPoint> points, DateTimeOffset start, TimeSpan length)
    {
        var end = start + length;
        double sum = 0;
        var covered = TimeSpan.Zero;
        foreach (var p in points)
        {
            var from = Max(p.Start, start);
            var to = Min(p.End, end);
            if (to <= from) continue;
            sum += p.GramsPerKWh * (to - from).TotalSeconds;
            covered += to - from;
        }
        return covered >= length - TimeSpan.FromSeconds(1) && covered > TimeSpan.Zero ? sum / covered.TotalSeconds : null;
    }

    /// <summary>The end of the forecast's first stretch without gaps.</summary>
    private static DateTimeOffset CoveredUntil(List<IntensityPoint> points)
    {
        var end = points[0].End;
        foreach (var p in points.Skip(1))
        {
            if (p.Start > end + TimeSpan.FromSeconds(1)) break;
            if (p.End > end) end = p.End;
        }
        return end;
    }

    private static string Hours(TimeSpan t) => t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : $"{t.TotalMinutes:0} min";
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
