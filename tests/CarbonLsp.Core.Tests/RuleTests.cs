using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Tokenization;

namespace CarbonLsp.Core.Tests;

/// <summary>Every rule fires where it should, and every one of its fixes, applied and re-analysed,
/// removes the finding and leaves a valid file.</summary>
public class RuleTests
{
    private static readonly DocumentAnalyzer Analyzer = new();

    public static IEnumerable<object[]> Cases() => new[]
    {
        new object[] { FindingCodes.ExcessSteps, """{ "prompts": [ { "prompt": "a cat", "model": "sdxl", "steps": 150 } ] }""" },
        new object[] { FindingCodes.ExcessSteps, """{ "defaults": { "steps": 150 }, "prompts": [ { "prompt": "a cat", "model": "sdxl" }, { "prompt": "b", "model": "sdxl", "steps": 20 } ] }""" },
        new object[] { FindingCodes.CfgOnDistilled, """{ "prompts": [ { "prompt": "a cat", "model": "sdxl-turbo", "guidance": 7.5 } ] }""" },
        new object[] { FindingCodes.CfgOnDistilled, "{\r\n  \"defaults\": { \"guidance\": 5 },\r\n  \"prompts\": [\r\n    { \"prompt\": \"a cat\", \"model\": \"sd-turbo\" }\r\n  ]\r\n}" },
        new object[] { FindingCodes.AboveNativeResolution, """{ "prompts": [ { "prompt": "a cat", "model": "sd15", "width": 1024, "height": 1024 } ] }""" },
        new object[] { FindingCodes.AboveNativeResolution, """{ "prompts": [ { "prompt": "a cat", "model": "sd15", "width": 2048, "height": 512 } ] }""" },
        new object[] { FindingCodes.ManyImages, """{ "prompts": [ { "prompt": "a cat", "model": "sd15", "images": 50 } ] }""" },
        new object[] { FindingCodes.LighterModel, """{ "prompts": [ { "prompt": "a cat", "model": "sdxl", "steps": 30, "guidance": 6, "width": 1024, "height": 768 } ] }""" },
        new object[] { FindingCodes.LighterModel, """{ "defaults": { "model": "flux-dev", "steps": 28 }, "prompts": [ { "prompt": "a cat" } ] }""" },
        new object[] { FindingCodes.LighterModel, "{\"prompts\":[{\"prompt\":\"a cat\",\"model\":\"sd15\"}]}" },
        new object[] { FindingCodes.DuplicatePrompt, """{ "prompts": [ { "prompt": "a cat", "model": "sd15", "seed": 1 }, { "prompt": "a cat", "seed": 1, "model": "sd15" }, ] }""" },
        new object[] { FindingCodes.DuplicatePrompt, """{ "prompts": [ { "prompt": "a cat", "model": "sd15" }, { "prompt": "a dog" }, { "prompt": "a cat", "model": "sd15" } ] }""" },
        new object[] { FindingCodes.UnknownModel, """{ "prompts": [ { "prompt": "a cat", "model": "sdxl-trubo" } ] }""" },
        new object[] { FindingCodes.UnknownModel, """{ "prompts": [ { "prompt": "a cat", "model": "flux", "width": 1024, "height": 1024 } ] }""" },
        new object[] { FindingCodes.UnknownDevice, """{ "device": "nvidia-rtx-409", "prompts": [ { "prompt": "a cat", "model": "sd15" } ] }""" },
        new object[] { FindingCodes.BatchImages, """{ "device": "nvidia-h100", "prompts": [ { "prompt": "a cat", "model": "sd15", "images": 4 } ] }""" },
        new object[] { FindingCodes.WeightOnlyQuantisation, """{ "prompts": [ { "prompt": "a cat", "model": "flux-dev", "precision": "gguf-q4" } ] }""" },
        new object[] { FindingCodes.WeightOnlyQuantisation, """{ "defaults": { "precision": "bnb-int8" }, "prompts": [ { "prompt": "a cat", "model": "sdxl" } ] }""" },
        new object[] { FindingCodes.UnknownDevice, """{ "device": "GeForce RTX 3090", "prompts": [ { "prompt": "a cat", "model": "sd15" } ] }""" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixes_remove_their_finding_and_keep_the_file_valid(string code, string text)
    {
        var before = Analyzer.Analyze(text);
        var findings = before.Findings.Where(f => f.Code == code).ToList();
        Assert.NotEmpty(findings);
        Assert.DoesNotContain(before.Findings, f => f.Code is FindingCodes.Syntax or FindingCodes.Schema);
        foreach (var finding in findings)
        {
            Assert.NotEmpty(finding.Fixes);
            Assert.Single(finding.Fixes, f => f.IsPreferred);
            foreach (var fix in finding.Fixes)
            {
                var fixedText = TextEdits.Apply(text, fix.Edits);
                var after = Analyzer.Analyze(fixedText);
                Assert.DoesNotContain(after.Findings, f => f.Code is FindingCodes.Syntax or FindingCodes.Schema);
                Assert.DoesNotContain(after.Findings, f => f.Code == code && f.PromptIndex == finding.PromptIndex && code != FindingCodes.DuplicatePrompt);
                if (code == FindingCodes.DuplicatePrompt)
                    Assert.Equal(findings.Count - 1, after.Findings.Count(f => f.Code == code));
                if (finding.SavingWh is > 0)
                    Assert.True(after.Totals.EnergyWh.Mid < before.Totals.EnergyWh.Mid, $"{fix.Title} should save energy");
            }
        }
    }

    [Fact]
    public void Messages_state_the_saving()
    {
        var a = Analyzer.Analyze("""{ "prompts": [ { "prompt": "a cat", "model": "sdxl", "steps": 150 } ] }""");
        var f = a.Findings.Single(x => x.Code == FindingCodes.ExcessSteps);
        Assert.Matches(@"saves ≈ [\d.]+ Wh and [\d.]+ g CO2e \(−\d+%\)", f.Message);
        Assert.True(f.SavingWh > 0);
    }

    [Fact]
    public void One_recommended_step_reads_as_one_step()
    {
        var f = Analyzer.Analyze("""{ "prompts": [ { "prompt": "a cat", "model": "sdxl-turbo", "steps": 8 } ] }""").Findings.Single(x => x.Code == FindingCodes.ExcessSteps);
        Assert.Contains("; 1 step saves ≈", f.Message);
        Assert.StartsWith("Use 1 step (", f.Fixes.First().Title);
    }

    [Theory]
    [InlineData(1, "step", "1 step")]
    [InlineData(4, "step", "4 steps")]
    [InlineData(0, "local run", "0 local runs")]
    public void Counts_take_their_plural(int n, string noun, string expected) => Assert.Equal(expected, CarbonLsp.Core.Estimation.Units.Count(n, noun));

    [Fact]
    public void Inherited_values_point_back_at_defaults()
    {
        var text = """{ "defaults": { "steps": 150 }, "prompts": [ { "prompt": "a cat", "model": "sdxl" } ] }""";
        var f = Analyzer.Analyze(text).Findings.Single(x => x.Code == FindingCodes.ExcessSteps);
        Assert.Equal("\"prompt\": \"a cat\"", text[f.Span.Start..f.Span.End]);
        var related = Assert.Single(f.Related);
        Assert.Equal("\"steps\": 150", text[related.Span.Start..related.Span.End]);
    }

    [Fact]
    public void Thresholds_are_settings()
    {
        var text = """{ "prompts": [ { "prompt": "a cat", "model": "sd15", "images": 6 } ] }""";
        Assert.DoesNotContain(Analyzer.Analyze(text).Findings, f => f.Code == FindingCodes.ManyImages);
        var strict = new AnalysisOptions { Rules = new RuleSettings { MaxImages = 4 } };
        Assert.Contains(Analyzer.Analyze(text, strict).Findings, f => f.Code == FindingCodes.ManyImages);
        var off = new AnalysisOptions { Rules = new RuleSettings { Disabled = new HashSet<string> { FindingCodes.LighterModel } } };
        Assert.DoesNotContain(Analyzer.Analyze(text, off).Findings, f => f.Code == FindingCodes.LighterModel);
    }

    [Fact]
    public void Guidance_distilled_models_with_embedded_guidance_are_not_flagged()
    {
        var a = Analyzer.Analyze("""{ "prompts": [ { "prompt": "a cat", "model": "flux-dev", "guidance": 3.5 }, { "prompt": "b", "model": "lcm-dreamshaper-v7", "guidance": 8 } ] }""");
        Assert.DoesNotContain(a.Findings, f => f.Code == FindingCodes.CfgOnDistilled);
    }

    [Fact]
    public void Budget_exceeded_is_an_error_on_the_budget()
    {
        var text = """{ "budget": { "co2eGrams": 0.001 }, "device": "nvidia-h100", "prompts": [ { "prompt": "a cat", "model": "flux-dev", "id": "big" } ] }""";
        var a = Analyzer.Analyze(text);
        var f = a.Findings.Single(x => x.Code == FindingCodes.BudgetExceeded);
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal("\"co2eGrams\": 0.001", text[f.Span.Start..f.Span.End]);
        Assert.Contains("big", f.Message);
        Assert.True(a.BudgetExceeded);
        var overridden = Analyzer.Analyze(text, new AnalysisOptions { Overrides = new Analysis.Environment(BudgetGrams: 1e6) });
        Assert.False(overridden.BudgetExceeded);
    }

    [Fact]
    public void Duplicates_in_a_large_file_match_a_naive_first_occurrence_search()
    {
        // Few distinct values, so many repeats (and many shared hash slots): every repeat must point at
        // the first prompt with the same image key, and nothing else may be flagged.
        var random = new Random(11);
        var prompts = Enumerable.Range(0, 3000).Select(i =>
            $"{{ \"id\": \"p{i}\", \"prompt\": \"{(random.Next(4) == 0 ? "" : "subject " + random.Next(40))}\", \"seed\": {random.Next(5)}, \"model\": \"{(random.Next(2) == 0 ? "sd15" : "sdxl-turbo")}\" }}");
        var text = "{ \"prompts\": [\n" + string.Join(",\n", prompts) + "\n] }";
        var analysis = Analyzer.Analyze(text);
        var expected = new Dictionary<int, int>();
        var first = new Dictionary<ImageKey, int>();
        foreach (var p in analysis.Prompts)
        {
            if (p.Settings.Prompt.Value.Length == 0) continue;
            if (first.TryGetValue(p.Settings.ImageKey, out var original)) expected[p.Entry.Index] = original;
            else first[p.Settings.ImageKey] = p.Entry.Index;
        }
        var found = analysis.Findings.Where(f => f.Code == FindingCodes.DuplicatePrompt).ToDictionary(
            f => f.PromptIndex!.Value,
            f => analysis.Prompts.Single(p => p.Entry.AnchorSpan == f.Related.Single().Span).Entry.Index);
        Assert.True(expected.Count > 1000);
        Assert.Equal(expected.OrderBy(kv => kv.Key), found.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Duplicates_are_tagged_unnecessary_with_the_original_related()
    {
        var text = """{ "prompts": [ { "id": "a", "prompt": "a cat", "seed": 1 }, { "id": "b", "prompt": "a cat", "seed": 1 } ] }""";
        var f = Analyzer.Analyze(text).Findings.Single(x => x.Code == FindingCodes.DuplicatePrompt);
        Assert.True(f.Unnecessary);
        Assert.Contains("first defined here (a)", f.Related.Single().Message);
        Assert.DoesNotContain(Analyzer.Analyze(text.Replace("\"seed\": 1 }, { \"id\": \"b\", \"prompt\": \"a cat\", \"seed\": 1", "\"seed\": 1 }, { \"id\": \"b\", \"prompt\": \"a cat\", \"seed\": 2")).Findings,
            x => x.Code == FindingCodes.DuplicatePrompt);
    }

    [Fact]
    public void Long_prompts_are_flagged_with_an_approximate_count_when_no_vocabulary_is_given()
    {
        var words = string.Join(" ", Enumerable.Range(0, 90).Select(i => "word" + (char)('a' + i % 26)));
        var text = "{ \"prompts\": [ { \"prompt\": \"" + words + "\", \"model\": \"sd15\" } ] }";
        var f = Analyzer.Analyze(text).Findings.Single(x => x.Code == FindingCodes.PromptTooLong);
        Assert.Contains("approximate", f.Message);
        Assert.True(f.Span.Start > text.IndexOf(words, StringComparison.Ordinal));
        // Not for models with a T5 encoder.
        Assert.DoesNotContain(Analyzer.Analyze(text.Replace("sd15", "flux-dev")).Findings, x => x.Code == FindingCodes.PromptTooLong);
    }

    [Fact]
    public void Long_prompts_are_counted_exactly_with_the_clip_vocabulary()
    {
        var clip = TestPaths.ClipFolder;
        Assert.True(Directory.Exists(clip), $"CLIP vocabulary missing at {clip}");
        var tokenizer = new ClipTokenizer(File.ReadAllText(Path.Combine(clip, "vocab.json")), File.ReadAllText(Path.Combine(clip, "merges.txt")));
        var prompt = string.Join(", ", Enumerable.Repeat("a photo of a cat", 20)); // 5 tokens + comma each
        var text = "{ \"prompts\": [ { \"prompt\": \"" + prompt + "\", \"model\": \"sd15\" } ] }";
        var f = Analyzer.Analyze(text, new AnalysisOptions { Tokenizer = tokenizer }).Findings.Single(x => x.Code == FindingCodes.PromptTooLong);
        Assert.Contains($"{tokenizer.CountTokens(prompt)} CLIP tokens", f.Message);
        Assert.DoesNotContain("approximate", f.Message);
        // Content tokens 0..74 fit: the cut is at the 76th token, after 12 full repeats (12 x 6 = 72) + "a photo of".
        var cut = text[f.Span.Start..f.Span.End];
        Assert.StartsWith("a cat, a photo", cut);
    }

    [Fact]
    public void A_failure_in_one_prompt_does_not_stop_the_others()
    {
        // A resolver that throws for one name stands in for any bug inside a prompt's analysis.
        var options = new AnalysisOptions { ResolveModel = n => n == "boom" ? throw new InvalidOperationException("kaput") : null };
        var a = Analyzer.Analyze("""{ "prompts": [ { "prompt": "x", "model": "boom" }, { "prompt": "y", "model": "sd15" } ] }""", options);
        Assert.Contains(a.Findings, f => f.Code == FindingCodes.AnalysisFailed && f.Message.Contains("kaput"));
        Assert.Single(a.Prompts);
    }

    [Theory]
    [InlineData(1024, 512, 512, 512, 640, 320)]   // aspect 2 kept exactly (was 704×320, aspect 2.2)
    [InlineData(1024, 1024, 512, 512, 512, 512)]
    [InlineData(768, 512, 1024, 1024, 768, 512)]  // the model makes the prompt's size: kept, never enlarged
    [InlineData(1000, 700, 1024, 1024, 896, 640)] // no exact multiple of 64 near: the closest ratio (1.40 for 1.43)
    public void A_size_for_another_model_keeps_the_aspect_ratio(int w, int h, int nativeW, int nativeH, int expectedW, int expectedH)
    {
        var model = new Catalog.ModelSpec { Id = "m", NativeWidth = nativeW, NativeHeight = nativeH };
        Assert.Equal((expectedW, expectedH), LighterModelRule.SizeFor(model, w, h));
    }

    [Fact]
    public void A_lighter_model_fix_says_in_its_title_when_the_size_changes()
    {
        var a = Analyzer.Analyze("""{ "prompts": [ { "prompt": "a cat", "model": "sdxl", "steps": 30, "width": 1024, "height": 512 } ] }""");
        var titles = a.Findings.Where(f => f.Code == FindingCodes.LighterModel).SelectMany(f => f.Fixes).Select(f => f.Title).ToList();
        Assert.NotEmpty(titles);
        foreach (var t in titles.Where(t => !t.Contains("1024×512,", StringComparison.Ordinal)))
            Assert.Matches(@"at \d+×\d+ \(was 1024×512\)", t);
    }

    [Fact]
    public void Carbon_tiny_names_the_words_and_sizes_outside_its_world()
    {
        var a = Analyzer.Analyze("""{ "prompts": [ { "prompt": "a watercolour lighthouse at dusk", "model": "carbon-tiny" }, { "prompt": "two small red circles on a blue background, top left", "model": "carbon-tiny" }, { "prompt": "a red circle on a blue background", "model": "carbon-tiny", "width": 128, "height": 128 } ] }""");
        var words = Assert.Single(a.Findings, f => f.Code == FindingCodes.OutsideModelWorld && f.PromptIndex == 0);
        Assert.Contains("\"watercolour\", \"lighthouse\", \"at\", \"dusk\"", words.Message);
        Assert.False(words.HasFixes);
        Assert.DoesNotContain(a.Findings, f => f.Code == FindingCodes.OutsideModelWorld && f.PromptIndex == 1);
        var size = Assert.Single(a.Findings, f => f.Code == FindingCodes.OutsideModelWorld && f.PromptIndex == 2);
        Assert.Contains("64×64 only, not 128×128", size.Message);
        var fixedText = TextEdits.Apply(a.Document.Text, size.Fixes[0].Edits);
        Assert.DoesNotContain(Analyzer.Analyze(fixedText).Findings, f => f.Code == FindingCodes.OutsideModelWorld && f.PromptIndex == 2);
    }
}
