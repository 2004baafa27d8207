using System.Collections.Concurrent;
using CarbonLsp.Core.Grid;
using CarbonLsp.Grid;
using CarbonLsp.LanguageServer.Configuration;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>
/// The live grid figure for the editor (issue 21), never on the typing path: an analysis asks
/// <see cref="For"/>, which answers at once from what it has (nothing the first time) and fetches in the
/// background; when a new figure arrives, <see cref="Changed"/> makes the server analyse the open files again.
/// Only the region code goes out, and only when the user configured a provider (gridProvider, gridUrl;
/// credentials from the server's environment, docs/grid.md). A provider that fails leaves the annual average,
/// and the reason is logged once per reason.
/// </summary>
public sealed class GridMonitor : IDisposable
{
    private readonly object _gate = new();
    private GridService? _service;
    private (string? Provider, string? Url) _configured;
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IntensityChoice? Choice)> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, GridSignal> _signals = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _problemsSaid = new(StringComparer.Ordinal);

    /// <summary>A new figure for some region arrived.</summary>
    public event Action? Changed;
    /// <summary>Something the user should know (a provider's failure), said once.</summary>
    public event Action<string>? Problem;

    public TimeSpan RefreshAfter { get; init; } = TimeSpan.FromMinutes(10);
    public bool Configured { get { lock (_gate) return _service != null; } }

    public void Configure(ServerSettings settings)
    {
        lock (_gate)
        {
            if (_configured == (settings.GridProvider, settings.GridUrl)) return;
            _configured = (settings.GridProvider, settings.GridUrl);
            _service?.Dispose();
            _service = null;
            _latest.Clear();
            _signals.Clear();
            try
            {
                var config = GridConfig.From(settings.GridProvider ?? "annual", settings.GridUrl);
                if (config.Provider != "annual") _service = new GridService(config, new GridTimeouts(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
            }
            catch (ArgumentException ex) { Say($"grid provider not used: {ex.Message}"); }
        }
    }

    /// <summary>The figure to use now for a region, or null (the annual average) while none is known.</summary>
    public IntensityChoice? For(string region)
    {
        GridService? service;
        lock (_gate) service = _service;
        if (service == null) return null;
        var known = _latest.TryGetValue(region, out var entry);
        if ((!known || service.Now - entry.At > RefreshAfter) && _inFlight.TryAdd(region, 0))
            _ = Task.Run(() => FetchAsync(service, region));
        return known ? entry.Choice : null;
    }

    /// <summary>The provider's latest answer for a region, with its forecast (what <see cref="For"/> fetched).</summary>
    public GridSignal? Signal(string region) => Configured && _signals.TryGetValue(region, out var s) ? s : null;

    private async Task FetchAsync(GridService service, string region)
    {
        try
        {
            var answer = await service.GetAsync(region, CancellationToken.None).ConfigureAwait(false);
            IntensityChoice? choice = null;
            if (answer.Signal is { NowGramsPerKWh: { } now } s)
                choice = new IntensityChoice(now, IntensityKind.Live, $"{s.Source}, live{(s.Marginal ? ", marginal" : "")}", s.NowAt ?? s.FetchedAt);
            else if (answer.Problem != null) Say($"grid: {answer.Problem} The annual average is used.");
            var before = _latest.TryGetValue(region, out var old) ? old.Choice : null;
            var forecastBefore = _signals.TryGetValue(region, out var oldSignal) ? oldSignal.Forecast.Count : -1;
            _latest[region] = (service.Now, choice);
            if (answer.Signal is { } signal) _signals[region] = signal;
            if (before != choice || (answer.Signal != null && (forecastBefore <= 0 || answer.Signal.Forecast.Count > 0))) Changed?.Invoke();
        }
        catch (Exception ex) { Say($"grid: {ex.Message}"); }
        finally { _inFlight.TryRemove(region, out _); }
    }

    private void Say(string message)
    {
        if (_problemsSaid.TryAdd(message, 0)) Problem?.Invoke(message);
    }

    public void Dispose()
    {
        lock (_gate) { _service?.Dispose(); _service = null; }
    }
}
