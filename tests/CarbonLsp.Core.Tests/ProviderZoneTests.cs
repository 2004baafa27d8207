using CarbonLsp.Core.Grid;

namespace CarbonLsp.Core.Tests;

/// <summary>Issue 21: a provider's zone as the region (GB-13, US-CAL-CISO) when a provider is configured.</summary>
public class ProviderZoneTests
{
    private static readonly CarbonLsp.Core.Analysis.DocumentAnalyzer s_analyzer = new();
    private const string File = """{ "region": "GB-13", "device": "nvidia-h100", "prompts": [ { "prompt": "a lighthouse", "model": "sdxl" } ] }""";

    [Fact]
    public void Without_a_provider_a_zone_is_an_unknown_region_warning_with_its_country()
    {
        var a = s_analyzer.Analyze(CarbonLsp.Core.Documents.PromptDocument.Parse(File));
        var f = Assert.Single(a.Findings, x => x.Code == "CL005");
        Assert.Equal(CarbonLsp.Core.Rules.Severity.Warning, f.Severity);
        Assert.Contains("Did you mean \"GB\"", f.Message);
    }

    [Fact]
    public void With_a_provider_the_zone_is_priced_live_and_before_it_answers_the_country_stands_in_and_says_so()
    {
        var waiting = s_analyzer.Analyze(CarbonLsp.Core.Documents.PromptDocument.Parse(File),
            new CarbonLsp.Core.Analysis.AnalysisOptions { GridIntensity = _ => null });
        var f = Assert.Single(waiting.Findings, x => x.Code == "CL005");
        Assert.Equal(CarbonLsp.Core.Rules.Severity.Information, f.Severity);
        Assert.Contains("used once it answers. Until then: United Kingdom's annual average", f.Message);
        Assert.Equal("GB", waiting.Region.Code);

        var asked = new List<string>();
        var live = s_analyzer.Analyze(CarbonLsp.Core.Documents.PromptDocument.Parse(File), new CarbonLsp.Core.Analysis.AnalysisOptions
        {
            GridIntensity = zone => { asked.Add(zone); return new IntensityChoice(90, IntensityKind.Live, "UK Carbon Intensity API, live", new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero)); },
        });
        Assert.DoesNotContain(live.Findings, x => x.Code == "CL005");
        Assert.Contains("GB-13", asked);
        Assert.Equal(90, live.Prompts[0].Footprint.IntensityGramsPerKWh);
        var hover = CarbonLsp.Core.Features.HoverContent.ForTopLevel("region", live, CarbonLsp.Core.Catalog.ModelCatalog.Default);
        Assert.True(hover.Contains("United Kingdom (GB-13) now 90.0 g CO2e/kWh (UK Carbon Intensity API, live, 10:00 UTC)"), hover);
    }
}
