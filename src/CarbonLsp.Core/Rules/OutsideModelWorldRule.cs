using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.Core.Rules;

/// <summary>CL111: a prompt for a model trained on a closed world (carbon-tiny: flat shapes, eight colours)
/// that uses words the model never saw, or a size it was not trained at. The model draws something anyway,
/// and it is wrong: the energy buys nothing. Names the unknown words and the size it knows; the fix sets the
/// trained size when that is what is off.</summary>
public sealed class OutsideModelWorldRule : IPromptRule
{
    public string Code => FindingCodes.OutsideModelWorld;

    public Finding? Check(PromptContext c)
    {
        var m = c.Model;
        if (!c.Analysis.ModelKnown || m.Vocabulary.Count == 0) return null;
        var unknown = Words(c.Settings.Prompt.Value).Where(w => !m.Vocabulary.Contains(w)).Distinct().ToList();
        var w0 = c.Settings.Width.Value;
        var h0 = c.Settings.Height.Value;
        var offSize = w0 != m.NativeWidth || h0 != m.NativeHeight;
        if (unknown.Count == 0 && !offSize) return null;
        var parts = new List<string>();
        if (unknown.Count > 0)
            parts.Add($"{string.Join(", ", unknown.Take(6).Select(x => $"\"{x}\""))}{(unknown.Count > 6 ? $" and {unknown.Count - 6} more" : "")} {(unknown.Count == 1 ? "is not a word" : "are not words")} it was trained on");
        if (offSize) parts.Add($"it was trained at {m.NativeWidth}×{m.NativeHeight} only, not {w0}×{h0}");
        var span = unknown.Count > 0 || !c.Settings.Width.IsWritten ? c.Entry.AnchorSpan : c.SpanOf(c.Settings.Width);
        var finding = new Finding(Code, Severity.Warning,
            $"{m.Name} draws only its own world — {string.Join("; ", parts)} — so this image will come out wrong. It knows: one/two/three (or a), small/large, " +
            "red, orange, yellow, green, blue, purple, white, black, circle/square/triangle, \"on a <colour> background\", and top/bottom left/right or center; e.g. \"two small red circles on a blue background, top left\".",
            span) { PromptIndex = c.Entry.Index };
        // The size has an obvious fix; unknown words have none (only the designer knows what to say instead).
        return offSize
            ? finding with { FixesFor = at => new[] { at.SetFields($"Generate at {m.NativeWidth}×{m.NativeHeight}, the size {m.Id} was trained at", true, (FieldNames.Width, m.NativeWidth), (FieldNames.Height, m.NativeHeight)) } }
            : finding;
    }

    /// <summary>The prompt's words, lower-cased (letters only; punctuation and digits separate words).</summary>
    private static IEnumerable<string> Words(string prompt)
    {
        var start = -1;
        for (var i = 0; i <= prompt.Length; i++)
        {
            var letter = i < prompt.Length && char.IsLetter(prompt[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0)
            {
                yield return prompt[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}
