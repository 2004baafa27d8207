using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Features;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;

namespace CarbonLsp.Core.Tests;

/// <summary>The editor-feature layer's code actions: fix-all applied and re-analysed as a client would,
/// and the lighter-model refactors with their exact result.</summary>
public class CodeActionTests
{
    private static readonly DocumentAnalyzer Analyzer = new();

    private const string Wasteful = """
        {
          "device": "nvidia-h100",
          "defaults": { "model": "sdxl" },
          "prompts": [
            { "id": "a", "prompt": "a lighthouse", "steps": 120 },
            { "id": "b", "prompt": "a leaf icon", "model": "sdxl-turbo", "steps": 2, "guidance": 7.5 },
            { "id": "c", "prompt": "a fox", "model": "sd15", "width": 1024, "height": 1024, "images": 40 },
            { "id": "d", "prompt": "a fox", "model": "sd15", "width": 1024, "height": 1024, "images": 40 },
            { "id": "e", "prompt": "a bird", "model": "flux-dev", "precision": "gguf-q4" }
          ]
        }
        """;

    [Fact]
    public void Fix_all_applied_until_nothing_is_left_gives_a_valid_cheaper_file()
    {
        var text = Wasteful;
        var before = Analyzer.Analyze(text);
        var energyBefore = before.Totals.EnergyWh.Mid;
        var advice = before.Findings.Count(f => f.Code is not (FindingCodes.LighterModel or FindingCodes.PromptTooLong));
        for (var pass = 0; pass < 10; pass++)
        {
            var a = Analyzer.Analyze(text);
            var fixes = CodeActions.FixAll(a);
            if (fixes.Count == 0) break;
            Assert.All(fixes, x => Assert.True(x.Finding.Severity <= Severity.Warning, $"{x.Finding.Code} is a suggestion, not a problem"));
            text = TextEdits.Apply(text, fixes.SelectMany(x => x.Fix.Edits));
            var after = Analyzer.Analyze(text);
            Assert.DoesNotContain(after.Findings, f => f.Code is FindingCodes.Syntax or FindingCodes.Schema);
        }
        var final = Analyzer.Analyze(text);
        Assert.Empty(CodeActions.FixAll(final));
        // What is left with a preferred fix are suggestions (a lighter model) and guesses, never a problem.
        Assert.DoesNotContain(final.Findings, f => f.HasFixes && f.Fixes.Any(x => x.IsPreferred && x.Edits.Count > 0) && f.Severity <= Severity.Warning
                                                   && f.Code is not (FindingCodes.UnknownModel or FindingCodes.UnknownDevice or FindingCodes.Schema));
        // The problems' fixes alone (no model switched: that is a suggestion) cut 46 % here.
        Assert.True(final.Totals.EnergyWh.Mid < energyBefore * 0.6, $"fix-all should cut the waste: {energyBefore} -> {final.Totals.EnergyWh.Mid}");
        Assert.True(advice >= 6);
        Assert.Single(final.Prompts, p => p.Settings.Prompt.Value == "a fox"); // the duplicate is gone
    }

    [Fact]
    public void A_lighter_model_refactor_switches_the_prompt_and_saves_what_it_says()
    {
        var text = """{ "device": "nvidia-h100", "prompts": [ { "prompt": "a lighthouse", "model": "sdxl", "steps": 30 } ] }""";
        var a = Analyzer.Analyze(text);
        var actions = CodeActions.LighterModels(a, a.Prompts[0], Analyzer.Estimator);
        Assert.NotEmpty(actions);
        var turbo = actions.First(x => x.Alternative.Model.Id == "sdxl-turbo");
        var after = TextEdits.Apply(text, turbo.Fix.Edits);
        Assert.Equal("""{ "device": "nvidia-h100", "prompts": [ { "prompt": "a lighthouse", "model": "sdxl-turbo", "steps": 1, "guidance": 0 } ] }""", after);
        var re = Analyzer.Analyze(after);
        Assert.Equal(turbo.Alternative.Footprint.EnergyWh.Mid, re.Prompts[0].Footprint.EnergyWh.Mid, 6);
        // Lightest first.
        Assert.Equal(actions.OrderBy(x => x.Alternative.Footprint.EnergyWh.Mid).Select(x => x.Alternative.Model.Id), actions.Select(x => x.Alternative.Model.Id));
    }
}

/// <summary>Issue 18, item 7: rules are injected through the analysis options.</summary>
public class InjectedRuleTests
{
    private sealed class NoCatsRule : IPromptRule
    {
        public string Code => "CL900";
        public Finding? Check(PromptContext c) => c.Settings.Prompt.Value.Contains("cat")
            ? new Finding(Code, Severity.Hint, "no cats", c.SpanOf(c.Settings.Prompt)) { PromptIndex = c.Entry.Index, Fixes = new[] { c.SetFields("A dog instead", true, ("prompt", "a dog")) } }
            : null;
    }

    [Fact]
    public void A_host_adds_a_prompt_rule_and_drops_file_rules()
    {
        const string text = """{ "prompts": [ { "prompt": "a cat", "model": "sd15" }, { "prompt": "a cat", "model": "sd15" } ] }""";
        var options = new AnalysisOptions { PromptRules = BuiltInRules.Prompt.Append(new NoCatsRule()).ToList(), FileRules = Array.Empty<IFileRule>() };
        var a = new DocumentAnalyzer().Analyze(text, options);
        Assert.Equal(2, a.Findings.Count(f => f.Code == "CL900"));
        Assert.DoesNotContain(a.Findings, f => f.Code == FindingCodes.DuplicatePrompt);
        var fixedText = TextEdits.Apply(text, a.Findings.First(f => f.Code == "CL900").Fixes[0].Edits);
        Assert.Single(new DocumentAnalyzer().Analyze(fixedText, options).Findings, f => f.Code == "CL900");
        // The built-ins by default, and a rule disabled in the settings does not run.
        Assert.Contains(new DocumentAnalyzer().Analyze(text).Findings, f => f.Code == FindingCodes.DuplicatePrompt);
        var disabled = new AnalysisOptions { Rules = RuleSettings.Default with { Disabled = new HashSet<string> { FindingCodes.DuplicatePrompt } } };
        Assert.DoesNotContain(new DocumentAnalyzer().Analyze(text, disabled).Findings, f => f.Code == FindingCodes.DuplicatePrompt);
    }
}
