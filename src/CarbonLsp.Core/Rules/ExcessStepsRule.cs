using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Rules;

/// <summary>Steps above the model's useful range: energy grows linearly with steps, quality does not.</summary>
public sealed class ExcessStepsRule : IPromptRule
{
    public string Code => FindingCodes.ExcessSteps;

    public Finding? Check(PromptContext c)
    {
        var steps = c.Settings.Steps;
        var limit = c.Model.MaxUsefulSteps * c.Rules.StepsTolerance;
        if (!c.Analysis.ModelKnown || steps.Value <= limit) return null;
        return Report(c, steps);
    }

    // Separate from Check so that the closure below is only allocated for prompts with a finding.
    private Finding Report(PromptContext c, Setting<int> steps)
    {
        var target = c.Model.RecommendedSteps;
        var after = c.EstimateWith(steps: target);
        var saving = c.Saving(after);
        return new Finding(Code, Severity.Warning,
            $"{steps.Value} steps is above what {c.Model.Name} needs (up to {c.Model.MaxUsefulSteps}; {target} recommended). Each extra step costs ≈ {Units.Wh(c.Footprint.WhPerExtraStep)}; {Units.Count(target, "step")} {saving}.",
            c.SpanOf(steps))
        {
            FixesFor = at => new[] { at.SetFields($"Use {Units.Count(target, "step")} ({saving})", true, (FieldNames.Steps, target)) },
            Related = c.InheritedFrom(steps, FieldNames.Steps),
            PromptIndex = c.Entry.Index,
            SavingWh = c.Footprint.EnergyWh.Mid - after.EnergyWh.Mid,
        };
    }
}
