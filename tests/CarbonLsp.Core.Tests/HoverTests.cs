using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Features;
using CarbonLsp.Core.Rules;

namespace CarbonLsp.Core.Tests;

/// <summary>The editor-feature layer's hover, driven by fixtures with a cursor marker ($0), as the
/// handlers see it: plain markdown and a span in document coordinates.</summary>
public class HoverTests
{
    private static readonly DocumentAnalyzer Analyzer = new();

    private static (HoverResult? Hover, string Text) HoverAt(string fixture, AnalysisOptions? options = null)
    {
        var offset = fixture.IndexOf("$0", StringComparison.Ordinal);
        Assert.True(offset >= 0, "the fixture needs a $0 cursor");
        var text = fixture.Remove(offset, 2);
        return (Hovers.At(Analyzer.Analyze(text, options), offset, ModelCatalog.Default), text);
    }

    [Theory]
    [InlineData("""{ "device": "nvidia-h100", "prompts": [ { "prompt": "a l$0ighthouse", "model": "sdxl" } ] }""", "Device: NVIDIA H100 SXM 80GB, named in the file")]
    [InlineData("""{ "prompts": [ { "prompt": "a lighthouse", "model": "sdxl", "ste$0ps": 80 } ] }""", "each extra step costs")]
    [InlineData("""{ "prompts": [ { "prompt": "a lighthouse", "model": "fl$0ux" } ] }""", "Not in the catalog")]
    [InlineData("""{ "prompts": [ { "prompt": "a l$0ighthouse", "model": "dall-e-3" } ] }""", "runs on OpenAI's servers")]
    [InlineData("""{ "dev$0ice": "rtx 3090", "prompts": [] }""", "read as nvidia-rtx-3090")]
    [InlineData("""{ "defaults": { "mo$0del": "sdxl-turbo" }, "prompts": [] }""", "SDXL-Turbo")]
    public void Hovers_say_what_the_cursor_is_on(string fixture, string expected)
    {
        var (hover, _) = HoverAt(fixture);
        Assert.NotNull(hover);
        Assert.Contains(expected, hover!.Markdown);
    }

    [Fact]
    public void The_span_of_a_field_hover_is_the_field_in_document_coordinates()
    {
        var (hover, text) = HoverAt("""{ "prompts": [ { "prompt": "a", "model": "sdxl", "st$0eps": 80 } ] }""");
        Assert.Equal("\"steps\": 80", text[hover!.Span.Start..hover.Span.End]);
        Assert.Null(HoverAt("""{ "prompts": [] } $0""").Hover);
    }

    [Fact]
    public void The_steps_hover_and_CL101_use_the_same_limit()
    {
        // With stepsTolerance 1.5, SDXL's 50 useful steps become 75: 70 steps raise no CL101, and the hover says 75.
        var options = new AnalysisOptions { Rules = RuleSettings.Default with { StepsTolerance = 1.5 } };
        var (hover, text) = HoverAt("""{ "prompts": [ { "prompt": "a", "model": "sdxl", "st$0eps": 70 } ] }""", options);
        Assert.Contains("more than 75 adds cost", hover!.Markdown);
        Assert.DoesNotContain(Analyzer.Analyze(text, options).Findings, f => f.Code == FindingCodes.ExcessSteps);
    }
}

/// <summary>Inlay hints, code lenses and the outline as the core gives them.</summary>
public class OutlineTests
{
    [Fact]
    public void Labels_sit_after_each_prompt_in_range_and_a_hosted_prompt_says_it_is_not_estimated()
    {
        var text = """{ "prompts": [ { "prompt": "a", "model": "sd15", "images": 4 }, { "prompt": "b", "model": "midjourney" } ] }""";
        var a = new DocumentAnalyzer().Analyze(text);
        var labels = Outline.FootprintLabels(a);
        Assert.Equal(2, labels.Count);
        Assert.Equal(a.Prompts[0].Entry.Span.End, labels[0].Offset);
        Assert.Matches(@"Wh · .* CO2e · [A-E]$", labels[0].Label);
        Assert.EndsWith("· 4 images", labels[0].LensLabel);
        Assert.Contains("not estimated", labels[1].Label);
        Assert.False(labels[1].Estimated);
        Assert.Single(Outline.FootprintLabels(a, 0, a.Prompts[0].Entry.Span.End));
        var items = Outline.Items(a);
        Assert.Equal(new[] { "#1", "#2" }, items.Select(i => i.Name));
        Assert.Contains("not estimated", items[1].Detail);
    }
}

/// <summary>Completion as the core gives it, from fixtures with a $0 cursor.</summary>
public class CompletionTests
{
    private static readonly DocumentAnalyzer Analyzer = new();

    private static IReadOnlyList<CompletionEntry> At(string fixture)
    {
        var offset = fixture.IndexOf("$0", StringComparison.Ordinal);
        var text = fixture.Remove(offset, 2);
        return Completions.At(Analyzer.Analyze(text), offset, Analyzer.Estimator);
    }

    [Fact]
    public void Models_are_ranked_by_energy_on_the_files_device_and_inserted_quoted()
    {
        var items = At("""{ "device": "nvidia-h100", "prompts": [ { "prompt": "x", "model": "$0" } ] }""");
        Assert.Equal("carbon-tiny", items[0].Label);
        Assert.Equal("\"carbon-tiny\"", items[0].InsertText);
        Assert.Contains("on nvidia-h100", items.First(i => i.Label == "flux-dev").Detail);
        Assert.All(items, i => Assert.NotNull(i.Replace));
    }

    [Fact]
    public void Keys_missing_from_the_object_and_numbers_unquoted()
    {
        var keys = At("""{ "prompts": [ { "prompt": "x", $0 } ] }""");
        Assert.Contains(keys, k => k.Label == "batch" && k.Kind == CompletionKind.Field);
        Assert.DoesNotContain(keys, k => k.Label == "prompt");
        var steps = At("""{ "prompts": [ { "prompt": "x", "model": "sdxl", "steps": 8$0 } ] }""");
        var recommended = Assert.Single(steps);
        Assert.Equal("25", recommended.InsertText);
        Assert.Equal(CompletionKind.Number, recommended.Kind);
        var devices = At("""{ "device": "$0", "prompts": [] }""");
        Assert.Contains(devices, d => d.Label == "apple-m3-max" && d.Kind == CompletionKind.EnumMember);
        Assert.DoesNotContain(devices, d => d.Label.StartsWith("generic-", StringComparison.Ordinal));
    }
}
