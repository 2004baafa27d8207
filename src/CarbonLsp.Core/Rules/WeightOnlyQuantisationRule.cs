using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.Core.Rules;

/// <summary>Weight-only formats (GGUF, bitsandbytes 8-bit, int8 weights) dequantise at every step: they
/// save memory and cost time, so energy (Hugging Face's FLUX.1-dev measurements). Worth it only when the
/// model would not fit otherwise.</summary>
public sealed class WeightOnlyQuantisationRule : IPromptRule
{
    public string Code => FindingCodes.WeightOnlyQuantisation;

    public Finding? Check(PromptContext c)
    {
        var p = c.Settings.Precision;
        if (!c.Analysis.Estimated || !c.Estimator.Catalog.Estimator.Precisions.TryGetValue(p.Value, out var spec) || spec.TimeFactor <= 1) return null;
        var target = c.Device.Fp8 && c.Estimator.Catalog.Estimator.Precisions.ContainsKey(Precision.Fp8) ? Precision.Fp8 : Precision.Fp16;
        var after = c.EstimateWith(precision: target);
        if (after.EnergyWh.Mid >= c.Footprint.EnergyWh.Mid) return null;
        var saving = c.Saving(after);
        return new Finding(Code, Severity.Information,
            $"\"{p.Value.Name()}\" ({spec.Name}) saves memory, not energy: dequantising every step makes it about {spec.TimeFactor:0.##}x slower than 16-bit. If the model fits as {target.Name()}: {saving}.",
            c.SpanOf(p))
        {
            FixesFor = at => new[] { at.SetFields($"Use {target.Name()} ({saving})", true, (FieldNames.Precision, target.Name())) },
            Related = c.InheritedFrom(p, FieldNames.Precision),
            PromptIndex = c.Entry.Index,
            SavingWh = c.Footprint.EnergyWh.Mid - after.EnergyWh.Mid,
        };
    }
}
