using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using Xunit;

namespace CarbonLsp.Core.Tests;

/// <summary>Values and keys written as other tools write them get a did-you-mean and a one-click fix.</summary>
public class DidYouMeanTests
{
    private static readonly DocumentAnalyzer Analyzer = new();

    [Theory]
    [InlineData("\"scheduler\": \"DPM++ 2M Karras\"", "\"scheduler\": \"dpm++2m\"")]
    [InlineData("\"scheduler\": \"Euler a\"", "\"scheduler\": \"euler-a\"")]
    [InlineData("\"precision\": \"half\"", "\"precision\": \"fp16\"")]
    [InlineData("\"precision\": \"bfloat16\"", "\"precision\": \"bf16\"")]
    [InlineData("\"precison\": \"fp16\"", "\"precision\": \"fp16\"")]
    public void A_prompt_value_or_key_another_tool_would_write_is_fixed_in_one_click(string written, string meant)
    {
        // After an earlier prompt, so the fix's edit must be in the document's coordinates, not the prompt's.
        var text = $$"""{ "prompts": [ { "prompt": "a fox", "model": "sd15" }, { "prompt": "a cat", "model": "sd15", {{written}} } ] }""";
        var finding = Assert.Single(Analyzer.Analyze(text).Findings, f => f.Code == FindingCodes.Schema);
        Assert.Contains("Did you mean", finding.Message);
        var fixedText = TextEdits.Apply(text, Assert.Single(finding.Fixes).Edits);
        Assert.Contains(meant, fixedText);
        Assert.DoesNotContain(Analyzer.Analyze(fixedText).Findings, f => f.Code == FindingCodes.Schema);
    }

    [Fact]
    public void A_budget_key_written_short_is_renamed()
    {
        const string text = """{ "budget": { "co2e": 5 }, "prompts": [ { "prompt": "a cat", "model": "sd15" } ] }""";
        var finding = Assert.Single(Analyzer.Analyze(text).Findings, f => f.Code == FindingCodes.Schema);
        Assert.Contains("\"co2eGrams\"", finding.Message);
        Assert.Contains("\"co2eGrams\": 5", TextEdits.Apply(text, finding.Fixes[0].Edits));
    }

    [Fact]
    public void A_country_by_name_becomes_its_code_and_a_sub_national_grid_is_refused_with_the_reason()
    {
        const string germany = """{ "region": "Germany", "prompts": [ { "prompt": "a cat", "model": "sd15" } ] }""";
        var finding = Assert.Single(Analyzer.Analyze(germany).Findings, f => f.Code == FindingCodes.UnknownRegion);
        Assert.Contains("\"region\": \"DE\"", TextEdits.Apply(germany, finding.Fixes[0].Edits));
        const string california = """{ "region": "US-CA", "prompts": [ { "prompt": "a cat", "model": "sd15" } ] }""";
        var ca = Assert.Single(Analyzer.Analyze(california).Findings, f => f.Code == FindingCodes.UnknownRegion);
        Assert.Contains("sub-national grids are not in the catalog", ca.Message);
        Assert.Contains("\"US\"", ca.Message);
        Assert.Contains("\"region\": \"US\"", TextEdits.Apply(california, ca.Fixes[0].Edits));
    }
}
