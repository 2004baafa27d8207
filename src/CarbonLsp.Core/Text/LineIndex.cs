namespace CarbonLsp.Core.Text;

/// <summary>Maps UTF-16 offsets to line/character positions and back. Lines end at \n, \r\n or \r,
/// as the LSP specification defines them.</summary>
public sealed class LineIndex
{
    private readonly int[] _lineStarts;
    private readonly int[] _contentEnds; // where each line's text ends, before its line break
    private readonly int _length;

    public LineIndex(string text) : this(SourceText.From(text)) { }

    public LineIndex(SourceText text)
    {
        // Count first so that both arrays are allocated once, exactly sized (no list growth copies;
        // a 10,000-prompt file has as many lines). The text comes in pieces: a "\r\n" may straddle two.
        var lines = 1;
        var endsWithCr = false;
        foreach (var (_, piece) in text.Pieces)
        {
            var span = piece.AsSpan();
            lines += span.Count('\n') + span.Count('\r') - span.Count("\r\n".AsSpan());
            if (endsWithCr && span.Length > 0 && span[0] == '\n') lines--;
            if (span.Length > 0) endsWithCr = span[^1] == '\r';
        }
        var starts = new int[lines];
        var ends = new int[lines];
        var line = 0;
        var skip = -1; // the '\n' of a "\r\n" already counted
        foreach (var (start, piece) in text.Pieces)
        {
            var span = piece.AsSpan();
            var at = 0;
            while (at < span.Length)
            {
                var found = span[at..].IndexOfAny('\r', '\n');
                if (found < 0) break;
                var i = start + at + found;
                at += found + 1;
                if (i == skip) continue;
                ends[line] = i;
                if (span[at - 1] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    skip = i + 1;
                    starts[++line] = i + 2;
                }
                else starts[++line] = i + 1;
            }
        }
        ends[line] = text.Length;
        _lineStarts = starts;
        _contentEnds = ends;
        _length = text.Length;
    }

    public int LineCount => _lineStarts.Length;
    public int Length => _length;

    public int LineStart(int line) => _lineStarts[Math.Clamp(line, 0, _lineStarts.Length - 1)];

    public TextPosition GetPosition(int offset)
    {
        offset = Math.Clamp(offset, 0, _length);
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new TextPosition(line, offset - _lineStarts[line]);
    }

    public TextRange GetRange(TextSpan span) => new(GetPosition(span.Start), GetPosition(span.End));

    /// <summary>The offset of a position; positions past a line's end clamp to the end of the text
    /// on that line (before its line break), as LSP asks.</summary>
    public int GetOffset(TextPosition position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= _lineStarts.Length) return _length;
        var start = _lineStarts[position.Line];
        // Clamp the character before adding: LSP allows any uint (2147483647 means "the line's end"),
        // and start + character would overflow.
        return start + Math.Clamp(position.Character, 0, _contentEnds[position.Line] - start);
    }
}
