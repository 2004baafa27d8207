using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.Core.Tests;

public class PromptDocumentTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Default;

    private static EffectiveSettings Resolve(string text, int index = 0)
    {
        var doc = PromptDocument.Parse(text);
        return EffectiveSettings.Resolve(doc.Prompts[index], doc.Defaults, Catalog, Catalog.FindModel);
    }

    [Fact]
    public void Gives_every_prompt_its_utf16_range_with_bom_crlf_tabs_and_emoji()
    {
        var text = "\uFEFF{\r\n\t\"prompts\": [\r\n\t\t{ \"prompt\": \"😀😀\", \"steps\": 9 }\r\n\t]\r\n}";
        var doc = PromptDocument.Parse(text);
        Assert.Empty(doc.SyntaxErrors);
        var steps = doc.Prompts[0].Field("steps")!;
        var range = doc.GetRange(steps.Value!.Span);
        // Line 2 is '\t\t{ "prompt": "😀😀", "steps": 9 }': the emoji take two code units each.
        Assert.Equal(2, range.Start.Line);
        Assert.Equal("\t\t{ \"prompt\": \"😀😀\", \"steps\": ".Length, range.Start.Character);
    }

    [Fact]
    public void Resolves_prompt_then_defaults_then_model_and_remembers_the_origin()
    {
        var s = Resolve("""{ "defaults": { "model": "sdxl", "steps": 30 }, "prompts": [ { "prompt": "x", "guidance": 3 } ] }""");
        Assert.Equal("sdxl", s.Model!.Id);
        Assert.Equal(SettingOrigin.Defaults, s.Steps.Origin);
        Assert.Equal(30, s.Steps.Value);
        Assert.Equal(SettingOrigin.Prompt, s.Guidance.Origin);
        Assert.Equal(SettingOrigin.Model, s.Width.Origin);
        Assert.Equal(1024, s.Width.Value);
        Assert.Equal(SettingOrigin.BuiltIn, s.Images.Origin);
    }

    [Fact]
    public void Skips_values_of_the_wrong_type_and_falls_back()
    {
        var s = Resolve("""{ "defaults": { "steps": 12 }, "prompts": [ { "prompt": "x", "steps": "many" } ] }""");
        Assert.Equal(12, s.Steps.Value);
        Assert.Equal(SettingOrigin.Defaults, s.Steps.Origin);
    }

    [Fact]
    public void Defaults_to_the_embedded_model()
    {
        var s = Resolve("""{ "prompts": [ { "prompt": "x" } ] }""");
        Assert.Equal("carbon-tiny", s.Model!.Id);
        Assert.Equal(SettingOrigin.BuiltIn, s.ModelName.Origin);
    }

    [Fact]
    public void Finds_models_by_repo_id_alias_and_case()
    {
        Assert.Equal("sdxl-turbo", Catalog.FindModel("StabilityAI/SDXL-Turbo")!.Id);
        Assert.Equal("sdxl-turbo", Catalog.FindModel("sdxl-turbo")!.Id);
        Assert.Equal("openjourney-v4", Catalog.FindModel("prompthero/openjourney-v4")!.Id);
        Assert.Null(Catalog.FindModel("no/such-model"));
    }

    [Fact]
    public void Finds_the_prompt_at_an_offset()
    {
        var text = """{ "prompts": [ { "prompt": "a" }, { "prompt": "b" } ] }""";
        var doc = PromptDocument.Parse(text);
        Assert.Equal(1, doc.PromptAt(text.IndexOf("\"b\"", StringComparison.Ordinal))!.Index);
        Assert.Null(doc.PromptAt(0));
    }
}
