using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Rules;

/// <summary>CL008: a numeric format the device cannot run.</summary>
public sealed class PrecisionSupportRule : IPromptRule
{
    public string Code => FindingCodes.PrecisionUnsupported;

    /// <summary>A quantised format the device cannot run fast (fp8 without fp8 tensor cores, NVFP4 off
    /// Blackwell) is priced as fp16 and said so; weight-only formats are said to save memory, not energy.</summary>
    public Finding? Check(PromptContext c)
    {
        var p = c.Settings.Precision;
        if (!c.Estimator.Catalog.Estimator.Precisions.TryGetValue(p.Value, out var spec) || !c.Analysis.Estimated) return null;
        if (!EstimatorFit.PrecisionSupported(spec, c.Device))
            return new Finding(FindingCodes.PrecisionUnsupported, Severity.Warning,
                $"{c.Device.Name} cannot run \"{p.Value.Name()}\" ({spec.Note}): it is priced as fp16.", c.SpanOf(p)) { PromptIndex = c.Entry.Index };
        return null;
    }

}
