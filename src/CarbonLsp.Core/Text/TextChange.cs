namespace CarbonLsp.Core.Text;

/// <summary>One replacement, as an edit of a whole text: [Start, OldEnd) of the old text became
/// [Start, NewEnd) of the new one; everything from OldEnd on moved by <see cref="Delta"/>.</summary>
public readonly record struct TextChange(int Start, int OldEnd, int NewEnd)
{
    public int Delta => NewEnd - OldEnd;

    /// <summary>A span of the old text (wholly before or after the change) in the new text.</summary>
    public TextSpan Map(TextSpan s) =>
        new(s.Start >= OldEnd ? s.Start + Delta : s.Start, s.End >= OldEnd ? s.End + Delta : s.End);

    /// <summary>This change followed by <paramref name="next"/> (whose offsets are in this change's
    /// result), as one change of the original text: the smallest range that covers both.</summary>
    public TextChange Then(TextChange next)
    {
        // The end of the next change, taken back to the original text: text after our new end moved
        // by our delta; a point inside our inserted text maps to our old end.
        var nextOldEnd = next.OldEnd >= NewEnd ? next.OldEnd - Delta : next.OldEnd <= Start ? next.OldEnd : OldEnd;
        var start = Math.Min(Start, next.Start);
        var oldEnd = Math.Max(OldEnd, nextOldEnd);
        return new TextChange(start, oldEnd, oldEnd + Delta + next.Delta);
    }
}
