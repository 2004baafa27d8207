namespace CarbonLsp.Core.Text;

/// <summary>A half-open range of UTF-16 offsets into a document's text. .NET strings are UTF-16,
/// so offsets are plain string indices.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    public int Length => End - Start;
    public bool Contains(int offset) => offset >= Start && offset <= End;
    /// <summary>The same span moved by <paramref name="delta"/> characters.</summary>
    public TextSpan Shifted(int delta) => new(Start + delta, End + delta);
    /// <summary>Whether the spans share an offset; touching counts (an empty span at a finding's end asks for it).</summary>
    public bool Overlaps(TextSpan other) => Start <= other.End && other.Start <= End;
    public static TextSpan FromBounds(int start, int end) => new(start, Math.Max(start, end));
}
