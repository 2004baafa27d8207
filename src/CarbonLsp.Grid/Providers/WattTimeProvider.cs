using System.Net.Http.Headers;
using System.Text;
using CarbonLsp.Core.Grid;

namespace CarbonLsp.Grid.Providers;

/// <summary>WattTime v3: a token from <c>/login</c> (HTTP Basic, kept 25 minutes: WattTime's last 30), then
/// <c>/v3/forecast?region=…&amp;signal_type=co2_moer</c>. Its figures are marginal emissions (MOER), in lbs of
/// CO2 per MWh: converted to g/kWh (× 0.45359237: 1 lb is 453.59237 g) and labelled marginal everywhere they are shown.
/// A token WattTime refuses (it expired early) is renewed once.</summary>
public sealed class WattTimeProvider(GridHttp http, Uri baseUrl, string? user, string? password) : IGridProvider
{
    public const string DefaultBaseUrl = "https://api.watttime.org";
    public const string UserVariable = "CARBONLSP_WATTTIME_USER";
    public const string PasswordVariable = "CARBONLSP_WATTTIME_PASSWORD";
    /// <summary>1 lb = 453.59237 g; per MWh to per kWh divides by 1000.</summary>
    public const double GramsPerKWhPerLbsPerMWh = 0.45359237;
    public string Name => "WattTime";

    private string? _token;
    private DateTimeOffset _tokenUntil;

    public async Task<GridSignal> FetchAsync(string zone, DateTimeOffset now, CancellationToken ct)
    {
        var credentials = $"{UserVariable} and {PasswordVariable}";
        var url = new Uri(baseUrl, $"v3/forecast?region={Uri.EscapeDataString(zone)}&signal_type=co2_moer&horizon_hours=24");
        var wasCached = _token != null && now < _tokenUntil;
        var token = await TokenAsync(now, ct).ConfigureAwait(false);
        Newtonsoft.Json.Linq.JToken f;
        try { f = await http.GetJsonAsync(url, Name, credentials, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token), ct).ConfigureAwait(false); }
        catch (GridProviderException ex) when (wasCached && ex.Message.Contains("refused the credentials", StringComparison.Ordinal))
        {
            _token = null;
            token = await TokenAsync(now, ct).ConfigureAwait(false);
            f = await http.GetJsonAsync(url, Name, credentials, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token), ct).ConfigureAwait(false);
        }
        var meta = Json.Field(f, "meta", Name);
        var units = (string?)meta["units"] ?? "lbs_co2_per_mwh";
        var factor = units switch
        {
            "lbs_co2_per_mwh" => GramsPerKWhPerLbsPerMWh,
            "g_co2_per_kwh" or "kg_co2_per_mwh" => 1.0,
            _ => throw new GridProviderException($"WattTime answered in units \"{units}\", which CarbonLsp does not convert."),
        };
        var period = meta["data_point_period_seconds"] is Newtonsoft.Json.Linq.JValue { Type: Newtonsoft.Json.Linq.JTokenType.Integer } s && (long)s > 0 ? TimeSpan.FromSeconds((long)s) : TimeSpan.FromMinutes(5);
        var points = Json.Steps(Json.Array(f, "data", Name).Select(p => (Json.Time(p, "point_time", Name), Json.Number(p, "value", Name) * factor)).ToList(), period);
        if (points.Count == 0) throw new GridProviderException($"WattTime returned no forecast for region {zone}.");
        var current = points.LastOrDefault(p => p.Start <= now) ?? points[0];
        return new GridSignal(zone, Name, true, current.GramsPerKWh, current.Start, points, now);
    }

    private async Task<string> TokenAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (_token != null && now < _tokenUntil) return _token;
        if (string.IsNullOrWhiteSpace(user) || string.IsNullOrEmpty(password))
            throw new GridProviderException($"WattTime needs an account: set {UserVariable} and {PasswordVariable}.");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var login = await http.GetJsonAsync(new Uri(baseUrl, "login"), Name, $"{UserVariable} and {PasswordVariable}",
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic), ct).ConfigureAwait(false);
        _token = (string?)Json.Field(login, "token", Name) ?? throw new GridProviderException("WattTime's login gave no token.");
        _tokenUntil = now + TimeSpan.FromMinutes(25);
        return _token;
    }
}
