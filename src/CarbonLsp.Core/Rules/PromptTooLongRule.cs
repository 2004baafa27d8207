using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Text;
using CarbonLsp.Core.Tokenization;

namespace CarbonLsp.Core.Rules;

/// <summary>CLIP reads 77 tokens (75 of content); models that rely on CLIP alone ignore the rest of a
/// longer prompt. Exact with a CLIP vocabulary, else an approximation that says so.</summary>
public sealed class PromptTooLongRule : IPromptRule
{
    public string Code => FindingCodes.PromptTooLong;

    public Finding? Check(PromptContext c)
    {
        if (!c.Model.UsesClipWindowOnly) return null;
        var text = c.Settings.Prompt.Value;
        if (text.Length == 0 || c.ValueSpanOf(c.Settings.Prompt) is not { } value) return null;
        var counter = c.Options.Tokenizer ?? ApproximateTokenCounter.Instance;
        var max = c.Rules.TokenWindow - 2;
        var count = counter.CountTokens(text);
        if (count <= max) return null;
        var cut = counter.CutOffset(text, max);
        // When the string has no escapes, value offsets map 1:1 onto the text after the opening quote.
        var plain = value.Length == text.Length + 2;
        var span = plain && cut is { } k ? TextSpan.FromBounds(value.Start + 1 + k, value.End - 1) : value;
        var ignored = cut is { } k2 ? text[k2..] : "";
        var preview = ignored.Length > 40 ? ignored[..40] + "…" : ignored;
        var how = counter.IsExact ? $"{count} CLIP tokens" : $"about {count} tokens (approximate: no CLIP vocabulary configured)";
        return new Finding(Code, Severity.Warning,
            $"This prompt is {how}; {c.Model.Name} reads only {max}, so \"{preview}\" is ignored. Move what matters to the front or shorten it.",
            span)
        {
            PromptIndex = c.Entry.Index,
        };
    }
}
