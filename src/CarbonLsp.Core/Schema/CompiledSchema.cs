using CarbonLsp.Core.Fixes;
using System.Globalization;
using System.Text.RegularExpressions;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;
using NJsonSchema;

namespace CarbonLsp.Core.Schema;

/// <summary>
/// The prompt schema, read through NJsonSchema's model and compiled once into checks that run
/// directly on our syntax tree. Written by hand for speed: converting a 10,000-prompt file to
/// JTokens and running NJsonSchema's validator takes about 100 ms, this takes a few. It supports
/// exactly the keywords the schema uses (type, properties, additionalProperties, required, items,
/// minimum, maximum, multipleOf, enum, pattern, $ref) and refuses to load a schema that uses
/// others; a differential test checks it against NJsonSchema's validator on random documents.
/// </summary>
public sealed class CompiledSchema
{
    private readonly JsonObjectType _type;
    private readonly Dictionary<string, CompiledSchema> _properties = new(StringComparer.Ordinal);
    private readonly bool _allowAdditional;
    private readonly string[] _required;
    private readonly CompiledSchema? _items;
    private readonly decimal? _minimum, _maximum, _multipleOf;
    private readonly string[]? _enum;
    private readonly Regex? _pattern;
    private readonly string? _patternHelp;
    private string[]? _propertyNames;

    private static readonly Lazy<CompiledSchema> s_root = new(() => Compile(PromptSchema.Schema, new Dictionary<JsonSchema, CompiledSchema>()));
    public static CompiledSchema Root => s_root.Value;

    /// <summary>The schema's findings about a whole document (the analysis checks prompts one by one).</summary>
    public static IReadOnlyList<Finding> Check(JsonNode? root)
    {
        if (root == null) return Array.Empty<Finding>();
        var findings = new List<Finding>();
        Root.Validate(root, "value", findings);
        return findings;
    }

    private CompiledSchema(JsonSchema s)
    {
        _type = s.Type;
        _allowAdditional = s.AllowAdditionalProperties;
        _required = s.RequiredProperties.ToArray();
        _minimum = s.Minimum;
        _maximum = s.Maximum;
        _multipleOf = s.MultipleOf;
        _enum = s.Enumeration.Count > 0 ? s.Enumeration.Select(e => e?.ToString() ?? "null").ToArray() : null;
        if (s.Pattern != null)
        {
            _pattern = new Regex(s.Pattern, RegexOptions.CultureInvariant);
            // The rule in words with an example (the schema's patternErrorMessage, which VS Code shows too),
            // not the field's description.
            _patternHelp = s.ExtensionData != null && s.ExtensionData.TryGetValue("patternErrorMessage", out var help) && help is string h ? h : $"the pattern {s.Pattern}";
        }
        if (s.AllOf.Count > 0 || s.AnyOf.Count > 0 || s.OneOf.Count > 0 || s.Not != null || s.ExclusiveMaximum != null || s.ExclusiveMinimum != null
            || s.MinLength != null || s.MaxLength != null || s.MinItems != 0 || s.MaxItems != 0 || s.PatternProperties.Count > 0)
            throw new NotSupportedException("The prompt schema uses a keyword CompiledSchema does not check; extend it (and its differential test).");
    }

    private CompiledSchema(JsonSchema s, Dictionary<JsonSchema, CompiledSchema> done, CompiledSchema? items) : this(s) => _items = items;

    private static CompiledSchema Compile(JsonSchema schema, Dictionary<JsonSchema, CompiledSchema> done)
    {
        var s = schema.ActualSchema;
        if (done.TryGetValue(s, out var existing)) return existing;
        var items = s.Item != null ? Compile(s.Item, done) : null;
        var compiled = new CompiledSchema(s, done, items);
        done[s] = compiled;
        foreach (var (name, property) in s.Properties) compiled._properties[name] = Compile(property, done);
        compiled._propertyNames = compiled._properties.Keys.ToArray();
        return compiled;
    }

    /// <summary>The schema of one element of "prompts".</summary>
    public static CompiledSchema PromptItem => s_promptItem.Value;
    private static readonly Lazy<CompiledSchema> s_promptItem = new(() => Root._properties[Documents.FieldNames.Prompts]._items!);

    public void Validate(JsonNode node, string name, List<Finding> findings) => Validate(node, name, findings, null);

    /// <summary>Validates, except the object elements of <paramref name="skipObjectsIn"/> (the prompts,
    /// which the analyzer checks one by one so that a prompt's findings travel with it).</summary>
    public void Validate(JsonNode node, string name, List<Finding> findings, JsonArray? skipObjectsIn)
    {
        if (node is JsonInvalid) return; // the parser reported it
        if (!TypeMatches(node))
        {
            findings.Add(Error($"\"{name}\" must be {Expected()} (got {node.KindName}).", node.Span));
            return;
        }
        switch (node)
        {
            case JsonObject o:
                var properties = o.Properties;
                for (var i = 0; i < properties.Count; i++) // indexed: no enumerator per object
                {
                    var p = properties[i];
                    if (_properties.TryGetValue(p.Name, out var ps))
                    {
                        if (p.Value != null) ps.Validate(p.Value, p.Name, findings, skipObjectsIn);
                    }
                    else if (!_allowAdditional)
                    {
                        var meant = Suggest(p.Name);
                        findings.Add(Error($"Unknown property \"{p.Name}\".{(meant != null ? $" Did you mean \"{meant}\"?" : "")}", p.KeySpan) with
                        {
                            Fixes = meant != null ? new[] { new Fix($"Rename to \"{meant}\"", new[] { new TextEdit(p.KeySpan, JsonEdits.Literal(meant)) }, true) } : Array.Empty<Fix>(),
                        });
                    }
                }
                foreach (var r in _required)
                    if (o.Find(r) == null)
                        findings.Add(Error($"Missing required property \"{r}\".", o.Span));
                break;
            case JsonArray a when _items != null:
                var items = a.Items;
                var skipObjects = ReferenceEquals(a, skipObjectsIn);
                for (var i = 0; i < items.Count; i++)
                    if (!(skipObjects && items[i] is JsonObject)) _items.Validate(items[i], name, findings, skipObjectsIn);
                break;
            case JsonNumber n:
                var v = (decimal)Math.Clamp(n.Value, (double)decimal.MinValue / 2, (double)decimal.MaxValue / 2);
                if (_minimum is { } min && v < min) findings.Add(Error($"\"{name}\" must be at least {min.ToString(CultureInfo.InvariantCulture)}.", n.Span));
                if (_maximum is { } max && v > max) findings.Add(Error($"\"{name}\" must be at most {max.ToString(CultureInfo.InvariantCulture)}.", n.Span));
                if (_multipleOf is { } m && m != 0 && v % m != 0) findings.Add(Error($"\"{name}\" must be a multiple of {m.ToString(CultureInfo.InvariantCulture)}.", n.Span));
                break;
            case JsonString s:
                if (_enum != null && Array.IndexOf(_enum, s.Value) < 0)
                {
                    // Did-you-mean with a one-click fix: "half" -> "fp16", "DPM++ 2M Karras" -> "dpm++2m".
                    var meant = ValueSuggestions.For(s.Value, _enum);
                    findings.Add(Error($"\"{name}\" must be one of: {string.Join(", ", _enum)}.{(meant != null ? $" Did you mean \"{meant}\"?" : "")}", s.Span) with
                    {
                        Fixes = meant != null ? new[] { new Fix($"Use \"{meant}\"", new[] { new TextEdit(s.Span, JsonEdits.Literal(meant)) }, true) } : Array.Empty<Fix>(),
                    });
                }
                if (_pattern != null && !_pattern.IsMatch(s.Value)) findings.Add(Error($"\"{name}\" is not valid: {_patternHelp}", s.Span));
                break;
        }
    }

    private static Finding Error(string message, TextSpan span) => new(FindingCodes.Schema, Severity.Error, message, span);

    private bool TypeMatches(JsonNode node)
    {
        if (_type == JsonObjectType.None) return true;
        return node.Kind switch
        {
            JsonKind.Object => (_type & JsonObjectType.Object) != 0,
            JsonKind.Array => (_type & JsonObjectType.Array) != 0,
            JsonKind.String => (_type & JsonObjectType.String) != 0,
            JsonKind.Number => (_type & JsonObjectType.Number) != 0 || ((_type & JsonObjectType.Integer) != 0 && ((JsonNumber)node).IsInteger),
            JsonKind.True or JsonKind.False => (_type & JsonObjectType.Boolean) != 0,
            JsonKind.Null => (_type & JsonObjectType.Null) != 0,
            _ => true,
        };
    }

    private string Expected()
    {
        var names = new List<string>();
        if ((_type & JsonObjectType.Object) != 0) names.Add("an object");
        if ((_type & JsonObjectType.Array) != 0) names.Add("an array");
        if ((_type & JsonObjectType.String) != 0) names.Add("a string");
        if ((_type & JsonObjectType.Integer) != 0 && (_type & JsonObjectType.Number) == 0) names.Add("a whole number");
        if ((_type & JsonObjectType.Number) != 0) names.Add("a number");
        if ((_type & JsonObjectType.Boolean) != 0) names.Add("true or false");
        if ((_type & JsonObjectType.Null) != 0) names.Add("null");
        return string.Join(" or ", names);
    }

    /// <summary>The known property a misspelt or differently named one means ("co2e" -> "co2eGrams"), or null.</summary>
    private string? Suggest(string property)
    {
        if (_propertyNames == null) return null;
        var lower = property.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var n in _propertyNames)
        {
            var name = n.ToLowerInvariant();
            // A prefix of a known name (co2e -> co2eGrams, neg -> negativePrompt), when only one fits.
            if (lower.Length >= 3 && name.StartsWith(lower, StringComparison.Ordinal)
                && _propertyNames.Count(x => x.StartsWith(property, StringComparison.OrdinalIgnoreCase)) == 1) return n;
            var d = EditDistance.Compute(name, lower);
            if (d < bestDistance) { bestDistance = d; best = n; }
        }
        return best != null && bestDistance <= 2 ? best : null;
    }
}
