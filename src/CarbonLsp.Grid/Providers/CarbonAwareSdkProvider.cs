using System.Globalization;
using CarbonLsp.Core.Grid;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Grid.Providers;

/// <summary>The Green Software Foundation's Carbon Aware SDK WebAPI, as a team deploys it (no public instance:
/// the base URL is a setting): <c>/emissions/bylocation</c> for the latest figure and
/// <c>/emissions/forecasts/current</c> for the forecast of a location ("eastus", "westeurope"), g/kWh.</summary>
public sealed class CarbonAwareSdkProvider(GridHttp http, Uri baseUrl) : IGridProvider
{
    public string Name => "Carbon Aware SDK";

    public async Task<GridSignal> FetchAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        var location = Uri.EscapeDataString(zone);
        string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var forecastJson = await http.GetJsonAsync(new Uri(baseUrl, $"emissions/forecasts/current?location={location}&dataStartAt={Iso(now)}&dataEndAt={Iso(now.AddHours(24))}"),
            Name, null, null, ct).ConfigureAwait(false);
        var first = (forecastJson as JArray)?.FirstOrDefault() ?? throw new GridProviderException($"{Name} returned no forecast for {zone}.");
        var points = Json.Array(first, "forecastData", Name)
            .Select(p => new IntensityPoint(Json.Time(p, "timestamp", Name), Duration(p["duration"]), Json.Number(p, "value", Name)))
            .Where(p => p.Duration > TimeSpan.Zero).OrderBy(p => p.Start).ToList();
        double? nowValue = null;
        DateTimeOffset? nowAt = null;
        try
        {
            var recent = await http.GetJsonAsync(new Uri(baseUrl, $"emissions/bylocation?location={location}&time={Iso(now.AddHours(-1))}&toTime={Iso(now)}"), Name, null, null, ct).ConfigureAwait(false);
            if (recent is JArray list && list.Count > 0)
            {
                var last = list.OrderBy(e => Json.Time(e, "time", Name)).Last();
                nowValue = Json.Number(last, "rating", Name);
                nowAt = Json.Time(last, "time", Name);
            }
        }
        catch (GridProviderException) { }   // the forecast's first point stands for now
        if (nowValue == null && points.Count > 0) { nowValue = points[0].GramsPerKWh; nowAt = points[0].Start; }
        return new GridSignal(zone, Name, false, nowValue, nowAt, points, now);
    }

    /// <summary>A point's duration: minutes as a number, or a TimeSpan string ("00:05:00").</summary>
    private static TimeSpan Duration(JToken? token) => token switch
    {
        JValue { Type: JTokenType.Integer or JTokenType.Float } n when (double)n > 0 => TimeSpan.FromMinutes((double)n),
        JValue { Type: JTokenType.String } s when TimeSpan.TryParse((string)s!, CultureInfo.InvariantCulture, out var t) => t,
        _ => TimeSpan.FromMinutes(5),
    };
}
