using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Fixes;

/// <summary>Replace the text in <see cref="Span"/> (UTF-16 offsets) with <see cref="NewText"/>.</summary>
public sealed record TextEdit(TextSpan Span, string NewText);

/// <summary>A one-click fix: edits that, applied together, remove the finding and leave a valid file;
/// and/or a command the host runs (e.g. open the image already generated).</summary>
public sealed record Fix(string Title, IReadOnlyList<TextEdit> Edits, bool IsPreferred = false)
{
    public FixCommand? Command { get; init; }
}

/// <summary>A host command a fix runs. Its arguments follow the document's identifier, which the host
/// puts first (the core does not know it).</summary>
public sealed record FixCommand(string Title, string Name, IReadOnlyList<object?> Arguments);

public static class TextEdits
{
    /// <summary>Applies non-overlapping edits (any order) to a text.</summary>
    public static string Apply(string text, IEnumerable<TextEdit> edits)
    {
        var sorted = edits.OrderByDescending(e => e.Span.Start).ThenByDescending(e => e.Span.End).ToList();
        var sb = new System.Text.StringBuilder(text);
        foreach (var e in sorted)
        {
            var start = Math.Clamp(e.Span.Start, 0, sb.Length);
            var end = Math.Clamp(e.Span.End, start, sb.Length);
            sb.Remove(start, end - start).Insert(start, e.NewText);
        }
        return sb.ToString();
    }
}
