using System.Text;
using System.Text.RegularExpressions;

namespace CarbonLsp.Core.Features;

/// <summary>The hover's Markdown as plain text, for clients that ask for plaintext (Eglot, some Vim
/// clients): no emphasis markers or backticks, links as "text (url)", table rows as "label: values".
/// Only the Markdown the hover writes is handled (emphasis, code spans, links, lists, pipe tables).</summary>
public static partial class PlainText
{
    public static string FromMarkdown(string markdown)
    {
        var sb = new StringBuilder(markdown.Length);
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.StartsWith('|'))
            {
                if (SeparatorRow().IsMatch(trimmed)) continue;
                var cells = trimmed.Trim('|').Split('|').Select(c => Inline(c.Trim())).Where(c => c.Length > 0).ToList();
                if (cells.Count == 0) continue;
                line = cells.Count == 1 ? cells[0] : $"{cells[0]}: {string.Join("  ", cells.Skip(1))}";
            }
            else line = Inline(HeadingMark().Replace(line, ""));
            sb.Append(line).Append('\n');
        }
        return sb.ToString().TrimEnd('\n') + (markdown.EndsWith('\n') ? "\n" : "");
    }

    private static string Inline(string text)
    {
        text = Link().Replace(text, m => m.Groups[1].Value == m.Groups[2].Value ? m.Groups[2].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
        text = Strong().Replace(text, "$1");
        text = Emphasis().Replace(text, "$1");
        return CodeSpan().Replace(text, "$1");
    }

    [GeneratedRegex(@"^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?$")] private static partial Regex SeparatorRow();
    [GeneratedRegex(@"^#{1,6}\s+")] private static partial Regex HeadingMark();
    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")] private static partial Regex Link();
    [GeneratedRegex(@"\*\*(.+?)\*\*")] private static partial Regex Strong();
    [GeneratedRegex(@"(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])")] private static partial Regex Emphasis();
    [GeneratedRegex(@"`([^`]*)`")] private static partial Regex CodeSpan();
}
