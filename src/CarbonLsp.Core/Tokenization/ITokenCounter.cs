namespace CarbonLsp.Core.Tokenization;

/// <summary>Counts the tokens a text encoder sees for a prompt (content tokens, without start and end).</summary>
public interface ITokenCounter
{
    /// <summary>True when counts are exact (a real tokenizer); false for an approximation.</summary>
    bool IsExact { get; }
    int CountTokens(string text);
    /// <summary>The offset in <paramref name="text"/> where content beyond <paramref name="maxContentTokens"/> starts, or null when it all fits.</summary>
    int? CutOffset(string text, int maxContentTokens);
}

/// <summary>A clearly-labelled approximation for when no CLIP vocabulary is at hand: about one token
/// per word or punctuation run, plus one per 6 letters of a long word (CLIP's BPE splits rare words).</summary>
public sealed class ApproximateTokenCounter : ITokenCounter
{
    public static readonly ApproximateTokenCounter Instance = new();
    public bool IsExact => false;

    public int CountTokens(string text) => Walk(text, int.MaxValue, out _);

    public int? CutOffset(string text, int maxContentTokens)
    {
        Walk(text, maxContentTokens, out var cut);
        return cut;
    }

    private static int Walk(string text, int limit, out int? cut)
    {
        cut = null;
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            int tokens;
            if (char.IsLetter(c))
            {
                while (i < text.Length && char.IsLetter(text[i])) i++;
                tokens = 1 + (i - start - 1) / 6;
            }
            else if (char.IsDigit(c)) { i++; tokens = 1; }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && !char.IsLetterOrDigit(text[i])) i++;
                tokens = 1;
            }
            if (count + tokens > limit && cut == null) cut = start;
            count += tokens;
        }
        return count;
    }
}
