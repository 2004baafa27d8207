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
            text = TextEdits.Apply(text, fixes.SelectMany(f => f.Edits));
            var after = Analyzer.Analyze(text);
            Assert.DoesNotContain(after.Findings, f => f.Code is FindingCodes.Syntax or FindingCodes.Schema);
        }
        var final = Analyzer.Analyze(text);
        Assert.Empty(CodeActions.FixAll(final));
        Assert.DoesNotContain(final.Findings, f => f.HasFixes && f.Fixes.Any(x => x.IsPreferred) && f.Code is not (FindingCodes.UnknownModel or FindingCodes.UnknownDevice));
        Assert.True(final.Totals.EnergyWh.Mid < energyBefore / 5, $"fix-all should cut most of the waste: {energyBefore} -> {final.Totals.EnergyWh.Mid}");
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
