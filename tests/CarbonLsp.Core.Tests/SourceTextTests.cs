using CarbonLsp.Core.Text;
using Xunit;

namespace CarbonLsp.Core.Tests;

/// <summary>A text kept in pieces must read exactly like the string it stands for, after any edits:
/// checked against a string edited the same way, with pieces small enough that every operation meets
/// piece boundaries.</summary>
public class SourceTextTests
{
    private const string Alphabet = "ab{}\",:\r\n\r\n 😀xyz";

    private static string RandomText(Random random, int length) =>
        new(Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 16)]
    [InlineData(4, 100)]
    public void Random_edits_read_like_the_same_edits_of_a_string(int seed, int pieceChars)
    {
        var random = new Random(seed);
        var model = RandomText(random, random.Next(0, 300));
        var text = SourceText.From(model, pieceChars);
        Assert.Same(model, text.ToString()); // one piece until the first edit: the string itself
        var most = 0;
        for (var step = 0; step < 600; step++)
        {
            var start = random.Next(model.Length + 1);
            var end = Math.Min(model.Length, start + (random.Next(4) == 0 ? random.Next(200) : random.Next(4)));
            var inserted = random.Next(3) == 0 ? "" : RandomText(random, random.Next(4) == 0 ? random.Next(150) : random.Next(1, 5));
            model = model[..start] + inserted + model[end..];
            text = text.Replace(start, end, inserted);
            most = Math.Max(most, text.PieceCount);

            Assert.Equal(model.Length, text.Length);
            Assert.Equal(model, text.ToString());
            foreach (var (at, piece) in text.Pieces)
                Assert.True(piece.Length <= Math.Max(2 * pieceChars, 1) || text.PieceCount == 1, $"step {step}: a piece of {piece.Length} at {at}");
            for (var k = 0; k < 5 && model.Length > 0; k++)
            {
                var i = random.Next(model.Length);
                Assert.Equal(model[i], text[i]);
                var length = random.Next(model.Length - i + 1);
                Assert.Equal(model.Substring(i, length), text.Substring(i, length));
                var c = Alphabet[random.Next(Alphabet.Length)];
                Assert.Equal(model.IndexOf(c, i), text.IndexOf(c, i));
            }
            AssertSameLines(new LineIndex(model), new LineIndex(text), model.Length, $"step {step}");
        }
        if (pieceChars < 20) Assert.True(most > 5, $"never more than {most} pieces");
    }

    [Fact]
    public void A_line_break_split_between_two_pieces_is_one_line_break()
    {
        var text = SourceText.From("ab\r\ncd", 2).Replace(0, 0, "").Replace(3, 3, "x").Replace(3, 4, "");
        Assert.Equal("ab\r\ncd", text.ToString());
        Assert.True(text.PieceCount > 1);
        var lines = new LineIndex(text);
        Assert.Equal(2, lines.LineCount);
        Assert.Equal(new TextPosition(1, 0), lines.GetPosition(4));
        Assert.Equal(2, lines.GetOffset(new TextPosition(0, 99))); // the line ends before "\r\n"
    }

    [Fact]
    public void An_edit_of_a_long_text_copies_only_the_pieces_it_touches()
    {
        var model = string.Concat(Enumerable.Repeat("{ \"prompt\": \"a fox\" },\n", 20_000)); // 460,000 characters
        var first = SourceText.From(model).Replace(100, 100, "x"); // the first edit cuts the text into pieces
        var pieces = first.Pieces.Select(p => p.Piece).ToArray();
        var second = first.Replace(200_000, 200_003, "yz");
        var after = second.Pieces.Select(p => p.Piece).ToArray();
        Assert.Equal(pieces.Length, after.Length);
        Assert.Equal(pieces.Length - 1, pieces.Zip(after).Count(p => ReferenceEquals(p.First, p.Second)));
        Assert.All(after, p => Assert.True(p.Length * 2 < 85_000, "a piece on the large-object heap"));
        Assert.Equal(model.Insert(100, "x").Remove(200_000, 3).Insert(200_000, "yz"), second.ToString());
    }

    [Fact]
    public void Out_of_range_edits_and_reads_are_refused()
    {
        var text = SourceText.From("abc");
        Assert.Throws<ArgumentOutOfRangeException>(() => text.Replace(2, 4, ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => text.Replace(2, 1, ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => text.Substring(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => text[3]);
        Assert.Equal("", SourceText.From("abc", 1).Replace(0, 1, "").Replace(0, 2, "").ToString());
    }

    private static void AssertSameLines(LineIndex expected, LineIndex actual, int length, string where)
    {
        Assert.True(expected.LineCount == actual.LineCount, $"{where}: {actual.LineCount} lines, expected {expected.LineCount}");
        for (var offset = 0; offset <= length; offset++)
            Assert.Equal(expected.GetPosition(offset), actual.GetPosition(offset));
        for (var line = 0; line < expected.LineCount; line++)
            Assert.Equal(expected.GetOffset(new TextPosition(line, int.MaxValue)), actual.GetOffset(new TextPosition(line, int.MaxValue)));
    }
}
