using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.Core.Rules;

/// <summary>What a file rule sees: the document, every prompt's analysis and the file's totals.</summary>
public sealed record FileContext(PromptDocument Document, IReadOnlyList<PromptAnalysis> Prompts, FileTotals Totals, AnalysisOptions Options);

/// <summary>An advice rule about the whole file (duplicates across prompts, the budget). Pure, like prompt rules.</summary>
public interface IFileRule
{
    string Code { get; }
    IEnumerable<Finding> Check(FileContext context);
}

/// <summary>The rules an analysis runs unless its options name others (<see cref="AnalysisOptions.PromptRules"/>,
/// <see cref="AnalysisOptions.FileRules"/>): a host adds its own (or drops some) by passing a list.</summary>
public static class BuiltInRules
{
    public static readonly IReadOnlyList<IPromptRule> Prompt = new IPromptRule[]
    {
        new UnknownModelRule(), new HostedModelRule(), new PrecisionSupportRule(),
        new ExcessStepsRule(), new CfgOnDistilledRule(), new AboveNativeResolutionRule(),
        new ManyImagesRule(), new LighterModelRule(), new PromptTooLongRule(), new BatchImagesRule(), new WeightOnlyQuantisationRule(), new OutsideModelWorldRule(),
    };

    public static readonly IReadOnlyList<IFileRule> File = new IFileRule[] { new DuplicateIdRule(), new DuplicatePromptRule(), new BudgetRule() };
}
