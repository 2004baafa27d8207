namespace CarbonLsp.Core.Grid;

/// <summary>Which figure an estimate used for the grid: the fixed annual average of the catalog (offline, the
/// default), a live reading, or a forecast for the hour the job will run.</summary>
public enum IntensityKind { AnnualAverage, Live, Forecast }

public static class IntensityKinds
{
    /// <summary>The name written in the ledger and JSON: "annual-average", "live", "forecast".</summary>
    public static string Name(IntensityKind kind) => kind switch
    {
        IntensityKind.Live => "live",
        IntensityKind.Forecast => "forecast",
        _ => "annual-average",
    };
}

/// <summary>One interval of a forecast: from <see cref="Start"/> for <see cref="Duration"/>, at this intensity.</summary>
public sealed record IntensityPoint(DateTimeOffset Start, TimeSpan Duration, double GramsPerKWh)
{
    public DateTimeOffset End => Start + Duration;
}

/// <summary>What a grid provider said about a zone: the intensity now (when it gives one), its forecast
/// (possibly empty), whether its figures are marginal (WattTime) rather than average, and when it was fetched.
/// All times are UTC offsets as the provider sent them; shown in local time by the hosts.</summary>
public sealed record GridSignal(string Zone, string Source, bool Marginal, double? NowGramsPerKWh, DateTimeOffset? NowAt,
                                IReadOnlyList<IntensityPoint> Forecast, DateTimeOffset FetchedAt)
{
    /// <summary>Something the user should know about this answer (a forecast the plan does not include...).</summary>
    public string? Note { get; init; }
}

/// <summary>The intensity an estimate used and why: what the hover and the ledger say.</summary>
public sealed record IntensityChoice(double GramsPerKWh, IntensityKind Kind, string Source, DateTimeOffset? At, string? Note = null);
