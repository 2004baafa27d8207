using CarbonLsp.Grid.Providers;

namespace CarbonLsp.Grid;

/// <summary>Which provider to ask and where: from command-line flags, else environment variables (the editor
/// passes its settings the same way). Tokens come from the environment (or the editor's secret storage), never
/// from a prompt file. The default is no provider at all: the annual average, offline.</summary>
public sealed record GridConfig(string Provider, Uri? BaseUrl, string? Token, string? User, string? Password)
{
    public const string ProviderVariable = "CARBONLSP_GRID_PROVIDER";
    public const string UrlVariable = "CARBONLSP_GRID_URL";
    public static readonly string[] Providers = { "annual", "electricitymaps", "watttime", "uk", "carbon-aware-sdk" };

    public static GridConfig Annual { get; } = new("annual", null, null, null, null);

    public static GridConfig From(string? providerFlag, string? urlFlag, Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var name = Normalize(providerFlag ?? env(ProviderVariable) ?? "annual");
        var url = urlFlag ?? env(UrlVariable);
        Uri? baseUrl = null;
        if (!string.IsNullOrWhiteSpace(url))
        {
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out baseUrl) || baseUrl.Scheme is not ("http" or "https"))
                throw new ArgumentException($"the grid provider's URL \"{url}\" is not an http(s) address.");
        }
        return new GridConfig(name, baseUrl, env(ElectricityMapsProvider.TokenVariable), env(WattTimeProvider.UserVariable), env(WattTimeProvider.PasswordVariable));
    }

    private static string Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "" or "annual" or "none" or "offline" => "annual",
        "electricitymaps" or "electricity-maps" or "electricitymap" => "electricitymaps",
        "watttime" => "watttime",
        "uk" or "ukci" or "carbonintensity" or "carbon-intensity" or "uk-carbon-intensity" => "uk",
        "carbon-aware-sdk" or "carbonaware" or "carbon-aware" or "carbonawaresdk" => "carbon-aware-sdk",
        var other => throw new ArgumentException($"unknown grid provider \"{other}\"; use one of: {string.Join(", ", Providers)} (docs/grid.md)."),
    };

    /// <summary>The provider, or null for the annual average.</summary>
    public IGridProvider? Create(GridHttp http) => Provider switch
    {
        "electricitymaps" => new ElectricityMapsProvider(http, BaseUrl ?? new Uri(ElectricityMapsProvider.DefaultBaseUrl + "/"), Token),
        "watttime" => new WattTimeProvider(http, BaseUrl ?? new Uri(WattTimeProvider.DefaultBaseUrl + "/"), User, Password),
        "uk" => new UkCarbonIntensityProvider(http, BaseUrl ?? new Uri(UkCarbonIntensityProvider.DefaultBaseUrl + "/")),
        "carbon-aware-sdk" => new CarbonAwareSdkProvider(http, BaseUrl ?? throw new ArgumentException(
            $"the Carbon Aware SDK has no public address: set {UrlVariable} (or --grid-url) to your deployment's base URL.")),
        _ => null,
    };
}
