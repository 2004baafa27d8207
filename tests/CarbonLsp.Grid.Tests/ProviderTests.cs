using CarbonLsp.Core.Grid;
using CarbonLsp.Grid.Providers;

using CarbonLsp.Tests.Shared;

namespace CarbonLsp.Grid.Tests;

/// <summary>Each provider against a loopback server that answers in that provider's documented shape
/// (issue 21): the figures, the units, what is sent (only the zone and the time window; the credential in
/// the documented header), and every failure turned into a sentence while the caller falls back.</summary>
public sealed class ProviderTests : IDisposable
{
    private readonly LoopbackServer _server = new();
    private static readonly DateTimeOffset Now = new(2026, 3, 29, 0, 40, 0, TimeSpan.Zero); // the night Europe's clocks go forward
    private static readonly GridTimeouts Fast = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), 1, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200));

    public void Dispose() => _server.Dispose();

    private GridService Service(string provider, Func<string, string?>? env = null) =>
        new(GridConfig.From(provider, _server.BaseUrl.ToString(), env ?? (_ => null)), Fast, new FixedTime(Now));

    private static Func<string, string?> Env(params (string Key, string Value)[] values) => k => values.FirstOrDefault(v => v.Key == k).Value;

    [Fact]
    public async Task Electricity_maps_live_and_forecast_with_the_token_in_its_header()
    {
        _server.Respond = r => r.Url!.AbsolutePath switch
        {
            "/v3/carbon-intensity/latest" => new(200, """{ "zone": "DE", "carbonIntensity": 412, "datetime": "2026-03-29T00:00:00.000Z", "updatedAt": "2026-03-29T00:35:12.000Z", "emissionFactorType": "lifecycle", "isEstimated": true }"""),
            "/v3/carbon-intensity/forecast" => new(200, """{ "zone": "DE", "forecast": [ { "carbonIntensity": 410, "datetime": "2026-03-29T00:00:00.000Z" }, { "carbonIntensity": 300, "datetime": "2026-03-29T01:00:00.000Z" }, { "carbonIntensity": 250, "datetime": "2026-03-29T02:00:00.000Z" } ], "updatedAt": "2026-03-29T00:00:00.000Z" }"""),
            _ => new(404, "{}"),
        };
        using var grid = Service("electricitymaps", Env((ElectricityMapsProvider.TokenVariable, "secret-token")));
        var answer = await grid.GetAsync("DE", CancellationToken.None);
        Assert.Null(answer.Problem);
        Assert.Equal(412, answer.Signal!.NowGramsPerKWh);
        Assert.False(answer.Signal.Marginal);
        Assert.Equal(3, answer.Signal.Forecast.Count);
        Assert.Equal(TimeSpan.FromHours(1), answer.Signal.Forecast[1].Duration);
        Assert.All(_server.Requests, r => Assert.Equal("secret-token", r.Headers["auth-token"]));
        Assert.All(_server.Requests, r => Assert.EndsWith("?zone=DE&shouldUseFallbackCallerLookup=false", r.PathAndQuery));   // only the zone goes out
        // Cached: a second question within ten minutes does not go out again (counted, not assumed to be 2: a
        // slow machine may have retried an attempt).
        var asked = _server.Requests.Count;
        await grid.GetAsync("DE", CancellationToken.None);
        Assert.Equal(asked, _server.Requests.Count);
    }

    [Fact]
    public async Task Watttime_logs_in_converts_marginal_pounds_per_mwh_and_says_marginal()
    {
        _server.Respond = r => r.Url!.AbsolutePath switch
        {
            "/login" => r.Headers["Authorization"] == "Basic " + Convert.ToBase64String("ada:pw"u8.ToArray()) ? new(200, """{ "token": "t-123" }""") : new(401, """{"error":"bad"}"""),
            "/v3/forecast" when r.Headers["Authorization"] == "Bearer t-123" => new(200, """
                { "data": [ { "point_time": "2026-03-29T00:35:00+00:00", "value": 1000.0 }, { "point_time": "2026-03-29T00:40:00+00:00", "value": 900.0 }, { "point_time": "2026-03-29T00:45:00+00:00", "value": 500.0 } ],
                  "meta": { "region": "CAISO_NORTH", "signal_type": "co2_moer", "units": "lbs_co2_per_mwh", "generated_at": "2026-03-29T00:35:00+00:00", "data_point_period_seconds": 300 } }
                """),
            _ => new(403, "{}"),
        };
        using var grid = Service("watttime", Env((WattTimeProvider.UserVariable, "ada"), (WattTimeProvider.PasswordVariable, "pw")));
        var answer = await grid.GetAsync("CAISO_NORTH", CancellationToken.None);
        Assert.Null(answer.Problem);
        Assert.True(answer.Signal!.Marginal);
        Assert.Equal(900 * 0.45359237, answer.Signal.NowGramsPerKWh!.Value, 6);   // the point that holds "now"
        Assert.Equal(TimeSpan.FromMinutes(5), answer.Signal.Forecast[0].Duration);
        Assert.Contains(_server.Requests, r => r.PathAndQuery == "/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer&horizon_hours=24");
    }

    [Theory]
    [InlineData("GB", "/intensity/2026-03-29T00:40Z/fw48h")]
    [InlineData("GB-13", "/regional/intensity/2026-03-29T00:40Z/fw48h/regionid/13")]
    public async Task Uk_carbon_intensity_needs_no_account_national_and_regional(string zone, string path)
    {
        const string Periods = """
            [ { "from": "2026-03-29T00:30Z", "to": "2026-03-29T01:00Z", "intensity": { "forecast": 180, "actual": 176, "index": "moderate" } },
              { "from": "2026-03-29T01:00Z", "to": "2026-03-29T01:30Z", "intensity": { "forecast": 120, "actual": null, "index": "low" } } ]
            """;
        _server.Respond = r => r.Url!.AbsolutePath == path
            ? new(200, zone == "GB" ? $$"""{ "data": {{Periods}} }""" : $$"""{ "data": [ { "regionid": 13, "dnoregion": "UKPN London", "shortname": "London", "data": {{Periods}} } ] }""")
            : new(404, "{}");
        using var grid = Service("uk");
        var answer = await grid.GetAsync(zone, CancellationToken.None);
        Assert.Null(answer.Problem);
        Assert.Equal(176, answer.Signal!.NowGramsPerKWh);                 // measured where there is a measurement
        Assert.Equal(120, answer.Signal.Forecast[1].GramsPerKWh);         // else the forecast
        Assert.All(_server.Requests, r => Assert.DoesNotContain(r.Headers, h => h.Key.Contains("auth", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Carbon_aware_sdk_forecast_and_latest_from_a_teams_deployment()
    {
        _server.Respond = r => r.Url!.AbsolutePath switch
        {
            "/emissions/forecasts/current" => new(200, """
                [ { "generatedAt": "2026-03-29T00:35:00Z", "requestedAt": "2026-03-29T00:40:00Z", "location": "westeurope", "dataStartAt": "2026-03-29T00:40:00Z", "dataEndAt": "2026-03-30T00:40:00Z", "windowSize": 0,
                    "optimalDataPoints": [ { "location": "westeurope", "timestamp": "2026-03-29T00:50:00Z", "duration": 5, "value": 200.5 } ],
                    "forecastData": [ { "location": "westeurope", "timestamp": "2026-03-29T00:40:00Z", "duration": 5, "value": 300.0 }, { "location": "westeurope", "timestamp": "2026-03-29T00:45:00Z", "duration": 5, "value": 250.0 }, { "location": "westeurope", "timestamp": "2026-03-29T00:50:00Z", "duration": 5, "value": 200.5 } ] } ]
                """),
            "/emissions/bylocation" => new(200, """[ { "location": "westeurope", "time": "2026-03-29T00:30:00Z", "rating": 310.2, "duration": "00:05:00" }, { "location": "westeurope", "time": "2026-03-29T00:35:00Z", "rating": 305.0, "duration": "00:05:00" } ]"""),
            _ => new(404, "{}"),
        };
        using var grid = Service("carbon-aware-sdk");
        var answer = await grid.GetAsync("westeurope", CancellationToken.None);
        Assert.Null(answer.Problem);
        Assert.Equal(305.0, answer.Signal!.NowGramsPerKWh);
        Assert.Equal(3, answer.Signal.Forecast.Count);
        var best = CleanestWindow.Find(answer.Signal.Forecast, Now, TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), out _);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 0, 50, 0, TimeSpan.Zero), best!.Start);
    }

    [Theory]
    [InlineData(401, "refused the credentials (HTTP 401)", "CARBONLSP_ELECTRICITYMAPS_TOKEN")]
    [InlineData(403, "refused the credentials (HTTP 403", "CARBONLSP_ELECTRICITYMAPS_TOKEN")]
    [InlineData(429, "rate-limiting these requests (HTTP 429); it asks to wait 120 s", null)]
    [InlineData(500, "answered HTTP 500", null)]
    public async Task Failures_are_a_sentence_that_says_what_to_fix_and_never_throw(int status, string expected, string? names)
    {
        _server.Respond = _ => new(status, """{"message":"no"}""", status == 429 ? new Dictionary<string, string> { ["Retry-After"] = "120" } : null);
        using var grid = Service("electricitymaps", Env((ElectricityMapsProvider.TokenVariable, "x")));
        var answer = await grid.GetAsync("DE", CancellationToken.None);
        Assert.Null(answer.Signal);
        Assert.Contains(expected, answer.Problem);
        if (names != null) Assert.Contains(names, answer.Problem);
        Assert.DoesNotContain("x\"", answer.Problem!);   // the token itself is never in a message
    }

    [Fact]
    public async Task A_rate_limit_with_a_short_retry_after_is_retried_and_succeeds()
    {
        var calls = 0;
        _server.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? new(429, "{}", new Dictionary<string, string> { ["Retry-After"] = "0" })
            : new(200, """{ "data": [ { "from": "2026-03-29T00:30Z", "to": "2026-03-29T01:00Z", "intensity": { "forecast": 99, "index": "low" } } ] }""");
        using var grid = Service("uk");
        var answer = await grid.GetAsync("GB", CancellationToken.None);
        Assert.Equal(99, answer.Signal!.NowGramsPerKWh);
        Assert.True(calls >= 2, $"{calls} calls");
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_a_problem_not_a_hang()
    {
        _server.Respond = _ => new(200, "{}", Delay: TimeSpan.FromSeconds(10));
        using var grid = Service("uk");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var answer = await grid.GetAsync("GB", CancellationToken.None);
        Assert.Contains("did not answer within 3 s", answer.Problem);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), watch.Elapsed.ToString());
    }

    [Theory]
    [InlineData("<html>maintenance</html>", "not JSON")]
    [InlineData("""{ "data": "soon" }""", "\"data\" that is not a list")]
    [InlineData("""{ "data": [] }""", "returned no periods")]
    [InlineData("""{ "data": [ { "from": "yesterday", "to": "x", "intensity": { "forecast": 1 } } ] }""", "\"from\" that is not a time")]
    [InlineData("""{ "data": [ { "from": "2026-03-29T00:30Z", "to": "2026-03-29T01:00Z", "intensity": { "forecast": -5 } } ] }""", "not a non-negative number")]
    public async Task Malformed_or_empty_answers_name_what_is_wrong(string body, string expected)
    {
        _server.Respond = _ => new(200, body);
        using var grid = Service("uk");
        Assert.Contains(expected, (await grid.GetAsync("GB", CancellationToken.None)).Problem);
    }

    [Fact]
    public async Task Missing_credentials_and_unknown_zones_say_which_setting()
    {
        using (var grid = Service("electricitymaps"))
            Assert.Contains("set CARBONLSP_ELECTRICITYMAPS_TOKEN", (await grid.GetAsync("DE", CancellationToken.None)).Problem);
        using (var grid = Service("watttime"))
            Assert.Contains("set CARBONLSP_WATTTIME_USER and CARBONLSP_WATTTIME_PASSWORD", (await grid.GetAsync("CAISO_NORTH", CancellationToken.None)).Problem);
        using (var grid = Service("uk"))
            Assert.Contains("GB-1 to GB-17", (await grid.GetAsync("GB-99", CancellationToken.None)).Problem);
        Assert.Empty(_server.Requests);
        Assert.Contains("unknown grid provider", Assert.Throws<ArgumentException>(() => GridConfig.From("nope", null, _ => null)).Message);
        Assert.Contains("no public address", Assert.Throws<ArgumentException>(() => new GridService(GridConfig.From("carbon-aware-sdk", null, _ => null))).Message);
    }

    [Fact]
    public async Task With_no_provider_nothing_is_asked()
    {
        using var grid = new GridService(GridConfig.From(null, null, _ => null));
        Assert.False(grid.Configured);
        var answer = await grid.GetAsync("DE", CancellationToken.None);
        Assert.Null(answer.Signal);
        Assert.Null(answer.Problem);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
