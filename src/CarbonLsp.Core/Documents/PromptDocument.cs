using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Documents;

/// <summary>
/// A parsed prompt file. Any text gives a document: syntax errors are collected, never thrown,
/// and every prompt and field keeps its exact span (UTF-16 offsets, mapped to LSP positions by
/// <see cref="Lines"/>). Immutable once built, so readers can share it across threads.
/// </summary>
public sealed class PromptDocument
{
    private PromptDocument(string text, JsonParseResult parse)
    {
        Text = text;
        Lines = new LineIndex(text);
        Root = parse.Root;
        SyntaxErrors = parse.Errors;
        RootObject = parse.Root as JsonObject;
        PromptsArray = RootObject?.Get(FieldNames.Prompts) as JsonArray;
        Defaults = RootObject?.Get(FieldNames.Defaults) as JsonObject;
        var prompts = new List<PromptEntry>(PromptsArray?.Items.Count ?? 0); // exact: no growth copies
        if (PromptsArray != null)
            for (var i = 0; i < PromptsArray.Items.Count; i++)
                if (PromptsArray.Items[i] is JsonObject o) prompts.Add(new PromptEntry(i, o));
        Prompts = prompts;
    }

    public string Text { get; }
    public LineIndex Lines { get; }
    public JsonNode? Root { get; }
    public IReadOnlyList<JsonSyntaxError> SyntaxErrors { get; }
    public JsonObject? RootObject { get; }
    public JsonArray? PromptsArray { get; }
    public JsonObject? Defaults { get; }
    public IReadOnlyList<PromptEntry> Prompts { get; }

    public JsonProperty? TopLevelField(string name) => RootObject?.Find(name);
    public string? Region => (RootObject?.Get(FieldNames.Region) as JsonString)?.Value;
    public string? Device => (RootObject?.Get(FieldNames.Device) as JsonString)?.Value;
    public double? Pue => (RootObject?.Get(FieldNames.Pue) as JsonNumber)?.Value;
    public JsonProperty? BudgetField => (RootObject?.Get(FieldNames.Budget) as JsonObject)?.Find(FieldNames.BudgetCo2eGrams);
    public double? BudgetGrams => BudgetField?.Value is JsonNumber n ? n.Value : null;

    public static PromptDocument Parse(string? text)
    {
        text ??= string.Empty;
        return new PromptDocument(text, JsonParser.Parse(text));
    }

    public TextRange GetRange(TextSpan span) => Lines.GetRange(span);

    /// <summary>The prompt whose object contains the offset, if any (binary search: prompts are in text order).</summary>
    public PromptEntry? PromptAt(int offset)
    {
        int lo = 0, hi = Prompts.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var span = Prompts[mid].Span;
            if (offset < span.Start) hi = mid - 1;
            else if (offset > span.End) lo = mid + 1;
            else return Prompts[mid];
        }
        return null;
    }
}
