using CarbonLsp.Core.Grid;

namespace CarbonLsp.Grid.Providers;

/// <summary>Electricity Maps API v3: <c>/v3/carbon-intensity/latest</c> and <c>/forecast</c> for a zone
/// ("DE", "US-CAL-CISO"), token in the <c>auth-token</c> header, lifecycle gCO2eq/kWh. A plan without forecasts
/// (forecasts are a paid endpoint) still gives the live figure, with a note.</summary>
public sealed class ElectricityMapsProvider(GridHttp http, Uri baseUrl, string? token) : IGridProvider
{
    public const string DefaultBaseUrl = "https://api.electricitymaps.com";
    public const string TokenVariable = "CARBONLSP_ELECTRICITYMAPS_TOKEN";
    public string Name => "Electricity Maps";

    public async Task<GridSignal> FetchAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token))
            throw new GridProviderException($"Electricity Maps needs a token: set {TokenVariable} (or the editor's secret) to the token from its portal.");
        void Auth(HttpRequestMessage r) => r.Headers.Add("auth-token", token);
        // The zone, and no fallback to the caller's IP address when the zone is unknown (the API would locate us).
        var z = Uri.EscapeDataString(zone) + "&shouldUseFallbackCallerLookup=false";
        var latest = await http.GetJsonAsync(new Uri(baseUrl, $"v3/carbon-intensity/latest?zone={z}"), Name, TokenVariable, Auth, ct).ConfigureAwait(false);
        var nowValue = Json.Number(latest, "carbonIntensity", Name);
        var nowAt = Json.Time(latest, "datetime", Name);
        IReadOnlyList<IntensityPoint> forecast = Array.Empty<IntensityPoint>();
        string? note = null;
        try
        {
            var f = await http.GetJsonAsync(new Uri(baseUrl, $"v3/carbon-intensity/forecast?zone={z}"), Name, TokenVariable, Auth, ct).ConfigureAwait(false);
            forecast = Json.Steps(Json.Array(f, "forecast", Name).Select(p => (Json.Time(p, "datetime", Name), Json.Number(p, "carbonIntensity", Name))).ToList());
        }
        catch (GridProviderException ex) { note = $"no forecast: {ex.Message}"; }
        return new GridSignal(zone, Name, false, nowValue, nowAt, forecast, now) { Note = note };
    }
}
