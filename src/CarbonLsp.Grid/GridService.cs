using CarbonLsp.Core.Grid;
using CarbonLsp.Grid.Providers;

namespace CarbonLsp.Grid;

/// <summary>What a provider said about a zone, or why it said nothing usable (then the annual average is used
/// and the problem shown).</summary>
public sealed record GridAnswer(GridSignal? Signal, string? Problem);

/// <summary>Asks the configured provider, at most once per zone every <see cref="CacheFor"/>, and never throws:
/// a failure is an answer with a problem, so callers fall back to the annual average with a visible note.</summary>
public sealed class GridService : IDisposable
{
    private readonly GridHttp _http;
    private readonly IGridProvider? _provider;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (DateTimeOffset At, GridAnswer Answer)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public GridService(GridConfig config, GridTimeouts? timeouts = null, TimeProvider? time = null, HttpMessageHandler? handler = null)
    {
        _http = new GridHttp(timeouts, handler);
        _time = time ?? TimeProvider.System;
        _provider = config.Create(_http);
    }

    public TimeSpan CacheFor { get; init; } = TimeSpan.FromMinutes(10);
    public bool Configured => _provider != null;
    public string? ProviderName => _provider?.Name;
    public DateTimeOffset Now => _time.GetUtcNow();

    public async Task<GridAnswer> GetAsync(string zone, CancellationToken ct)
    {
        if (_provider == null) return new GridAnswer(null, null);
        var now = _time.GetUtcNow();
        lock (_cache)
            if (_cache.TryGetValue(zone, out var hit) && now - hit.At < CacheFor) return hit.Answer;
        GridAnswer answer;
        try { answer = new GridAnswer(await _provider.FetchAsync(zone, now, ct).ConfigureAwait(false), null); }
        catch (GridProviderException ex) { answer = new GridAnswer(null, ex.Message); }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            answer = new GridAnswer(null, $"{_provider.Name} failed: {ex.Message}");
        }
        lock (_cache) _cache[zone] = (now, answer);
        return answer;
    }

    public void Dispose() => _http.Dispose();
}
