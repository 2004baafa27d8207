namespace CarbonLsp.Core.Text;

/// <summary>
/// An immutable text kept in pieces, so that an edit makes a new version by copying the piece it falls
/// in, not the whole text. A text made from a string is that string (one piece, nothing copied); the
/// first edit of a long one cuts it into pieces.
/// </summary>
/// <remarks>
/// Why not a string: a 10,000-prompt file is 1.3 million characters, and an editor sends an edit per
/// keystroke. A new 2.6 MB string per version lived until the next edit, long enough to be promoted into
/// gen 2, which is collected seldom, so a burst of typing held tens of megabytes of dead versions (issue 18,
/// memory right after a burst of edits; with the runtime's default threshold each copy was a large object
/// too). A piece is at most <see cref="DefaultPieceChars"/> × 2 characters (64 KB, under the default
/// large-object threshold of 85,000 bytes). Offsets are UTF-16 code units, as everywhere in Core.
/// </remarks>
public sealed class SourceText
{
    /// <summary>The length pieces are cut to. A piece grows by edits up to twice this before it is cut again.</summary>
    public const int DefaultPieceChars = 16 * 1024;

    private readonly string[] _pieces;
    private readonly int[] _starts; // _starts[i]: the offset of _pieces[i]'s first character
    private readonly int _pieceChars;

    private SourceText(string[] pieces, int[] starts, int length, int pieceChars)
    {
        _pieces = pieces;
        _starts = starts;
        Length = length;
        _pieceChars = pieceChars;
    }

    public static SourceText Empty { get; } = From(string.Empty);

    /// <summary>The text of <paramref name="text"/>, which it keeps as its one piece (nothing is copied).</summary>
    public static SourceText From(string text) => From(text, DefaultPieceChars);

    /// <summary>As <see cref="From(string)"/>, cutting pieces to <paramref name="pieceChars"/> characters at the first edit (tests use small pieces).</summary>
    internal static SourceText From(string text, int pieceChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (pieceChars < 1) throw new ArgumentOutOfRangeException(nameof(pieceChars));
        return new SourceText(new[] { text }, new[] { 0 }, text.Length, pieceChars);
    }

    public int Length { get; }

    /// <summary>How many pieces hold the text (one until the first edit of a long text).</summary>
    public int PieceCount => _pieces.Length;

    /// <summary>The character at <paramref name="offset"/> (a binary search over the pieces: for scans of a
    /// few characters; long scans go piece by piece, <see cref="Pieces"/>).</summary>
    public char this[int offset]
    {
        get
        {
            if ((uint)offset >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(offset));
            var i = PieceAt(offset);
            return _pieces[i][offset - _starts[i]];
        }
    }

    /// <summary>The pieces in order, each with the offset of its first character.</summary>
    public IEnumerable<(int Start, string Piece)> Pieces
    {
        get
        {
            for (var i = 0; i < _pieces.Length; i++) yield return (_starts[i], _pieces[i]);
        }
    }

    /// <summary>The whole text as one string: the very string for a text of one piece, else a copy.</summary>
    public override string ToString() => _pieces.Length == 1 ? _pieces[0] : Substring(0, Length);

    public string Substring(int start, int length)
    {
        CheckRange(start, length);
        if (length == 0) return string.Empty;
        var i = PieceAt(start);
        var within = start - _starts[i];
        if (within + length <= _pieces[i].Length) return within == 0 && length == _pieces[i].Length ? _pieces[i] : _pieces[i].Substring(within, length);
        return string.Create(length, (Text: this, Start: start), static (chars, s) => s.Text.CopyTo(s.Start, chars));
    }

    /// <summary>Copies <paramref name="destination"/>.Length characters from <paramref name="start"/> on.</summary>
    public void CopyTo(int start, Span<char> destination)
    {
        CheckRange(start, destination.Length);
        if (destination.IsEmpty) return;
        var i = PieceAt(start);
        var within = start - _starts[i];
        while (!destination.IsEmpty)
        {
            var piece = _pieces[i].AsSpan(within);
            var n = Math.Min(piece.Length, destination.Length);
            piece[..n].CopyTo(destination);
            destination = destination[n..];
            i++;
            within = 0;
        }
    }

    /// <summary>The first offset at or after <paramref name="from"/> holding <paramref name="c"/>, or -1.</summary>
    public int IndexOf(char c, int from = 0)
    {
        if (from >= Length) return -1;
        from = Math.Max(from, 0);
        for (var i = PieceAt(from); i < _pieces.Length; i++)
        {
            var within = Math.Max(from - _starts[i], 0);
            var found = _pieces[i].AsSpan(within).IndexOf(c);
            if (found >= 0) return _starts[i] + within + found;
        }
        return -1;
    }

    /// <summary>The next version: [<paramref name="start"/>, <paramref name="end"/>) replaced by
    /// <paramref name="inserted"/>. Copies the pieces the range touches (and a neighbour when what is left
    /// would be small), cut to the piece length; every other piece is shared with this version.</summary>
    public SourceText Replace(int start, int end, string inserted)
    {
        ArgumentNullException.ThrowIfNull(inserted);
        if (start < 0 || end < start || end > Length) throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {end}) is not inside a text of {Length} characters.");
        if (start == end && inserted.Length == 0) return this;
        var first = PieceAt(start);
        var last = end > start ? PieceAt(end - 1) : first;
        if (start == Length && Length > 0) first = last = _pieces.Length - 1; // appending: the last piece
        var from = _starts[first];
        var to = _starts[last] + _pieces[last].Length;
        var length = (start - from) + inserted.Length + (to - end);
        // A small remainder joins its neighbour, so that deletions do not leave ever more tiny pieces.
        while (length < _pieceChars / 4 && (first > 0 || last < _pieces.Length - 1))
        {
            if (last < _pieces.Length - 1) { last++; length += _pieces[last].Length; to += _pieces[last].Length; }
            else { first--; length += _pieces[first].Length; from = _starts[first]; }
        }

        // No empty pieces (offsets would stop naming one piece), unless the whole text is empty.
        var made = length == 0 && _pieces.Length > last - first + 1 ? Array.Empty<string>() : Cut(new Parts(this, from, start, inserted, end, to), length);
        var pieces = new string[_pieces.Length - (last - first + 1) + made.Length];
        Array.Copy(_pieces, 0, pieces, 0, first);
        made.CopyTo(pieces, first);
        Array.Copy(_pieces, last + 1, pieces, first + made.Length, _pieces.Length - last - 1);
        var starts = new int[pieces.Length];
        var offset = 0;
        for (var i = 0; i < pieces.Length; i++)
        {
            starts[i] = offset;
            offset += pieces[i].Length;
        }
        return new SourceText(pieces, starts, offset, _pieceChars);
    }

    // The new text of the replaced pieces: this text's [From, Start), the inserted text, this text's [End, To).
    private readonly record struct Parts(SourceText Text, int From, int Start, string Inserted, int End, int To)
    {
        public void CopyTo(int offset, Span<char> destination)
        {
            // offset is within the concatenation of the three parts
            var before = Start - From;
            while (!destination.IsEmpty)
            {
                int n;
                if (offset < before)
                {
                    n = Math.Min(destination.Length, before - offset);
                    Text.CopyTo(From + offset, destination[..n]);
                }
                else if (offset < before + Inserted.Length)
                {
                    n = Math.Min(destination.Length, before + Inserted.Length - offset);
                    Inserted.AsSpan(offset - before, n).CopyTo(destination);
                }
                else
                {
                    n = destination.Length;
                    Text.CopyTo(End + offset - before - Inserted.Length, destination);
                }
                destination = destination[n..];
                offset += n;
            }
        }
    }

    private string[] Cut(Parts parts, int length)
    {
        if (length == 0) return new[] { string.Empty };
        var count = length <= 2 * _pieceChars ? 1 : (length + _pieceChars - 1) / _pieceChars;
        var size = (length + count - 1) / count; // even pieces: no short tail
        var made = new string[count];
        for (var i = 0; i < count; i++)
        {
            var at = i * size;
            var n = Math.Min(size, length - at);
            made[i] = string.Create(n, (Parts: parts, At: at), static (chars, s) => s.Parts.CopyTo(s.At, chars));
        }
        return made;
    }

    private int PieceAt(int offset)
    {
        var i = Array.BinarySearch(_starts, offset);
        if (i < 0) i = ~i - 1;
        // An empty piece exists only in an empty text; past the end is the last piece.
        return Math.Clamp(i, 0, _pieces.Length - 1);
    }

    private void CheckRange(int start, int length)
    {
        if (start < 0 || length < 0 || start > Length - length)
            throw new ArgumentOutOfRangeException(nameof(start), $"[{start}, {start}+{length}) is not inside a text of {Length} characters.");
    }
}
