using CarbonLsp.Core.Grid;

namespace CarbonLsp.Grid.Providers;

/// <summary>A source of live and forecast grid intensity for a zone. Only the zone and a time window go out.</summary>
public interface IGridProvider
{
    /// <summary>The provider's name as users know it ("Electricity Maps").</summary>
    string Name { get; }

    /// <summary>Now and the forecast from <paramref name="now"/> on; throws <see cref="GridProviderException"/>.</summary>
    Task<GridSignal> FetchAsync(string zone, DateTimeOffset now, CancellationToken cancellationToken);
}
