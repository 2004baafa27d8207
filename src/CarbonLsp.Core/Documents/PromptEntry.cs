using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Documents;

/// <summary>One element of the "prompts" array that is an object.</summary>
/// <remarks>The object's nodes are shared between versions of a document (an edit inside one prompt
/// re-parses only that prompt), so their spans are in the coordinates of the text they were parsed
/// from; <see cref="Offset"/> takes them to this version's text. The node and its spans are internal to
/// Core: everything public returns spans in this version's coordinates, and code inside Core that reads
/// the node's spans converts them (<see cref="ToDocument"/>).</remarks>
public sealed class PromptEntry
{
    internal PromptEntry(int index, JsonObject node, int offset = 0) { Index = index; Node = node; Offset = offset; }

    /// <summary>Position in the prompts array (0-based).</summary>
    public int Index { get; }
    internal JsonObject Node { get; }
    /// <summary>Added to the node's spans to get offsets in this document's text (0 after a full parse).</summary>
    internal int Offset { get; }
    public TextSpan Span => ToDocument(Node.Span);

    internal TextSpan ToDocument(TextSpan nodeSpan) => nodeSpan.Shifted(Offset);
    /// <summary>A document offset in the node's coordinates.</summary>
    internal int ToNode(int documentOffset) => documentOffset - Offset;

    internal JsonProperty? Field(string name) => Node.Find(name);

    public string? Id => (Node.Get(FieldNames.Id) as JsonString)?.Value;

    // The id's file-name key, computed once per node: the duplicate-id check keys every prompt on every
    // edit, and an untouched prompt keeps its node (an entry moved by an edit copies it). A race computes
    // the same string twice; either is kept.
    private string? _idKey;
    private bool _idKeyDone;

    /// <summary><see cref="FileNames.CollisionKey"/> of the id; null when the prompt has no id.</summary>
    internal string? IdKey
    {
        get
        {
            if (Volatile.Read(ref _idKeyDone)) return _idKey;
            _idKey = Id is { Length: > 0 } id ? FileNames.CollisionKey(id) : null;
            Volatile.Write(ref _idKeyDone, true);
            return _idKey;
        }
    }
    public string? Text => (Node.Get(FieldNames.Prompt) as JsonString)?.Value;

    /// <summary>A name for messages and reports: the id when there is one, else "#N" (1-based).</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Id) ? $"#{Index + 1}" : Id!;

    /// <summary>Where diagnostics about the whole prompt go: its "prompt" value, else its id, else the object's first brace.</summary>
    public TextSpan AnchorSpan => ToDocument(
        Node.Find(FieldNames.Prompt)?.Span ?? Node.Find(FieldNames.Id)?.Span ?? new TextSpan(Node.Span.Start, Node.Span.Start + 1));

    /// <summary>The same prompt in a later version of the text, moved by <paramref name="delta"/>.</summary>
    internal PromptEntry Moved(int delta)
    {
        if (delta == 0) return this;
        var moved = new PromptEntry(Index, Node, Offset + delta);
        if (Volatile.Read(ref _idKeyDone)) (moved._idKey, moved._idKeyDone) = (_idKey, true);
        return moved;
    }
}
