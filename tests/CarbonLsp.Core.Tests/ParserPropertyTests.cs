using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;
using CarbonLsp.Tests.Shared;
using CsCheck;

namespace CarbonLsp.Core.Tests;

/// <summary>Random bytes and random edits never make parsing or analysis throw, and every span the
/// parser or the analysis reports lies inside the text. CARBONLSP_FUZZ_SCALE multiplies the counts (the
/// long run in docs/reliability.md: scale 143, over a million inputs).</summary>
public class ParserPropertyTests
{
    private static readonly DocumentAnalyzer s_analyzer = new();

    private const string Valid = """
        {
          "region": "FR",
          "defaults": { "model": "sdxl", "steps": 30 },
          "prompts": [
            { "id": "a", "prompt": "a cat 😀 on a mat", "width": 1536, "height": 1536, "guidance": 7 },
            { "id": "b", "prompt": "a dog", "model": "sdxl-turbo", "guidance": 5, "images": 20 },
            { "id": "c", "prompt": "a dog", "model": "sdxl-turbo", "guidance": 5, "images": 20 },
          ],
        }
        """;

    private static void CheckInvariants(string text)
    {
        var doc = PromptDocument.Parse(text);
        foreach (var e in doc.SyntaxErrors) AssertInside(e.Span, text);
        Walk(doc.Root, text);
        var analysis = s_analyzer.Analyze(doc);
        foreach (var f in analysis.Findings)
        {
            AssertInside(f.Span, text);
            foreach (var fix in f.Fixes)
            foreach (var edit in fix.Edits) AssertInside(edit.Span, text);
            var range = doc.GetRange(f.Span);
            Assert.True(range.Start <= range.End);
            Assert.True(range.End.Line < doc.Lines.LineCount);
        }
    }

    private static void AssertInside(TextSpan span, string text)
    {
        Assert.InRange(span.Start, 0, text.Length);
        Assert.InRange(span.End, span.Start, text.Length);
    }

    private static void Walk(JsonNode? node, string text)
    {
        if (node == null) return;
        AssertInside(node.Span, text);
        if (node is JsonObject o)
            foreach (var p in o.Properties) { AssertInside(p.KeySpan, text); Walk(p.Value, text); }
        if (node is JsonArray a)
            foreach (var item in a.Items) Walk(item, text);
    }

    [Fact]
    public void Random_text_never_throws() =>
        Gen.String[Gen.Char.AlphaNumeric, 0, 200].Select(Gen.OneOf("{", "}", "[", "]", ":", ",", "\"", "/*", "//", "\n", "\r\n", "😀", "\\", "-1e9", "true", " "), (s, t) => s + t)
            .Sample(CheckInvariants, iter: 2000 * FuzzScale.Factor);

    [Fact]
    public void Random_unicode_never_throws() =>
        Gen.String[Gen.Char, 0, 300].Sample(CheckInvariants, iter: 1000 * FuzzScale.Factor);

    [Fact]
    public void Random_edits_of_a_valid_file_never_throw() =>
        Gen.Select(Gen.Int[0, Valid.Length], Gen.Int[0, 12], Gen.String[Gen.Char.AlphaNumeric, 0, 4].Select(Gen.OneOf("", "\"", "{", "}", ",", ":", "]", "\n", "😀"), (a, b) => a + b))
            .Sample((pos, del, ins) =>
            {
                var end = Math.Min(Valid.Length, pos + del);
                CheckInvariants(Valid[..pos] + ins + Valid[end..]);
            }, iter: 3000 * FuzzScale.Factor);

    [Fact]
    public void Random_bytes_decoded_as_utf8_never_throw() =>
        Gen.Byte.Array[0, 400].Sample(bytes => CheckInvariants(System.Text.Encoding.UTF8.GetString(bytes)), iter: 1000 * FuzzScale.Factor);
}
