using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Json;

public enum JsonKind { Object, Array, String, Number, True, False, Null, Invalid }

/// <summary>A node of the tolerant JSON syntax tree. Every node knows its exact span in the text,
/// so analysis results and fixes can point at (and edit) the right characters.</summary>
public abstract class JsonNode
{
    protected JsonNode(JsonKind kind, TextSpan span) { Kind = kind; Span = span; }
    public JsonKind Kind { get; }
    public TextSpan Span { get; internal set; }
    public JsonNode? Parent { get; internal set; }

    public string KindName => Kind switch
    {
        JsonKind.True or JsonKind.False => "boolean",
        JsonKind.Invalid => "invalid value",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

public sealed class JsonObject : JsonNode
{
    // Exact-size arrays filled once by the parser: a 10,000-prompt file has ~100,000 properties,
    // and a List per object (plus its growth copies) was a tenth of the parser's allocations.
    private JsonProperty[] _properties = Array.Empty<JsonProperty>();

    public JsonObject(TextSpan span) : base(JsonKind.Object, span) { }
    public IReadOnlyList<JsonProperty> Properties => _properties;
    internal void SetProperties(JsonProperty[] properties) => _properties = properties;
    /// <summary>False when the closing brace is missing.</summary>
    public bool Closed { get; internal set; }

    /// <summary>The last property with this name (JSON parsers keep the last duplicate).</summary>
    public JsonProperty? Find(string name)
    {
        var properties = _properties;
        for (var i = properties.Length - 1; i >= 0; i--)
            if (properties[i].Name == name) return properties[i];
        return null;
    }

    public JsonNode? Get(string name) => Find(name)?.Value;
}

public sealed class JsonProperty
{
    public JsonProperty(string name, TextSpan keySpan, JsonObject owner) { Name = name; KeySpan = keySpan; Owner = owner; }
    /// <summary>The key's unescaped text.</summary>
    public string Name { get; }
    /// <summary>The key's span, quotes included.</summary>
    public TextSpan KeySpan { get; }
    /// <summary>The key as a string node, made on request (keys are not stored as nodes: one object
    /// fewer per property).</summary>
    public JsonString Key => new(KeySpan, Name) { Parent = Owner };
    /// <summary>Null when the text has a key but no value yet (e.g. while typing).</summary>
    public JsonNode? Value { get; internal set; }
    public JsonObject Owner { get; }
    public TextSpan Span => TextSpan.FromBounds(KeySpan.Start, Value?.Span.End ?? KeySpan.End);
}

public sealed class JsonArray : JsonNode
{
    private JsonNode[] _items = Array.Empty<JsonNode>();

    public JsonArray(TextSpan span) : base(JsonKind.Array, span) { }
    public IReadOnlyList<JsonNode> Items => _items;
    internal void SetItems(JsonNode[] items) => _items = items;
    public bool Closed { get; internal set; }
}

public sealed class JsonString : JsonNode
{
    public JsonString(TextSpan span, string value) : base(JsonKind.String, span) { Value = value; }
    public string Value { get; }
}

public sealed class JsonNumber : JsonNode
{
    public JsonNumber(TextSpan span, double value, bool isInteger) : base(JsonKind.Number, span)
    {
        Value = value;
        IsInteger = isInteger;
    }
    public double Value { get; }
    /// <summary>True when the literal has no fraction or exponent and fits a 64-bit integer.</summary>
    public bool IsInteger { get; }
}

public sealed class JsonLiteral : JsonNode
{
    public JsonLiteral(JsonKind kind, TextSpan span) : base(kind, span) { }
    public bool? BooleanValue => Kind switch { JsonKind.True => true, JsonKind.False => false, _ => null };
}

/// <summary>Text where a value should be but that is not one (a bare word, a stray symbol).</summary>
public sealed class JsonInvalid : JsonNode
{
    public JsonInvalid(TextSpan span, string text) : base(JsonKind.Invalid, span) { Text = text; }
    public string Text { get; }
}

public sealed record JsonSyntaxError(string Message, TextSpan Span);
