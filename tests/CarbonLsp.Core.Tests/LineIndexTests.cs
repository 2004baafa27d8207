using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Tests;

public class LineIndexTests
{
    [Theory]
    [InlineData("a\nb", 2, 1, 0)]
    [InlineData("a\r\nb", 3, 1, 0)]
    [InlineData("a\rb", 2, 1, 0)]
    [InlineData("ab", 2, 0, 2)]
    public void Maps_offsets_for_every_line_ending(string text, int offset, int line, int character)
    {
        var index = new LineIndex(text);
        Assert.Equal(new TextPosition(line, character), index.GetPosition(offset));
        Assert.Equal(offset, index.GetOffset(new TextPosition(line, character)));
    }

    [Fact]
    public void Counts_utf16_code_units_for_non_bmp_characters()
    {
        // "😀" is two UTF-16 code units: the 'x' after it is at character 3 on line 0 ("a😀x").
        var text = "a😀x";
        var index = new LineIndex(text);
        Assert.Equal(new TextPosition(0, 3), index.GetPosition(text.IndexOf('x')));
    }

    [Fact]
    public void Clamps_positions_past_the_end_of_a_line_before_its_break()
    {
        var index = new LineIndex("ab\r\ncd");
        Assert.Equal(2, index.GetOffset(new TextPosition(0, 99)));
        Assert.Equal(6, index.GetOffset(new TextPosition(9, 0)));
        Assert.Equal(0, index.GetOffset(new TextPosition(-1, 5)));
    }

    [Fact]
    public void Agrees_with_a_line_by_line_reference_on_random_line_endings()
    {
        var random = new Random(7);
        var pieces = new[] { "\n", "\r", "\r\n", "\n\r", "x", "yz", "😀", "" };
        for (var round = 0; round < 200; round++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 30)).Select(_ => pieces[random.Next(pieces.Length)]));
            var index = new LineIndex(text);
            // Reference: walk the text, counting \r\n as one break.
            var line = 0;
            var character = 0;
            for (var offset = 0; offset <= text.Length; offset++)
            {
                Assert.Equal(new TextPosition(line, character), index.GetPosition(offset));
                if (offset == text.Length) break;
                var c = text[offset];
                if (c == '\r' && offset + 1 < text.Length && text[offset + 1] == '\n') { character++; continue; }
                if (c is '\n' or '\r') { line++; character = 0; }
                else character++;
            }
            Assert.Equal(line + 1, index.LineCount);
        }
    }

    /// <summary>Issue 20, item 3: any character LSP allows (up to 2^31 - 1, "the end of the line") clamps to
    /// the line's end; adding it to the line's start overflowed and the edit was dropped.</summary>
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 3)]
    [InlineData(1_000_000)]
    public void A_character_past_the_line_end_clamps_to_it_without_overflow(int character)
    {
        var index = new LineIndex("ab\r\ncdef\nxyz");
        Assert.Equal(8, index.GetOffset(new TextPosition(1, character)));  // "cdef" ends before its "\n"
        Assert.Equal(2, index.GetOffset(new TextPosition(0, character)));  // before "\r\n"
        Assert.Equal(12, index.GetOffset(new TextPosition(2, character))); // the last line: the end of the text
        Assert.Equal(4, index.GetOffset(new TextPosition(1, int.MinValue)));
    }
}
