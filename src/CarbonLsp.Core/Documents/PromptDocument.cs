using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Documents;

/// <summary>
/// A parsed prompt file. Any text gives a document: syntax errors are collected, never thrown,
/// and every prompt and field keeps its exact span (UTF-16 offsets, mapped to LSP positions by
/// <see cref="Lines"/>). Immutable once built, so readers can share it across threads.
/// <see cref="Update"/> makes the next version after an edit inside one prompt by re-parsing only that
/// prompt; the other prompts keep their nodes (see <see cref="PromptEntry.Offset"/>).
/// </summary>
public sealed class PromptDocument
{
    private static long s_lastId;

    private PromptDocument(SourceText text, JsonParseResult parse)
    {
        Source = text;
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

    private PromptDocument(SourceText text, JsonObject root, IReadOnlyList<PromptEntry> prompts, PromptEdit edit)
    {
        Source = text;
        Lines = new LineIndex(text);
        Root = RootObject = root;
        SyntaxErrors = Array.Empty<JsonSyntaxError>();
        PromptsArray = root.Get(FieldNames.Prompts) as JsonArray;
        Defaults = root.Get(FieldNames.Defaults) as JsonObject;
        Prompts = prompts;
        Edit = edit;
    }

    /// <summary>Identifies this version (unique in the process), so a later version can name its base without holding it.</summary>
    public long Id { get; } = Interlocked.Increment(ref s_lastId);
    /// <summary>Set when this version was made by <see cref="Update"/>: which version, which change, which prompt.</summary>
    public PromptEdit? Edit { get; }

    /// <summary>The text, kept in pieces that versions share (an edit copies one piece, not the file).</summary>
    public SourceText Source { get; }
    /// <summary>The text as one string: free for a text of one piece (a document parsed from a string), a
    /// copy of the whole text for an edited long one. Code that runs per edit reads <see cref="Source"/>.</summary>
    public string Text => Source.ToString();
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
        return new PromptDocument(SourceText.From(text), JsonParser.Parse(text));
    }

    /// <summary>Parses a text kept in pieces (the parser reads one string: a long edited text is joined for it).</summary>
    public static PromptDocument Parse(SourceText text) => new(text, JsonParser.Parse(text.ToString()));

    public TextRange GetRange(TextSpan span) => Lines.GetRange(span);

    /// <summary>The next version of <paramref name="previous"/> after <paramref name="change"/>, which made
    /// <paramref name="text"/>. When the change lies inside one prompt object of a file without syntax
    /// errors and that object still parses cleanly as one object, only it is re-parsed; anything else is
    /// a full parse. Either way the result equals <c>Parse(text)</c> in everything it reports.</summary>
    public static PromptDocument Update(PromptDocument? previous, string text, TextChange? change) =>
        Update(previous, SourceText.From(text), change);

    /// <inheritdoc cref="Update(PromptDocument?, string, TextChange?)"/>
    public static PromptDocument Update(PromptDocument? previous, SourceText text, TextChange? change)
    {
        if (previous != null && change is { } c && TryUpdate(previous, text, c) is { } updated) return updated;
        return Parse(text);
    }

    private static PromptDocument? TryUpdate(PromptDocument previous, SourceText text, TextChange change)
    {
        if (previous.SyntaxErrors.Count > 0 || previous.RootObject == null || previous.PromptsArray is not { } array
            || previous.Prompts.Count != array.Items.Count || previous.Prompts.Count == 0
            || text.Length != previous.Source.Length + change.Delta)
            return null;
        // The prompt whose braces enclose the change (the braces themselves unchanged).
        var index = previous.PromptIndexAt(change.Start);
        if (index < 0) return null;
        var old = previous.Prompts[index];
        var span = old.Span;
        if (change.Start <= span.Start || change.OldEnd >= span.End) return null;
        var start = span.Start;
        var length = span.Length + change.Delta;
        var parse = JsonParser.Parse(text.Substring(start, length));
        if (parse.Errors.Count > 0 || parse.Root is not JsonObject { Closed: true } node || node.Span.Start != 0 || node.Span.End != length
            || Depth(node) > JsonParser.MaxDepth - 8) // the full parse meets the prompt two levels down: same depth limit, same result
            return null;

        var prompts = new PromptEntry[previous.Prompts.Count];
        var items = new JsonNode[prompts.Length];
        for (var i = 0; i < prompts.Length; i++)
        {
            var entry = i < index ? previous.Prompts[i] : i == index ? new PromptEntry(i, node, start) : previous.Prompts[i].Moved(change.Delta);
            prompts[i] = entry;
            items[i] = entry.Node;
        }
        var root = (JsonObject)JsonShift.Copy(previous.RootObject, change, array, items);
        return new PromptDocument(text, root, prompts, new PromptEdit(previous.Id, change, index));
    }

    private static int Depth(JsonNode node) => node switch
    {
        JsonObject o => 1 + o.Properties.Select(p => p.Value == null ? 0 : Depth(p.Value)).DefaultIfEmpty(0).Max(),
        JsonArray a => 1 + a.Items.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>The index in <see cref="Prompts"/> of the prompt whose object contains the offset, or -1.</summary>
    public int PromptIndexAt(int offset)
    {
        int lo = 0, hi = Prompts.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var span = Prompts[mid].Span;
            if (offset < span.Start) hi = mid - 1;
            else if (offset > span.End) lo = mid + 1;
            else return mid;
        }
        return -1;
    }

    /// <summary>The span of item <paramref name="index"/> of the prompts array, in this version's coordinates.</summary>
    public TextSpan PromptsItemSpan(int index) =>
        Edit != null ? Prompts[index].Span : PromptsArray!.Items[index].Span; // after an update every item is a prompt

    /// <summary>The prompt whose object contains the offset, if any (binary search: prompts are in text order).</summary>
    public PromptEntry? PromptAt(int offset) => PromptIndexAt(offset) is var i and >= 0 ? Prompts[i] : null;
}

/// <summary>How a document version was made from an earlier one: <see cref="Change"/> of version
/// <see cref="BaseId"/>'s text, inside prompt <see cref="PromptIndex"/>, which alone was re-parsed.</summary>
public sealed record PromptEdit(long BaseId, TextChange Change, int PromptIndex);
