using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Rules;

/// <summary>Above the native resolution energy grows at least with the pixel count, and models trained
/// at their native size often repeat subjects; generating at native size and upscaling is cheaper.</summary>
public sealed class AboveNativeResolutionRule : IPromptRule
{
    public string Code => FindingCodes.AboveNativeResolution;

    public Finding? Check(PromptContext c)
    {
        var w = c.Settings.Width;
        var h = c.Settings.Height;
        var pixels = (double)w.Value * h.Value;
        if (!c.Analysis.ModelKnown || pixels <= c.Model.NativePixels * c.Rules.ResolutionTolerance) return null;
        return Report(c, w, h, pixels);
    }

    // Separate from Check so that the closure below is only allocated for prompts with a finding.
    private Finding Report(PromptContext c, Setting<int> w, Setting<int> h, double pixels)
    {
        // Keep the aspect ratio, within the native pixel count.
        var (nw, nh) = LighterModelRule.SizeFor(c.Model, w.Value, h.Value);
        var after = c.EstimateWith(width: nw, height: nh);
        var saving = c.Saving(after);
        var ratio = pixels / c.Model.NativePixels;
        return new Finding(Code, Severity.Information,
            $"{w.Value}×{h.Value} is {Units.Number(ratio)}× the pixels of {c.Model.Name}'s native {c.Model.NativeWidth}×{c.Model.NativeHeight}. Generate at {nw}×{nh} and upscale: {saving}.",
            w.Origin == SettingOrigin.Prompt ? c.SpanOf(w) : c.SpanOf(h))
        {
            FixesFor = at => new[] { at.SetFields($"Generate at {nw}×{nh}, then upscale ({saving})", true, (FieldNames.Width, nw), (FieldNames.Height, nh)) },
            Related = c.InheritedFrom(w, FieldNames.Width).Concat(c.InheritedFrom(h, FieldNames.Height)).ToArray(),
            PromptIndex = c.Entry.Index,
            SavingWh = c.Footprint.EnergyWh.Mid - after.EnergyWh.Mid,
        };
    }
}
