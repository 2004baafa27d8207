using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Newtonsoft.Json.Linq;
using Polly;

namespace CarbonLsp.Grid;

/// <summary>
/// The HTTP side every provider shares: an HttpClient whose handler is Microsoft.Extensions.Http.Resilience's
/// (a total timeout, retries with exponential back-off and jitter on 408, 429, 5xx and timeouts, honouring
/// Retry-After up to a cap, a timeout per attempt), and the mapping of failures to sentences: 401 and 403
/// name the setting that holds the credential, 429 says when to try again, a timeout says how long it waited.
/// </summary>
public sealed class GridHttp : IDisposable
{
    private readonly HttpClient _client;

    public GridHttp(GridTimeouts? timeouts = null, HttpMessageHandler? inner = null)
    {
        var t = timeouts ?? GridTimeouts.Default;
        Timeouts = t;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(t.Total)
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = t.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = t.FirstRetryDelay,
                MaxDelay = t.MaxRetryDelay,
                // Retry-After is honoured when it is short; a longer one is not waited for (the 429 is reported
                // with the wait it asks for, and the caller falls back to the annual average meanwhile).
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited
                    ? RetryAfter(limited) is not { } wait || wait <= t.MaxRetryDelay
                    : HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r && RetryAfter(r) is { } wait && wait <= t.MaxRetryDelay ? (TimeSpan?)wait : null),
            })
            .AddTimeout(t.PerAttempt)
            .Build();
        _client = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = inner ?? new SocketsHttpHandler() })
        {
            Timeout = Timeout.InfiniteTimeSpan, // the pipeline's timeouts rule
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("CarbonLsp");
    }

    public GridTimeouts Timeouts { get; }

    /// <summary>GETs JSON. <paramref name="provider"/> and <paramref name="credentialSetting"/> name what to fix in
    /// the messages; <paramref name="configure"/> adds the request's headers.</summary>
    public async Task<JToken> GetJsonAsync(Uri url, string provider, string? credentialSetting, Action<HttpRequestMessage>? configure, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(Request(url, configure), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new GridProviderException($"{provider} did not answer within {Timeouts.Total.TotalSeconds:0} s ({url.Host}).", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new GridProviderException($"{provider} could not be reached at {url.Scheme}://{url.Authority} ({ex.Message}).", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode) throw Failure(response, provider, credentialSetting);
            if (response.StatusCode == HttpStatusCode.NoContent) return JValue.CreateNull();   // "no data" (the Carbon Aware SDK)
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            try { return JToken.Parse(text); }
            catch (Newtonsoft.Json.JsonException ex)
            {
                throw new GridProviderException($"{provider} answered with something that is not JSON ({Shorten(text)}).", ex);
            }
        }
    }

    private static HttpRequestMessage Request(Uri url, Action<HttpRequestMessage>? configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        configure?.Invoke(request);
        return request;
    }

    private static GridProviderException Failure(HttpResponseMessage r, string provider, string? credentialSetting)
    {
        var code = (int)r.StatusCode;
        return r.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new GridProviderException(
                $"{provider} refused the credentials (HTTP {code}{(r.StatusCode == HttpStatusCode.Forbidden ? ": this account may not have this zone or signal" : "")}). " +
                (credentialSetting != null ? $"Check {credentialSetting}." : "Check the provider's settings.")),
            HttpStatusCode.TooManyRequests => new GridProviderException(
                $"{provider} is rate-limiting these requests (HTTP 429){(r.Headers.RetryAfter is { } ra ? $"; it asks to wait {RetryAfter(ra)}" : "")}."),
            HttpStatusCode.NotFound => new GridProviderException($"{provider} does not know this zone or path (HTTP 404): check the zone and the base URL."),
            _ => new GridProviderException($"{provider} answered HTTP {code} {r.ReasonPhrase}."),
        };
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage r) => r.Headers.RetryAfter switch
    {
        { Delta: { } d } => d,
        { Date: { } at } => at - DateTimeOffset.UtcNow,
        _ => null,
    };

    private static string RetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue ra) =>
        ra.Delta is { } d ? $"{d.TotalSeconds:0} s" : ra.Date is { } at ? $"until {at:u}" : "a while";

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";

    public void Dispose() => _client.Dispose();
}

/// <summary>Timeouts and retries: the editor waits less than the command line (a hover never waits: the server
/// fetches in the background), tests far less.</summary>
public sealed record GridTimeouts(TimeSpan Total, TimeSpan PerAttempt, int Retries, TimeSpan FirstRetryDelay, TimeSpan MaxRetryDelay)
{
    public static readonly GridTimeouts Default = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(8), 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
}
