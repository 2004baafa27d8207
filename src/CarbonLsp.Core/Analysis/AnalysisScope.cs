using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Analysis;

/// <summary>What every prompt of one analysis shares: the document and the environment it was analysed
/// in. Prompts build their <see cref="PromptContext"/> from it when one is needed (rules, fixes, the
/// lighter alternative), so an edit does not make a context for each of ten thousand prompts.</summary>
internal sealed class AnalysisScope(PromptDocument document, DeviceSpec device, double intensity, double pue, AnalysisOptions options, FootprintEstimator estimator)
{
    public PromptDocument Document => document;

    public PromptContext ContextFor(PromptAnalysis analysis) => new()
    {
        Document = document, Analysis = analysis, Device = device, Intensity = intensity, Pue = pue, Options = options, Estimator = estimator,
    };
}
