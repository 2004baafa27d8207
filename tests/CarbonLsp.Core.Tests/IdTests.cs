using System.Text;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using Xunit;

namespace CarbonLsp.Core.Tests;

/// <summary>Ids name image files: any script and emoji are welcome, two ids naming one file are an error.</summary>
public class IdTests
{
    [Theory]
    [InlineData("hero-banner", "hero-banner")]
    [InlineData("桜-poster", "桜-poster")]
    [InlineData("hero-🌍", "hero-🌍")]
    [InlineData("a:b?c", "a_b_c")]
    [InlineData("trailing. .", "trailing")]
    [InlineData("CON", "CON_")]
    [InlineData("nul.draft", "nul.draft_")]
    [InlineData("...", "_")]
    public void File_names_keep_what_file_systems_allow(string id, string expected) => Assert.Equal(expected, FileNames.Safe(id));

    /// <summary>Issue 20, item 5: a 300-character id was a PathTooLongException (exit 70) on generate.</summary>
    [Fact]
    public void Long_ids_give_file_names_of_at_most_120_units_without_a_split_surrogate()
    {
        Assert.Equal(new string('x', 120), FileNames.Safe(new string('x', 300)));
        var emoji = FileNames.Safe(new string('x', 119) + "🌍🌍");
        Assert.Equal(119, emoji.Length);
        Assert.False(char.IsHighSurrogate(emoji[^1]));
    }

    [Fact]
    public void Names_that_one_file_system_treats_as_one_file_collide()
    {
        Assert.Equal(FileNames.CollisionKey("Shape"), FileNames.CollisionKey("shape"));
        Assert.Equal(FileNames.CollisionKey("STRASSE-ß"), FileNames.CollisionKey("strasse-ß"));
        Assert.NotEqual(FileNames.CollisionKey("shape-1"), FileNames.CollisionKey("shape-2"));
    }

    [Fact]
    public void A_duplicate_id_is_an_error_whose_fix_renames_it_to_an_unused_id()
    {
        const string text = """{ "prompts": [ { "id": "shape", "prompt": "a cat", "model": "sd15" }, { "id": "shape-2", "prompt": "a dog", "model": "sd15" }, { "id": "SHAPE", "prompt": "an owl", "model": "sd15" } ] }""";
        var analysis = new DocumentAnalyzer().Analyze(text);
        Assert.True(analysis.HasErrors);
        var clash = Assert.Single(analysis.Findings, f => f.Code == FindingCodes.DuplicateId);
        Assert.Equal(2, clash.PromptIndex);
        Assert.Contains("\"shape\"", clash.Message);
        var fix = Assert.Single(clash.Fixes);
        Assert.Equal("Rename to \"SHAPE-3\"", fix.Title); // shape-2 is taken
        var fixedText = TextEdits.Apply(text, fix.Edits);
        Assert.Contains("\"id\": \"SHAPE-3\"", fixedText);
        var again = new DocumentAnalyzer().Analyze(fixedText);
        Assert.DoesNotContain(again.Findings, f => f.Code == FindingCodes.DuplicateId);
        Assert.False(again.HasErrors);
    }
}
