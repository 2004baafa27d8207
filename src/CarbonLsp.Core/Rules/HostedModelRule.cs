using CarbonLsp.Core.Analysis;

namespace CarbonLsp.Core.Rules;

/// <summary>CL007: a hosted service runs on its provider's servers: no local estimate, and said so.</summary>
public sealed class HostedModelRule : IPromptRule
{
    public string Code => FindingCodes.HostedModel;

    public Finding? Check(PromptContext c) => c.Analysis.Hosted is not { } service ? null :
        new Finding(FindingCodes.HostedModel, Severity.Warning,
            $"{service.Name} runs on {service.Provider}'s servers, not on this device: no local estimate is made, and this prompt is not counted in the file's total. " +
            (service.Published ?? "No per-image energy has been published for it."), c.SpanOf(c.Settings.ModelName))
        {
            PromptIndex = c.Entry.Index,
        };

}
