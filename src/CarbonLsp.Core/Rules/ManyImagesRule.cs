using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.Core.Rules;

/// <summary>Many images of one prompt multiply its cost; a few first, more only if needed.</summary>
public sealed class ManyImagesRule : IPromptRule
{
    public string Code => FindingCodes.ManyImages;

    public Finding? Check(PromptContext c)
    {
        var images = c.Settings.Images;
        var max = c.Rules.MaxImages;
        if (images.Value <= max) return null;
        return Report(c, images, max);
    }

    // Separate from Check so that the closure below is only allocated for prompts with a finding.
    private Finding Report(PromptContext c, Setting<int> images, int max)
    {
        var after = c.EstimateWith(images: max);
        var saving = c.Saving(after);
        return new Finding(Code, Severity.Information,
            $"{images.Value} images of one prompt: try {max} first and generate more only if none fits; {max} {saving}.",
            c.SpanOf(images))
        {
            FixesFor = at => new[] { at.SetFields($"Generate {max} images ({saving})", true, (FieldNames.Images, max)) },
            Related = c.InheritedFrom(images, FieldNames.Images),
            PromptIndex = c.Entry.Index,
            SavingWh = c.Footprint.EnergyWh.Mid - after.EnergyWh.Mid,
        };
    }
}
