using CarbonLsp.Core.Grid;

namespace CarbonLsp.Core.Tests;

/// <summary>The cleanest window for a job in a forecast (issue 21): time-weighted over the job's own length,
/// in absolute time (a DST change or a provider's time zone changes nothing), refusing forecasts that are
/// too short, gappy or stale.</summary>
public class CleanestWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);

    private static List<IntensityPoint> Hourly(params double[] values) =>
        values.Select((v, i) => new IntensityPoint(T0.AddHours(i), TimeSpan.FromHours(1), v)).ToList();

    [Fact]
    public void A_short_job_goes_to_the_cleanest_hour_and_says_what_it_saves()
    {
        var w = CleanestWindow.Find(Hourly(400, 380, 250, 300, 420), T0.AddMinutes(10), TimeSpan.FromMinutes(10), TimeSpan.FromHours(8), out var why)!;
        Assert.Null(why);
        Assert.Equal(T0.AddHours(2), w.Start);
        Assert.Equal(250, w.GramsPerKWh, 6);
        Assert.Equal(400, w.NowGramsPerKWh, 6);
        Assert.Equal(1 - 250.0 / 400, w.Saving, 6);
    }

    [Fact]
    public void A_long_job_is_averaged_over_its_own_length_across_points()
    {
        // 90 minutes: 02:00-03:30 averages (250 + 250 + 300) / 3 = 266.7; starting 01:30 averages 293; 02:30: 283.
        var w = CleanestWindow.Find(Hourly(400, 380, 250, 300, 420), T0, TimeSpan.FromMinutes(90), TimeSpan.FromHours(8), out _)!;
        Assert.Equal(T0.AddHours(2), w.Start);
        Assert.Equal((250 * 60 + 300 * 30) / 90.0, w.GramsPerKWh, 6);
    }

    [Fact]
    public void Within_limits_the_start_and_now_can_be_best()
    {
        var w = CleanestWindow.Find(Hourly(200, 380, 100), T0, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), out _)!;
        Assert.Equal(T0, w.Start);
        Assert.Equal(0, w.Saving);
    }

    [Fact]
    public void A_forecast_shorter_than_the_job_or_ending_before_now_or_empty_gives_no_window_and_a_reason()
    {
        Assert.Null(CleanestWindow.Find(Hourly(300, 200), T0, TimeSpan.FromHours(3), TimeSpan.FromHours(8), out var why));
        Assert.Contains("less than the job's 3 h", why);
        Assert.Null(CleanestWindow.Find(Hourly(300), T0.AddHours(5), TimeSpan.FromMinutes(5), TimeSpan.FromHours(8), out why));
        Assert.Contains("before now", why);
        Assert.Null(CleanestWindow.Find(Array.Empty<IntensityPoint>(), T0, TimeSpan.FromMinutes(5), TimeSpan.FromHours(8), out why));
        Assert.Contains("no forecast", why);
    }

    [Fact]
    public void Time_zones_and_the_change_to_summer_time_do_not_move_the_answer()
    {
        // The same instants written in UTC and in Berlin's offsets across the night clocks go forward
        // (01:00 UTC = 03:00 CEST): the window is the same instant.
        var utc = Hourly(400, 300, 100, 350);
        var berlin = utc.Select(p => p with { Start = p.Start.ToOffset(p.Start < new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero) ? TimeSpan.FromHours(1) : TimeSpan.FromHours(2)) }).ToList();
        var a = CleanestWindow.Find(utc, T0, TimeSpan.FromMinutes(30), TimeSpan.FromHours(6), out _)!;
        var b = CleanestWindow.Find(berlin, T0.ToOffset(TimeSpan.FromHours(1)), TimeSpan.FromMinutes(30), TimeSpan.FromHours(6), out _)!;
        Assert.Equal(a.Start.UtcDateTime, b.Start.UtcDateTime);
        Assert.Equal(a.GramsPerKWh, b.GramsPerKWh, 9);
        Assert.Equal("2026-03-29T04:00:00+02:00", b.Start.ToString("yyyy-MM-ddTHH:mm:sszzz"));
    }

    [Fact]
    public void A_gap_in_the_forecast_ends_what_can_be_planned()
    {
        var points = new List<IntensityPoint> { new(T0, TimeSpan.FromHours(1), 300), new(T0.AddHours(3), TimeSpan.FromHours(1), 50) };
        var w = CleanestWindow.Find(points, T0, TimeSpan.FromMinutes(30), TimeSpan.FromHours(8), out _)!;
        Assert.Equal(300, w.GramsPerKWh); // the 50 after the gap is not reachable by a plan that needs covered time
    }
}
