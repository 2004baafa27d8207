using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Documents;

/// <summary>One element of the "prompts" array that is an object.</summary>
public sealed class PromptEntry
{
    public PromptEntry(int index, JsonObject node) { Index = index; Node = node; }

    /// <summary>Position in the prompts array (0-based).</summary>
    public int Index { get; }
    public JsonObject Node { get; }
    public TextSpan Span => Node.Span;

    public JsonProperty? Field(string name) => Node.Find(name);

    public string? Id => (Node.Get(FieldNames.Id) as JsonString)?.Value;
    public string? Text => (Node.Get(FieldNames.Prompt) as JsonString)?.Value;

    /// <summary>A name for messages and reports: the id when there is one, else "#N" (1-based).</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(Id) ? $"#{Index + 1}" : Id!;

    /// <summary>Where diagnostics about the whole prompt go: its "prompt" value, else its id, else the object's first brace.</summary>
    public TextSpan AnchorSpan =>
        Node.Find(FieldNames.Prompt)?.Span ?? Node.Find(FieldNames.Id)?.Span ?? new TextSpan(Node.Span.Start, Node.Span.Start + 1);
}
