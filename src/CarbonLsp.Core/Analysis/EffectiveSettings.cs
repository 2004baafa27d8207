using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Json;

namespace CarbonLsp.Core.Analysis;

/// <summary>Where an effective value came from, so a fix can edit the right place.</summary>
public enum SettingOrigin { Prompt, Defaults, Model, BuiltIn }

/// <summary>An effective value with its origin and, when written in the file, the property that holds it.
/// A struct: every prompt has a dozen of these, on every keystroke.</summary>
/// <remarks>The property is a syntax node: in the prompt's own coordinates when it comes from the prompt,
/// the document's when it comes from "defaults". So it stays inside Core, where
/// <see cref="PromptContext.SpanOf{T}"/> and <see cref="PromptContext.ValueSpanOf{T}"/> turn it into
/// document spans; nothing outside sees a node span.</remarks>
public readonly record struct Setting<T>
{
    internal Setting(T value, SettingOrigin origin, JsonProperty? property) { Value = value; Origin = origin; Property = property; }

    public T Value { get; }
    public SettingOrigin Origin { get; }
    internal JsonProperty? Property { get; }
    public bool IsWritten => Property != null;
}

/// <summary>Everything that decides an image: equal keys, equal pictures.</summary>
public readonly record struct ImageKey(string Prompt, string NegativePrompt, string Model, int Steps, int Width, int Height,
    double Guidance, string Scheduler, long? Seed, Precision Precision);

/// <summary>A prompt's settings after applying "defaults", then the model's recommendations.</summary>
public sealed class EffectiveSettings
{
    public required Setting<string> ModelName { get; init; }
    /// <summary>The catalog entry the estimate uses (null when the model is unknown).</summary>
    public required ModelSpec? Model { get; init; }
    public required Setting<int> Steps { get; init; }
    public required Setting<int> Width { get; init; }
    public required Setting<int> Height { get; init; }
    public required Setting<double> Guidance { get; init; }
    public required Setting<string> Scheduler { get; init; }
    public required Setting<long?> Seed { get; init; }
    public required Setting<int> Images { get; init; }
    /// <summary>Images generated together (the pipeline's batch): amortises per-step overhead.</summary>
    public required Setting<int> Batch { get; init; }
    public required Setting<Precision> Precision { get; init; }
    public required Setting<string> Prompt { get; init; }
    public required Setting<string> NegativePrompt { get; init; }
    public required Setting<string?> Output { get; init; }

    /// <summary>Whether any value comes from the file's "defaults".</summary>
    public bool InheritsFromDefaults =>
        ModelName.Origin == SettingOrigin.Defaults || Steps.Origin == SettingOrigin.Defaults || Width.Origin == SettingOrigin.Defaults
        || Height.Origin == SettingOrigin.Defaults || Guidance.Origin == SettingOrigin.Defaults || Scheduler.Origin == SettingOrigin.Defaults
        || Seed.Origin == SettingOrigin.Defaults || Images.Origin == SettingOrigin.Defaults || Batch.Origin == SettingOrigin.Defaults || Precision.Origin == SettingOrigin.Defaults
        || Prompt.Origin == SettingOrigin.Defaults || NegativePrompt.Origin == SettingOrigin.Defaults || Output.Origin == SettingOrigin.Defaults;

    /// <summary>Classifier-free guidance runs the denoiser twice per step: for guidance above 1 unless
    /// the model takes guidance as an input.</summary>
    public bool UsesCfg => Guidance.Value > 1 && Model is not { GuidanceEmbedded: true };

    /// <summary>The settings that decide the image, as one comparable key (for duplicate detection and reuse).</summary>
    public ImageKey ImageKey => Key.Value;

    /// <summary>The hash of <see cref="ImageKey"/>, computed once: the duplicate check hashes every prompt's
    /// key on every edit, and the settings of an untouched prompt are kept from one version to the next.</summary>
    internal int ImageKeyHash => Key.Hash;

    // Published whole (a struct of ten fields could be read half-written by another thread).
    private sealed record KeyAndHash(ImageKey Value, int Hash);
    private KeyAndHash? _key;

    private KeyAndHash Key
    {
        get
        {
            if (Volatile.Read(ref _key) is { } done) return done;
            var key = new ImageKey(Prompt.Value, NegativePrompt.Value, Model?.Id ?? ModelName.Value.ToLowerInvariant(),
                Steps.Value, Width.Value, Height.Value, Guidance.Value, Scheduler.Value, Seed.Value, Precision.Value);
            var computed = new KeyAndHash(key, key.GetHashCode());
            return Interlocked.CompareExchange(ref _key, computed, null) ?? computed;
        }
    }

    public static EffectiveSettings Resolve(PromptEntry entry, JsonObject? defaults, ModelCatalog catalog, Func<string, ModelSpec?> findModel)
    {
        var modelName = ReadString(entry, defaults, FieldNames.Model) ?? new Setting<string>(catalog.Defaults.Model, SettingOrigin.BuiltIn, null);
        var model = findModel(modelName.Value);
        // An unknown model's defaults (steps, size, guidance) are those of the model standing in for it.
        var fallback = model ?? catalog.ModelResolver.Resolve(modelName.Value).Model ?? catalog.ModelResolver.UnknownStandIn;
        return new EffectiveSettings
        {
            ModelName = modelName,
            Model = model,
            Steps = ReadInt(entry, defaults, FieldNames.Steps, SettingRanges.Steps.Min, SettingRanges.Steps.Max) ?? new(fallback.RecommendedSteps, SettingOrigin.Model, null),
            Width = ReadInt(entry, defaults, FieldNames.Width, SettingRanges.Width.Min, SettingRanges.Width.Max) ?? new(fallback.NativeWidth, SettingOrigin.Model, null),
            Height = ReadInt(entry, defaults, FieldNames.Height, SettingRanges.Height.Min, SettingRanges.Height.Max) ?? new(fallback.NativeHeight, SettingOrigin.Model, null),
            Guidance = ReadDouble(entry, defaults, FieldNames.Guidance, SettingRanges.Guidance.Min, SettingRanges.Guidance.Max) ?? new(fallback.DefaultGuidance, SettingOrigin.Model, null),
            Scheduler = ReadEnum(entry, defaults, FieldNames.Scheduler, FieldNames.Schedulers) ?? new(fallback.DefaultScheduler, SettingOrigin.Model, null),
            Seed = ReadSeed(entry, defaults),
            Images = ReadInt(entry, defaults, FieldNames.Images, SettingRanges.Images.Min, SettingRanges.Images.Max) ?? new(1, SettingOrigin.BuiltIn, null),
            Batch = ReadInt(entry, defaults, FieldNames.Batch, SettingRanges.Batch.Min, SettingRanges.Batch.Max) ?? new(1, SettingOrigin.BuiltIn, null),
            Precision = ReadPrecision(entry, defaults) ?? new(catalog.Defaults.Precision, SettingOrigin.BuiltIn, null),
            Prompt = ReadString(entry, null, FieldNames.Prompt) ?? new(string.Empty, SettingOrigin.BuiltIn, null),
            NegativePrompt = ReadString(entry, defaults, FieldNames.NegativePrompt) ?? new(string.Empty, SettingOrigin.BuiltIn, null),
            Output = ReadString(entry, defaults, FieldNames.Output) is { } o ? new Setting<string?>(o.Value, o.Origin, o.Property) : new Setting<string?>(null, SettingOrigin.BuiltIn, null),
        };
    }

    // Each reader looks in the prompt, then in "defaults". A value of the wrong type or out of range
    // is skipped (the schema check reports it), so the estimate still uses something sensible.
    // Written without closures: this runs for every field of every prompt on every keystroke.
    private static Setting<string>? ReadString(PromptEntry e, JsonObject? d, string name)
    {
        if (e.Field(name) is { Value: JsonString s } p) return new Setting<string>(s.Value, SettingOrigin.Prompt, p);
        if (d?.Find(name) is { Value: JsonString ds } dp) return new Setting<string>(ds.Value, SettingOrigin.Defaults, dp);
        return null;
    }

    private static Setting<string>? ReadEnum(PromptEntry e, JsonObject? d, string name, IReadOnlyList<string> allowed)
    {
        if (e.Field(name) is { Value: JsonString s } p && Contains(allowed, s.Value)) return new Setting<string>(s.Value, SettingOrigin.Prompt, p);
        if (d?.Find(name) is { Value: JsonString ds } dp && Contains(allowed, ds.Value)) return new Setting<string>(ds.Value, SettingOrigin.Defaults, dp);
        return null;
    }

    /// <summary>A precision the schema allows, from the prompt, else "defaults" (a value it does not allow is the schema's to report).</summary>
    private static Setting<Precision>? ReadPrecision(PromptEntry e, JsonObject? d)
    {
        if (e.Field(FieldNames.Precision) is { Value: JsonString s } p && KindNames.TryParsePrecision(s.Value, out var mine)) return new(mine, SettingOrigin.Prompt, p);
        if (d?.Find(FieldNames.Precision) is { Value: JsonString ds } dp && KindNames.TryParsePrecision(ds.Value, out var inherited)) return new(inherited, SettingOrigin.Defaults, dp);
        return null;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return true;
        return false;
    }

    private static Setting<int>? ReadInt(PromptEntry e, JsonObject? d, string name, int min, int max)
    {
        if (e.Field(name) is { Value: JsonNumber { IsInteger: true } n } p && n.Value >= min && n.Value <= max) return new Setting<int>((int)n.Value, SettingOrigin.Prompt, p);
        if (d?.Find(name) is { Value: JsonNumber { IsInteger: true } dn } dp && dn.Value >= min && dn.Value <= max) return new Setting<int>((int)dn.Value, SettingOrigin.Defaults, dp);
        return null;
    }

    private static Setting<double>? ReadDouble(PromptEntry e, JsonObject? d, string name, double min, double max)
    {
        if (e.Field(name) is { Value: JsonNumber n } p && n.Value >= min && n.Value <= max) return new Setting<double>(n.Value, SettingOrigin.Prompt, p);
        if (d?.Find(name) is { Value: JsonNumber dn } dp && dn.Value >= min && dn.Value <= max) return new Setting<double>(dn.Value, SettingOrigin.Defaults, dp);
        return null;
    }

    private static Setting<long?> ReadSeed(PromptEntry e, JsonObject? d)
    {
        if (ReadInt(e, d, FieldNames.Seed, 0, int.MaxValue) is { } i) return new Setting<long?>(i.Value, i.Origin, i.Property);
        // Seeds up to 2^32 - 1 do not fit an int: read them as numbers.
        if (ReadDouble(e, d, FieldNames.Seed, 0, uint.MaxValue) is { } big && Math.Floor(big.Value) == big.Value)
            return new Setting<long?>((long)big.Value, big.Origin, big.Property);
        return new Setting<long?>(null, SettingOrigin.BuiltIn, null);
    }
}
