using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Catalog;

/// <summary>How a model name was understood.</summary>
public enum ModelMatchKind
{
    /// <summary>A catalog id, alias or Hugging Face id, or a local model folder the host resolved.</summary>
    Exact,
    /// <summary>Not in the catalog, but its name names a family ("flux", "sdxl"): that family's
    /// representative stands in, labelled first-principles with a wide range.</summary>
    Family,
    /// <summary>An image service that runs on its provider's servers: no local estimate.</summary>
    Hosted,
    /// <summary>Nothing to go on: a stand-in with the widest range.</summary>
    Unknown,
}

/// <summary>The model a name resolves to, how, and the catalog ids it may have meant.</summary>
public sealed record ModelMatch(ModelSpec? Model, ModelMatchKind Kind, IReadOnlyList<string> Suggestions, HostedService? Hosted = null);

/// <summary>
/// Resolves a model name beyond the catalog's exact names: did-you-mean over ids, aliases and families,
/// a family inferred from the name's words ("FLUX.1-Krea-dev" is a FLUX.1 model), and hosted services
/// named as such. Pure.
/// </summary>
public sealed class ModelResolver
{
    private readonly ModelCatalog _catalog;

    public ModelResolver(ModelCatalog catalog) => _catalog = catalog;

    /// <summary>The catalog model standing in for a name with no clue at all.</summary>
    public ModelSpec UnknownStandIn => _catalog.FindModelById(_catalog.Defaults.UnknownModelStandIn) ?? _catalog.Models[0];

    public ModelMatch Resolve(string name)
    {
        if (_catalog.FindModel(name) is { } exact) return new ModelMatch(exact, ModelMatchKind.Exact, Array.Empty<string>());
        if (FindHosted(name) is { } hosted) return new ModelMatch(null, ModelMatchKind.Hosted, Array.Empty<string>(), hosted);
        var suggestions = Suggest(name);
        if (InferFamily(name) is { } family)
        {
            // The stand-in first (the fix that makes the estimate the one shown), then its family.
            var members = _catalog.Models.Where(m => m.Family == family.Family && m.BaseModel == null).Select(m => m.Id);
            return new ModelMatch(family, ModelMatchKind.Family, suggestions.Prepend(family.Id).Concat(members).Distinct().Take(4).ToList());
        }
        return new ModelMatch(UnknownStandIn, ModelMatchKind.Unknown, suggestions);
    }

    public HostedService? FindHosted(string name)
    {
        var tokens = string.Join(' ', DeviceResolver.Tokens(name));
        foreach (var h in _catalog.HostedServices)
            foreach (var a in h.Aliases.Append(h.Id))
                if (tokens == string.Join(' ', DeviceResolver.Tokens(a))) return h;
        return null;
    }

    /// <summary>Close spellings of catalog ids and aliases.</summary>
    public IReadOnlyList<string> Suggest(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        return _catalog.Models.SelectMany(m => m.Aliases.Append(m.Id).Select(a => (m.Id, d: EditDistance.Compute(a.ToLowerInvariant(), lower))))
            .Where(x => x.d <= Math.Max(2, lower.Length / 4)).OrderBy(x => x.d).Select(x => x.Id).Distinct().Take(3).ToList();
    }

    /// <summary>The family representative a name's words point to, or null. Read from whole tokens
    /// (letters and digits split), so "sdxl-lightning" is SDXL and "fluxion" is nothing.</summary>
    public ModelSpec? InferFamily(string name)
    {
        var t = DeviceResolver.Tokens(name);
        bool Has(string w) => Array.IndexOf(t, w) >= 0;
        bool Seq(params string[] words)
        {
            for (var i = 0; i + words.Length <= t.Length; i++)
                if (words.Select((w, j) => t[i + j] == w).All(x => x)) return true;
            return false;
        }
        string? id =
            Has("flux") ? (Has("schnell") ? "flux-schnell" : "flux-dev")
            : Has("pixart") ? "pixart-sigma"
            : Has("kandinsky") ? (Has("3") ? "kandinsky-3" : "kandinsky-2.2")
            : Has("sana") ? (Seq("4", "8", "b") ? "sana-1.5-4.8b" : "sana-1.5-1.6b")
            : Has("hunyuan") || Has("hunyuandit") ? "hunyuan-dit"
            : Seq("sd", "3", "5") || Seq("sd", "35") || Seq("diffusion", "3", "5") ? (Has("large") ? "sd35-large" : "sd35-medium")
            : Seq("sd", "3") || Seq("diffusion", "3") ? "sd3-medium"
            : Has("sdxl") || Has("xl") ? (Has("turbo") ? "sdxl-turbo" : Has("ssd") ? "ssd-1b" : "sdxl")
            : Has("lcm") ? "lcm-dreamshaper-v7"
            : Has("turbo") && (Has("sd") || Has("diffusion")) ? "sd-turbo"
            : Seq("sd", "2") || Seq("diffusion", "2") || Seq("v", "2") ? "sd21"
            : Seq("sd", "1") || Seq("sd", "15") || Seq("diffusion", "1") || Seq("v", "1") || Has("openjourney") ? "sd15"
            : null;
        return id == null ? null : _catalog.FindModelById(id);
    }
}
