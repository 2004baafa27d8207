using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Json;

/// <summary>Copies of syntax nodes with their spans moved through a text change: for the few nodes
/// outside the prompts (the root object, "defaults", the prompts array itself) that an edit inside one
/// prompt moves. The prompts' own nodes are never copied (see PromptEntry.Offset).</summary>
internal static class JsonShift
{
    /// <summary>A copy of <paramref name="node"/> moved through <paramref name="change"/>; the items of
    /// <paramref name="keepItemsOf"/> are not copied but replaced by <paramref name="items"/>.</summary>
    public static JsonNode Copy(JsonNode node, TextChange change, JsonArray? keepItemsOf, JsonNode[]? items)
    {
        // Wholly before the change: unchanged, shared (its parent stays the version that made it).
        if (node.Span.End < change.Start && !ReferenceEquals(node, keepItemsOf)) return node;
        var span = change.Map(node.Span);
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject(span) { Closed = o.Closed };
                var properties = new JsonProperty[o.Properties.Count];
                for (var i = 0; i < properties.Length; i++)
                {
                    var p = o.Properties[i];
                    var q = properties[i] = new JsonProperty(p.Name, change.Map(p.KeySpan), copy);
                    if (p.Value != null)
                    {
                        q.Value = Copy(p.Value, change, keepItemsOf, items);
                        if (!ReferenceEquals(q.Value, p.Value)) q.Value.Parent = copy;
                    }
                }
                copy.SetProperties(properties);
                return copy;
            case JsonArray a:
                var array = new JsonArray(span) { Closed = a.Closed };
                if (ReferenceEquals(a, keepItemsOf))
                {
                    // The prompts keep their nodes (and their parent: the array of the full parse,
                    // or none for a re-parsed prompt, so that no version keeps another alive).
                    array.SetItems(items!);
                    return array;
                }
                var copies = new JsonNode[a.Items.Count];
                for (var i = 0; i < copies.Length; i++)
                {
                    copies[i] = Copy(a.Items[i], change, keepItemsOf, items);
                    if (!ReferenceEquals(copies[i], a.Items[i])) copies[i].Parent = array;
                }
                array.SetItems(copies);
                return array;
            case JsonString s: return new JsonString(span, s.Value);
            case JsonNumber n: return new JsonNumber(span, n.Value, n.IsInteger);
            case JsonLiteral l: return new JsonLiteral(l.Kind, span);
            case JsonInvalid v: return new JsonInvalid(span, v.Text);
            default: throw new InvalidOperationException($"unknown node {node.GetType().Name}");
        }
    }
}
