using System.Globalization;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;
using Newtonsoft.Json;

namespace CarbonLsp.Core.Fixes;

/// <summary>Builds text edits that change a JSON document while keeping it valid and keeping the
/// user's layout: values are replaced in place; new properties go after the last one, on their own
/// line with the same indentation.</summary>
public static class JsonEdits
{
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => JsonConvert.ToString(s),
        bool b => b ? "true" : "false",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("0.###", CultureInfo.InvariantCulture),
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        _ => JsonConvert.SerializeObject(value),
    };

    /// <summary>Sets each property on the prompt's object: replaces the value of those present, inserts the
    /// others (in one edit, so several insertions at one place cannot interleave). The edits are in the
    /// document's coordinates: the prompt's node may come from an earlier version of the text, and the entry
    /// knows how far it moved, so no caller handles an offset.</summary>
    internal static IReadOnlyList<TextEdit> SetProperties(SourceText text, Documents.PromptEntry prompt, IReadOnlyList<(string Name, object? Value)> values) =>
        SetProperties(text, prompt.Node, prompt.Offset, values);

    private static IReadOnlyList<TextEdit> SetProperties(SourceText text, JsonObject obj, int offset, IReadOnlyList<(string Name, object? Value)> values)
    {
        var edits = new List<TextEdit>();
        var inserts = new List<(string Name, object? Value)>();
        foreach (var (name, value) in values)
        {
            var existing = obj.Find(name);
            if (existing?.Value != null) edits.Add(new TextEdit(existing.Value.Span.Shifted(offset), Literal(value)));
            else if (existing != null) edits.Add(new TextEdit(new TextSpan(existing.KeySpan.End + offset, existing.KeySpan.End + offset), ": " + Literal(value)));
            else inserts.Add((name, value));
        }
        if (inserts.Count > 0) edits.Add(InsertProperties(text, obj, offset, inserts));
        return edits;
    }

    private static TextEdit InsertProperties(SourceText text, JsonObject obj, int offset, IReadOnlyList<(string Name, object? Value)> values)
    {
        var members = values.Select(v => JsonConvert.ToString(v.Name) + ": " + Literal(v.Value)).ToList();
        var last = obj.Properties.LastOrDefault(p => p.Value != null) ?? obj.Properties.LastOrDefault();
        if (last == null)
        {
            // Empty object: put the members inside the braces on one line.
            var at = obj.Span.Start + 1 + offset;
            var closing = obj.Closed ? " " : " }";
            return new TextEdit(new TextSpan(at, at), " " + string.Join(", ", members) + closing);
        }
        var end = last.Span.End + offset;
        var keyStart = last.KeySpan.Start + offset;
        var lineStart = LineStartOf(text, keyStart);
        var indent = text.Substring(lineStart, keyStart - lineStart);
        var multiline = string.IsNullOrWhiteSpace(indent);
        var separator = multiline ? ",\n" + indent : ", ";
        var newline = DetectNewline(text);
        if (multiline && newline != "\n") separator = "," + newline + indent;
        return new TextEdit(new TextSpan(end, end), separator + string.Join(separator, members));
    }

    /// <summary>Removes an element from an array together with the comma that separates it.</summary>
    /// <summary>Removes item <paramref name="index"/> of <paramref name="count"/>, whose spans in the text
    /// <paramref name="itemSpan"/> gives.</summary>
    public static TextEdit RemoveArrayItem(SourceText text, int count, Func<int, TextSpan> itemSpan, int index)
    {
        var item = itemSpan(index);
        int start, end;
        if (index > 0)
        {
            // Remove from the end of the previous item (its comma and our whitespace) to our end.
            start = itemSpan(index - 1).End;
            end = item.End;
        }
        else if (count > 1)
        {
            start = item.Start;
            end = itemSpan(1).Start;
        }
        else
        {
            start = item.Start;
            end = item.End;
            // A trailing comma after the only item goes too.
            var next = SkipSpace(text, end);
            if (next < text.Length && text[next] == ',') end = next + 1;
        }
        return new TextEdit(TextSpan.FromBounds(start, end), string.Empty);
    }

    private static int SkipSpace(SourceText text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i;
    }

    private static int LineStartOf(SourceText text, int offset)
    {
        var i = Math.Min(offset, text.Length);
        while (i > 0 && text[i - 1] != '\n' && text[i - 1] != '\r') i--;
        return i;
    }

    private static string DetectNewline(SourceText text)
    {
        var n = text.IndexOf('\n');
        return n > 0 && text[n - 1] == '\r' ? "\r\n" : "\n";
    }
}
