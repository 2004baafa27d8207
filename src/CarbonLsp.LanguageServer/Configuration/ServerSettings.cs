using System.Globalization;
using CarbonLsp.Core.Rules;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.LanguageServer.Configuration;

/// <summary>The `carbonlsp` settings section, from workspace/configuration, didChangeConfiguration or
/// initializationOptions. Read tolerantly: a wrong type leaves that key at its default and is logged.</summary>
public sealed record ServerSettings
{
    public string? Region { get; init; }
    public string? Device { get; init; }
    public double? Pue { get; init; }
    public double? BudgetGrams { get; init; }
    public RuleSettings Rules { get; init; } = RuleSettings.Default;
    public string? ModelsPath { get; init; }
    /// <summary>Model folders outside the workspace the user allows the server to read (issue 20, item 6).</summary>
    public PathList TrustedModelFolders { get; init; } = PathList.Empty;
    public string? OutputDir { get; init; }
    /// <summary>The grid provider for live intensity (docs/grid.md); null: the annual average, nothing sent.</summary>
    public string? GridProvider { get; init; }
    /// <summary>The provider's base URL when it is not the provider's own (a company deployment, a proxy).</summary>
    public string? GridUrl { get; init; }
    public string? TokenizerPath { get; init; }
    /// <summary>Quiet time that ends a burst of edits; an edit after a pause is analysed at once.</summary>
    public int DebounceMs { get; init; } = 50;
    public bool InlayHints { get; init; } = true;
    public bool CodeLens { get; init; } = true;

    public static readonly ServerSettings Default = new();

    /// <summary>Reads a settings object. Accepts either the section itself or an object holding it
    /// under "carbonlsp" (clients differ in what they send).</summary>
    public static ServerSettings From(JToken? token, List<string>? problems = null)
    {
        if (token is not JObject o) return Default;
        if (o["carbonlsp"] is JObject nested) o = nested;
        void Problem(string key, string expected)
        {
            if (o[key] is { Type: not JTokenType.Null } && problems != null) problems.Add($"setting carbonlsp.{key} should be {expected}; ignored");
        }
        string? Str(string key)
        {
            if (o[key] is JValue { Type: JTokenType.String } v) return (string?)v;
            Problem(key, "a string");
            return null;
        }
        double? Num(string key, double min, double max)
        {
            if (o[key] is JValue { Type: JTokenType.Integer or JTokenType.Float } v && (double)v >= min && (double)v <= max) return (double)v;
            Problem(key, $"a number from {min} to {max}");
            return null;
        }
        var rules = RuleSettings.Default;
        if (o["rules"] is JObject r)
        {
            double Rule(string key, double fallback, double min, double max) =>
                r[key] is JValue { Type: JTokenType.Integer or JTokenType.Float } v && (double)v >= min && (double)v <= max ? (double)v : fallback;
            rules = new RuleSettings
            {
                StepsTolerance = Rule("stepsTolerance", rules.StepsTolerance, 0.1, 100),
                ResolutionTolerance = Rule("resolutionTolerance", rules.ResolutionTolerance, 0.1, 100),
                MaxImages = (int)Rule("maxImages", rules.MaxImages, 1, 100000),
                LighterModelMinSaving = Rule("lighterModelMinSaving", rules.LighterModelMinSaving, 0, 1),
                BatchMinSaving = Rule("batchMinSaving", rules.BatchMinSaving, 0, 1),
                Disabled = r["disabled"] is JArray d ? d.Where(x => x.Type == JTokenType.String).Select(x => ((string)x!).ToUpperInvariant()).ToHashSet() : new HashSet<string>(),
            };
        }
        double? budget = o["budget"] switch
        {
            JValue { Type: JTokenType.Integer or JTokenType.Float } v => (double)v,
            JObject b when b["co2eGrams"] is JValue { Type: JTokenType.Integer or JTokenType.Float } g => (double)g,
            _ => null,
        };
        return new ServerSettings
        {
            Region = Str("region"),
            Device = Str("device"),
            Pue = Num("pue", 1, 3),
            BudgetGrams = budget,
            Rules = rules,
            ModelsPath = Str("modelsPath"),
            TrustedModelFolders = o["trustedModelFolders"] is JArray trusted
                ? new PathList(trusted.Where(x => x.Type == JTokenType.String && !string.IsNullOrWhiteSpace((string?)x)).Select(x => (string)x!).ToArray())
                : PathList.Empty,
            OutputDir = Str("outputDir"),
            GridProvider = Str("gridProvider"),
            GridUrl = Str("gridUrl"),
            TokenizerPath = Str("tokenizerPath"),
            DebounceMs = (int)(Num("debounceMs", 0, 5000) ?? 50),
            InlayHints = o["inlayHints"] is JValue { Type: JTokenType.Boolean } ih ? (bool)ih : true,
            CodeLens = o["codeLens"] is JValue { Type: JTokenType.Boolean } cl ? (bool)cl : true,
        };
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"region={Region ?? "-"} device={Device ?? "-"} pue={Pue?.ToString() ?? "-"} budget={BudgetGrams?.ToString() ?? "-"}");
}

/// <summary>A list of paths compared by its items, so that settings read twice the same are equal (a
/// settings change that changes nothing must not re-analyse every file).</summary>
public sealed class PathList(IReadOnlyList<string> items) : IEquatable<PathList>
{
    public static readonly PathList Empty = new(Array.Empty<string>());
    public IReadOnlyList<string> Items { get; } = items;
    public bool Equals(PathList? other) => other != null && Items.SequenceEqual(other.Items, StringComparer.Ordinal);
    public override bool Equals(object? obj) => Equals(obj as PathList);
    public override int GetHashCode() => Items.Aggregate(17, (h, s) => h * 31 + StringComparer.Ordinal.GetHashCode(s));
}
