using CarbonLsp.Core.Analysis;

namespace CarbonLsp.Core.Rules;

/// <summary>An advice rule about one prompt. Rules are pure: they read the context and return at most
/// one finding with its fixes; thresholds come from <see cref="RuleSettings"/>.</summary>
public interface IPromptRule
{
    string Code { get; }
    Finding? Check(PromptContext context);
}
