using CarbonLsp.Core.Tokenization;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Core.Tests;

public class ClipTokenizerTests
{
    private static readonly Lazy<ClipTokenizer> Clip = new(() =>
    {
        var dir = TestPaths.ClipFolder;
        Assert.True(Directory.Exists(dir), $"CLIP vocabulary missing at {dir}");
        return new ClipTokenizer(File.ReadAllText(Path.Combine(dir, "vocab.json")), File.ReadAllText(Path.Combine(dir, "merges.txt")));
    });

    public static IEnumerable<object[]> Vectors()
    {
        var json = JObject.Parse(File.ReadAllText(TestPaths.ClipTestVectors));
        foreach (var v in (JArray)json["vectors"]!)
            yield return new object[] { (string)v["text"]!, v["ids"]!.Select(x => (int)x).ToArray() };
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Matches_the_shared_test_vectors(string text, int[] ids)
    {
        Assert.Equal(ids, Clip.Value.Encode(text, pad: false));
    }

    [Fact]
    public void Pads_to_77_and_keeps_the_end_token_on_truncation()
    {
        var ids = Clip.Value.Encode(string.Join(" ", Enumerable.Repeat("cat", 200)));
        Assert.Equal(77, ids.Length);
        Assert.Equal(49406, ids[0]);
        Assert.Equal(49407, ids[76]);
        var shortIds = Clip.Value.Encode("a photo of a cat");
        Assert.Equal(77, shortIds.Length);
        Assert.All(shortIds.Skip(7), id => Assert.Equal(49407, id));
    }

    [Fact]
    public void Uses_the_pad_token_the_model_names()
    {
        var dir = TestPaths.ClipFolder;
        var sd2 = new ClipTokenizer(File.ReadAllText(Path.Combine(dir, "vocab.json")), File.ReadAllText(Path.Combine(dir, "merges.txt")), padToken: "!");
        Assert.Equal(0, sd2.Encode("a cat")[10]);
    }

    [Fact]
    public void Works_on_a_toy_vocabulary()
    {
        // The same case as transformers' CLIP tokenizer test: "lower newer" -> lo, w, er</w>, n, e, w, er</w>.
        var vocab = new JObject();
        var tokens = new[] { "l", "o", "w", "e", "r", "s", "t", "i", "d", "n", "lo", "l</w>", "w</w>", "r</w>", "t</w>", "low</w>", "er</w>", "lowest</w>", "newer</w>", "wider", "<unk>", "<|startoftext|>", "<|endoftext|>" };
        for (var i = 0; i < tokens.Length; i++) vocab[tokens[i]] = i;
        var t = new ClipTokenizer(vocab.ToString(), "#version: 0.2\nl o\nlo w</w>\ne r</w>\n");
        Assert.Equal(new[] { 10, 2, 16, 9, 3, 2, 16 }, t.EncodeContent("lower newer"));
    }

    [Fact]
    public void Approximate_counter_is_close_on_ordinary_prompts()
    {
        const string prompt = "a watercolour painting of a lighthouse at dawn, soft light, highly detailed";
        var exact = Clip.Value.CountTokens(prompt);
        var approx = ApproximateTokenCounter.Instance.CountTokens(prompt);
        Assert.InRange(approx, exact * 0.7, exact * 1.3);
    }
}
