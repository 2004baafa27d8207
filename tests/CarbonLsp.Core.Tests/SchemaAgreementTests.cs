using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Schema;

namespace CarbonLsp.Core.Tests;

/// <summary>The schema is the single source of field names and ranges: the code must agree with it.</summary>
public class SchemaAgreementTests
{
    [Fact]
    public void Embedded_schema_is_the_file_in_schemas()
    {
        var onDisk = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "schemas", "prompts.schema.json"));
        Assert.Equal(onDisk, PromptSchema.Text);
    }

    [Fact]
    public void Prompt_and_top_level_fields_match_the_code()
    {
        var prompt = PromptSchema.Schema.Definitions["prompt"];
        Assert.Equal(FieldNames.PromptFields.OrderBy(x => x), prompt.Properties.Keys.OrderBy(x => x));
        Assert.Equal(FieldNames.TopLevel.OrderBy(x => x), PromptSchema.Schema.Properties.Keys.OrderBy(x => x));
        var defaults = PromptSchema.Schema.Definitions["promptSettings"];
        Assert.Equal(FieldNames.DefaultableFields.OrderBy(x => x), defaults.Properties.Keys.OrderBy(x => x));
    }

    [Fact]
    public void Enumerations_match_the_code_and_the_catalog()
    {
        Assert.Equal(FieldNames.Schedulers, PromptSchema.PromptField("scheduler")!.Enumeration.Select(x => x!.ToString()));
        Assert.Equal(FieldNames.Precisions, PromptSchema.PromptField("precision")!.Enumeration.Select(x => x!.ToString()));
        // Devices are not an enumeration (an unknown one gets CL006 with did-you-mean); the examples
        // editors offer are the catalog's named devices, and every precision has an entry in the catalog.
        Assert.Empty(PromptSchema.TopLevelField("device")!.Enumeration);
        Assert.Equal(ModelCatalog.Default.Devices.Where(d => !d.Generic).Select(d => d.Id).OrderBy(x => x),
            Newtonsoft.Json.Linq.JObject.Parse(PromptSchema.Text)["properties"]!["device"]!["examples"]!.Select(x => (string)x!).OrderBy(x => x));
        foreach (var p in Enum.GetValues<Precision>().Where(p => p is not (Precision.Fp16 or Precision.Bf16 or Precision.Fp32)))
            Assert.True(ModelCatalog.Default.Estimator.Precisions.ContainsKey(p), p.Name());
        Assert.Equal(ModelCatalog.Default.Defaults.Device, PromptSchema.TopLevelField("device")!.Default?.ToString());
        Assert.Equal(ModelCatalog.Default.Defaults.Model, PromptSchema.PromptField("model")!.Default?.ToString());
    }

    [Fact]
    public void Every_field_has_a_title_and_description_for_editors()
    {
        foreach (var name in FieldNames.PromptFields)
        {
            var s = PromptSchema.PromptField(name)!;
            Assert.False(string.IsNullOrWhiteSpace(s.Title), name);
            Assert.False(string.IsNullOrWhiteSpace(s.Description), name);
        }
    }

    [Fact]
    public void Ranges_the_code_accepts_are_the_schema_ranges()
    {
        // EffectiveSettings accepts exactly the schema's ranges: a value the schema rejects is skipped.
        var steps = PromptSchema.PromptField("steps")!;
        Assert.Equal(1m, steps.Minimum);
        Assert.Equal(1000m, steps.Maximum);
        var analyzer = new DocumentAnalyzer();
        var a = analyzer.Analyze("""{ "prompts": [ { "prompt": "x", "model": "sd15", "steps": 1001 } ] }""");
        Assert.Contains(a.Findings, f => f.Code == FindingCodes.Schema && f.Message.Contains("at most 1000"));
        Assert.Equal(25, a.Prompts[0].Settings.Steps.Value);
    }

    [Theory]
    [InlineData("""{ "prompts": [ { "prompt": "x", "stepz": 3 } ] }""", "\"stepz\"", "Unknown property \"stepz\". Did you mean \"steps\"?")]
    [InlineData("""{ "prompts": [ { "prompt": "x", "width": 500 } ] }""", "500", "multiple of 8")]
    [InlineData("""{ "prompts": [ { "prompt": "x", "precision": "fp64" } ] }""", "\"fp64\"", "one of: fp32, fp16, bf16")]
    [InlineData("""{ "prompts": [ { "steps": 3 } ] }""", "{ \"steps\": 3 }", "Missing required property \"prompt\"")]
    [InlineData("""{ "prompts": [ { "prompt": 42 } ] }""", "42", "must be a string")]
    [InlineData("""{ "prompts": {} }""", "{}", "must be an array")]
    public void Schema_errors_point_at_the_offending_text(string text, string expectedText, string expectedMessage)
    {
        var a = new DocumentAnalyzer().Analyze(text);
        var f = Assert.Single(a.Findings, x => x.Code == FindingCodes.Schema);
        Assert.Contains(expectedMessage, f.Message);
        Assert.Equal(expectedText, text[f.Span.Start..f.Span.End]);
    }

    [Fact]
    public void Example_files_are_valid()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "examples"), "*.prompts.json"))
        {
            var a = new DocumentAnalyzer().Analyze(File.ReadAllText(file));
            Assert.DoesNotContain(a.Findings, f => f.Code is FindingCodes.Syntax or FindingCodes.Schema);
        }
    }
}
