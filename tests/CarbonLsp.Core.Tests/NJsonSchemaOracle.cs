using System.Globalization;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

using CarbonLsp.Core.Schema;

namespace CarbonLsp.Core.Tests;

/// <summary>
/// The oracle for the compiled schema (test-only, so it is not shipped): NJsonSchema's own validator run
/// on a JToken copy of our tree, each error mapped back to the exact span of the offending key or value.
/// SchemaDifferentialTests requires the compiled schema (<see cref="CompiledSchema.Check"/>) to agree.
/// </summary>
internal static class NJsonSchemaOracle
{
    public static IReadOnlyList<Finding> ValidateWithNJsonSchema(JsonNode? root)
    {
        if (root == null) return Array.Empty<Finding>();
        var token = ToToken(root);
        if (token == null) return Array.Empty<Finding>();
        var errors = new JsonSchemaValidator().Validate(token, PromptSchema.Schema);
        var findings = new List<Finding>();
        foreach (var e in Flatten(errors))
        {
            var (node, property) = Locate(root, e.Path, e.Property);
            var span = e.Kind == ValidationErrorKind.NoAdditionalPropertiesAllowed && property != null ? property.KeySpan
                : node?.Span ?? new TextSpan(root.Span.Start, root.Span.Start + 1);
            findings.Add(new Finding(FindingCodes.Schema, Severity.Error, Describe(e, node, property), span));
        }
        // One message per place and text is enough (oneOf/anyOf branches can repeat them).
        return findings.DistinctBy(f => (f.Span, f.Message)).ToList();
    }

    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var e in errors)
        {
            if (e is ChildSchemaValidationError child && child.Errors.Count > 0)
                foreach (var inner in Flatten(child.Errors.SelectMany(kv => kv.Value))) yield return inner;
            else yield return e;
        }
    }

    internal static JToken? ToToken(JsonNode node) => node switch
    {
        JsonObject o => ObjectToken(o),
        JsonArray a => new JArray(a.Items.Select(ToToken).Where(t => t != null)),
        JsonString s => new JValue(s.Value),
        JsonNumber n => n.IsInteger ? new JValue((long)n.Value) : new JValue(n.Value),
        JsonLiteral { Kind: JsonKind.True } => new JValue(true),
        JsonLiteral { Kind: JsonKind.False } => new JValue(false),
        JsonLiteral { Kind: JsonKind.Null } => JValue.CreateNull(),
        _ => null,
    };

    private static JObject ObjectToken(JsonObject o)
    {
        var result = new JObject();
        foreach (var p in o.Properties)
        {
            // Keep keys even when their value is missing or invalid, so "required" is not misreported;
            // the value then stands as a string the schema will accept or flag on its own.
            var value = p.Value == null ? null : ToToken(p.Value);
            result[p.Name] = value ?? JValue.CreateUndefined();
        }
        return result;
    }

    /// <summary>Follows an NJsonSchema path ("#/prompts[3].steps" or "#/prompts/3/steps") in our tree.</summary>
    private static (JsonNode? Node, JsonProperty? Property) Locate(JsonNode root, string? path, string? propertyName)
    {
        JsonNode? node = root;
        JsonProperty? property = null;
        foreach (var segment in Segments(path))
        {
            if (node is JsonObject o && o.Find(segment) is { } p) { property = p; node = p.Value ?? (JsonNode)p.Key; }
            else if (node is JsonArray a && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Items.Count) { property = null; node = a.Items[i]; }
            else break;
        }
        if (propertyName != null && node is JsonObject obj && obj.Find(propertyName) is { } named)
            return (named.Value ?? named.Key, named);
        return (node, property);
    }

    private static IEnumerable<string> Segments(string? path)
    {
        if (string.IsNullOrEmpty(path)) yield break;
        var p = path.StartsWith("#", StringComparison.Ordinal) ? path[1..] : path;
        var current = new System.Text.StringBuilder();
        foreach (var ch in p)
        {
            if (ch is '/' or '.' or '[' or ']')
            {
                if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
            }
            else current.Append(ch);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static string Describe(ValidationError e, JsonNode? node, JsonProperty? property)
    {
        var name = e.Property ?? property?.Name ?? "value";
        var s = e.Schema;
        var got = node == null ? "" : $" (got {node.KindName})";
        return e.Kind switch
        {
            ValidationErrorKind.NoAdditionalPropertiesAllowed => $"Unknown property \"{e.Property}\".{Suggest(e.Property, e.Schema)}",
            ValidationErrorKind.PropertyRequired => $"Missing required property \"{e.Property}\".",
            ValidationErrorKind.IntegerExpected => $"\"{name}\" must be a whole number{got}.",
            ValidationErrorKind.NumberExpected => $"\"{name}\" must be a number{got}.",
            ValidationErrorKind.StringExpected => $"\"{name}\" must be a string{got}.",
            ValidationErrorKind.ArrayExpected => $"\"{name}\" must be an array{got}.",
            ValidationErrorKind.ObjectExpected => $"\"{name}\" must be an object{got}.",
            ValidationErrorKind.BooleanExpected => $"\"{name}\" must be true or false{got}.",
            ValidationErrorKind.NumberTooBig => $"\"{name}\" must be at most {Format(s.Maximum)}.",
            ValidationErrorKind.NumberTooSmall => $"\"{name}\" must be at least {Format(s.Minimum)}.",
            ValidationErrorKind.NumberNotMultipleOf => $"\"{name}\" must be a multiple of {Format(s.MultipleOf)}.",
            ValidationErrorKind.NotInEnumeration => $"\"{name}\" must be one of: {string.Join(", ", s.Enumeration.Select(v => v?.ToString()))}.",
            ValidationErrorKind.PatternMismatch => $"\"{name}\" is not valid: {(s.ExtensionData != null && s.ExtensionData.TryGetValue("patternErrorMessage", out var help) && help is string h ? h : $"the pattern {s.Pattern}")}",
            _ => $"\"{name}\": {e.Kind}.",
        };
    }

    private static string Format(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Suggest(string? property, JsonSchema schema)
    {
        if (property == null) return "";
        var owner = schema.ParentSchema ?? schema;
        var names = (schema.Properties.Count > 0 ? schema.Properties.Keys : owner.ActualSchema.Properties.Keys).ToList();
        var best = names.OrderBy(n => Text.EditDistance.Compute(n.ToLowerInvariant(), property.ToLowerInvariant())).FirstOrDefault();
        return best != null && Text.EditDistance.Compute(best.ToLowerInvariant(), property.ToLowerInvariant()) <= 2 ? $" Did you mean \"{best}\"?" : "";
    }
}
