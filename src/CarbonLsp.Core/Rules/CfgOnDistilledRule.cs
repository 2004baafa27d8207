using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Rules;

/// <summary>Guidance above 1 on a model distilled to work without it: the pipeline runs the denoiser
/// twice per step (conditional and unconditional) and the image gets no better.</summary>
public sealed class CfgOnDistilledRule : IPromptRule
{
    public string Code => FindingCodes.CfgOnDistilled;

    public Finding? Check(PromptContext c)
    {
        var g = c.Settings.Guidance;
        if (!c.Analysis.ModelKnown || !c.Model.GuidanceDistilled || c.Model.GuidanceEmbedded || g.Value <= 1) return null;
        return Report(c, g);
    }

    // Separate from Check so that the closure below is only allocated for prompts with a finding.
    private Finding Report(PromptContext c, Setting<double> g)
    {
        var after = c.EstimateWith(guidance: 0);
        var saving = c.Saving(after);
        return new Finding(Code, Severity.Warning,
            $"{c.Model.Name} is guidance-distilled: guidance {Units.Number(g.Value)} runs the denoiser twice per step for no gain. Guidance 0 {saving}.",
            c.SpanOf(g))
        {
            FixesFor = at => new[] { at.SetFields($"Drop classifier-free guidance (guidance 0; {saving})", true, (FieldNames.Guidance, 0)) },
            Related = c.InheritedFrom(g, FieldNames.Guidance),
            PromptIndex = c.Entry.Index,
            SavingWh = c.Footprint.EnergyWh.Mid - after.EnergyWh.Mid,
        };
    }
}
