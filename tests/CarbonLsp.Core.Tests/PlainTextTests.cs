using CarbonLsp.Core.Features;
using Xunit;

namespace CarbonLsp.Core.Tests;

public class PlainTextTests
{
    [Fact]
    public void Markdown_becomes_plain_text_without_losing_words()
    {
        const string md = "**hero** · SDXL · 30 steps\n\n| this image | estimate | range |\n|---|---|---|\n| Energy | **0.42 Wh** | 0.30 Wh – 0.60 Wh |\n\n*calibrated*: fitted to `ml-energy` data; see [the paper](https://example.org/p). 2×3 * 4\n- a point\n";
        var plain = PlainText.FromMarkdown(md);
        Assert.Equal("hero · SDXL · 30 steps\n\nthis image: estimate  range\nEnergy: 0.42 Wh  0.30 Wh – 0.60 Wh\n\ncalibrated: fitted to ml-energy data; see the paper (https://example.org/p). 2×3 * 4\n- a point\n", plain);
    }
}
