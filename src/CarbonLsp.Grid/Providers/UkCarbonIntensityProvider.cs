using System.Globalization;
using CarbonLsp.Core.Grid;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Grid.Providers;

/// <summary>The UK Carbon Intensity API (National Energy System Operator; no account): half-hourly forecasts
/// 48 hours ahead, national (zone "GB") or for one of its 17 regions ("GB-13" or "13" for London):
/// <c>/intensity/{from}/fw48h</c> and <c>/regional/intensity/{from}/fw48h/regionid/{id}</c>, gCO2/kWh.</summary>
public sealed class UkCarbonIntensityProvider(GridHttp http, Uri baseUrl) : IGridProvider
{
    public const string DefaultBaseUrl = "https://api.carbonintensity.org.uk";
    public string Name => "UK Carbon Intensity API";

    public async Task<GridSignal> FetchAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        var from = now.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        var region = RegionId(zone);
        var path = region is { } id ? $"regional/intensity/{from}/fw48h/regionid/{id}" : $"intensity/{from}/fw48h";
        var json = await http.GetJsonAsync(new Uri(baseUrl, path), Name, null, null, ct).ConfigureAwait(false);
        var data = Json.Field(json, "data", Name);
        // Regional answers wrap the periods in a region object (the API has sent it both bare and in a list).
        if (region != null)
        {
            var regionObject = data is JArray list ? list.FirstOrDefault() : data;
            data = Json.Field(regionObject, "data", Name);
        }
        if (data is not JArray periods) throw new GridProviderException($"{Name} answered with \"data\" that is not a list.");
        var points = new List<IntensityPoint>();
        foreach (var p in periods)
        {
            var start = Json.Time(p, "from", Name);
            var end = Json.Time(p, "to", Name);
            var intensity = Json.Field(p, "intensity", Name);
            // A measured figure where there is one, else the forecast.
            var value = intensity["actual"] is JValue { Type: JTokenType.Integer or JTokenType.Float } a ? (double)a : Json.Number(intensity, "forecast", Name);
            if (end > start) points.Add(new IntensityPoint(start, end - start, value));
        }
        if (points.Count == 0) throw new GridProviderException($"{Name} returned no periods for {zone}.");
        var current = points.FirstOrDefault(p => p.Start <= now && now < p.End) ?? points[0];
        return new GridSignal(zone, Name, false, current.GramsPerKWh, current.Start, points, now);
    }

    /// <summary>"GB-13", "GB13" or "13" is region 13; "GB" (or "UK") is national.</summary>
    public static int? RegionId(string zone)
    {
        var z = zone.Trim().ToUpperInvariant();
        if (z is "GB" or "UK") return null;
        var digits = z.StartsWith("GB", StringComparison.Ordinal) ? z[2..].TrimStart('-', '_') : z;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id is >= 1 and <= 17 ? id
            : throw new GridProviderException($"{zone} is not a zone of the UK Carbon Intensity API: use GB (national) or GB-1 to GB-17 (its regions; GB-13 is London).");
    }
}
