using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;

namespace CarbonLsp.Core.Rules;

/// <summary>CL108: prompts that repeat an earlier one in everything that decides the image.</summary>
public sealed class DuplicatePromptRule : IFileRule
{
    public string Code => FindingCodes.DuplicatePrompt;

    /// <summary>Prompts that repeat an earlier one in everything that decides the image. An open-addressing
    /// table of prompt indices keyed by the image key's hash: no dictionary of 10,000 large keys, whose
    /// arrays would land on the large-object heap on every keystroke.</summary>
    public IEnumerable<Finding> Check(FileContext c)
    {
        var document = c.Document;
        var prompts = c.Prompts;
        var found = new List<Finding>();
        if (document.PromptsArray == null || prompts.Count < 2) return found;
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)prompts.Count * 2);
        var slots = new int[size]; // prompt index + 1 of the first prompt with a key; 0 = empty
        var mask = size - 1;
        for (var i = 0; i < prompts.Count; i++)
        {
            var p = prompts[i];
            if (p.Settings.Prompt.Value.Length == 0) continue;
            var key = p.Settings.ImageKey;
            var hash = p.Settings.ImageKeyHash;
            var slot = hash & mask;
            while (slots[slot] != 0 && !(prompts[slots[slot] - 1].Settings is var other && other.ImageKeyHash == hash && other.ImageKey.Equals(key))) slot = (slot + 1) & mask;
            if (slots[slot] == 0) slots[slot] = i + 1;
            else found.Add(Duplicate(document, p, prompts[slots[slot] - 1]));
        }
        return found;
    }

    private static Finding Duplicate(PromptDocument document, PromptAnalysis p, PromptAnalysis original)
    {
        var array = document.PromptsArray!;
        var index = p.Entry.Index;
        return new Finding(FindingCodes.DuplicatePrompt, Severity.Warning,
            $"Prompt {p.Entry.DisplayName} repeats {original.Entry.DisplayName} in everything that affects the image; generating it again costs {Units.Wh(p.Footprint.EnergyWh.Mid)} for the same picture. Remove it, or raise \"images\" on the first.",
            p.Entry.Span)
        {
            Unnecessary = true,
            Related = new[] { new RelatedLocation(original.Entry.AnchorSpan, $"first defined here ({original.Entry.DisplayName})") },
            FixesFactory = () => new[] { new Fix($"Remove duplicate prompt {p.Entry.DisplayName}", new[] { JsonEdits.RemoveArrayItem(document.Source, array.Items.Count, document.PromptsItemSpan, index) }, true) },
            PromptIndex = p.Entry.Index,
            SavingWh = p.Footprint.EnergyWh.Mid,
        };
    }
}
