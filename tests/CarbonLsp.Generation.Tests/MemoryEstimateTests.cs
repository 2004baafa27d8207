using CarbonLsp.Generation.Memory;
using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Pipeline;
using Xunit.Abstractions;

namespace CarbonLsp.Generation.Tests;

/// <summary>Issue 20, item 4: the memory a request needs is estimated before anything is allocated, and a
/// request that does not fit is refused with the largest size that does.</summary>
public class MemoryEstimateTests(ITestOutputHelper output)
{
    private static ModelFolder Tiny => ModelFolder.Open(Path.Combine(TestModels.Root, "models", "carbon-tiny"));

    /// <summary>Peak resident memory of `carbonlsp generate` (1 step, CPU, `/usr/bin/time -f %M`, KiB) minus the
    /// same at 64×64 (143,292 KiB: runtime and weights), in 10^9 bytes, 2026-12-05 on the 2-core VM. The first three set the
    /// estimate's slack; the last was not used for that and checks it.</summary>
    [Theory]
    [InlineData(256, 256, 2, 0.114, "fitted")]
    [InlineData(512, 512, 2, 1.339, "fitted")]
    [InlineData(1024, 1024, 2, 18.590, "fitted")]
    [InlineData(1024, 512, 1, 2.591, "held out")]
    public void The_estimate_follows_measured_peaks_of_carbon_tiny(int width, int height, int batch, double measuredGb, string role)
    {
        var estimate = MemoryEstimate.For(Tiny, width, height, batch).PeakBytes / 1e9;
        var ratio = estimate / measuredGb;
        output.WriteLine($"{width}×{height} batch {batch} ({role}): estimate {estimate:F3} GB, measured {measuredGb:F3} GB, ratio {ratio:F2}");
        // Small sizes fit anywhere, so only the large ones need to be close; never far below a large peak.
        if (measuredGb > 1) Assert.InRange(ratio, 0.9, 1.25);
        else Assert.InRange(ratio, 0.5, 2.0);
    }

    [Fact]
    public void Attention_makes_the_need_quadratic_in_the_pixel_count()
    {
        var small = MemoryEstimate.For(Tiny, 512, 512, 2).AttentionBytes;
        var large = MemoryEstimate.For(Tiny, 1024, 1024, 2).AttentionBytes;
        Assert.Equal(16.0, large / (double)small, 3);
        // 8192×8192, the adversarial campaign's request: far beyond any machine.
        Assert.True(MemoryEstimate.For(Tiny, 8192, 8192, 2).PeakBytes > 1L << 40);
    }

    [Theory]
    [InlineData(1024, 1024, 8192, 8192)]
    [InlineData(2048, 1024, 16384, 8192)]
    public void The_largest_size_that_fits_keeps_the_aspect_and_fits(int expectW, int expectH, int width, int height)
    {
        var budget = MemoryEstimate.For(Tiny, expectW, expectH, 2).PeakBytes + 1;
        var fits = MemoryEstimate.LargestFitting(Tiny, width, height, 2, budget);
        Assert.NotNull(fits);
        Assert.True(MemoryEstimate.For(Tiny, fits.Value.Width, fits.Value.Height, 2).PeakBytes <= budget);
        Assert.Equal((double)width / height, (double)fits.Value.Width / fits.Value.Height, 1);
        Assert.InRange(fits.Value.Width, expectW - 64, expectW);
        Assert.Equal(0, fits.Value.Width % Tiny.SizeMultiple);
    }

    [Fact]
    public void A_request_beyond_the_free_memory_is_refused_before_it_allocates()
    {
        var pipeline = new DiffusionPipeline(new ModelSessions(Tiny, TimeSpan.Zero));
        var before = GC.GetTotalMemory(false);
        var ex = Assert.Throws<InsufficientMemoryException>(() => pipeline.Generate(new GenerationRequest
        {
            Prompt = "one large red circle on a blue background, top left", Width = 8192, Height = 8192, Steps = 1, Guidance = 2, Seed = 1,
        }));
        output.WriteLine(ex.Message);
        Assert.Contains("carbon-tiny at 8192×8192 needs about", ex.Message);
        Assert.Contains("this machine has", ex.Message);
        Assert.Matches(@"The largest size of this shape that fits: (\d+)×\1;", ex.Message);
        Assert.True(GC.GetTotalMemory(false) - before < 512L << 20, "refused before allocating the latents");
    }

    [Fact]
    public void Configs_without_the_fields_take_stable_diffusion_15s_shape()
    {
        var shape = UnetShape.From(Newtonsoft.Json.Linq.JObject.Parse("""{ "attention_head_dim": [5, 10, 20], "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"], "block_out_channels": "x" }"""));
        Assert.Equal(1, shape.FirstAttentionLevel);
        Assert.Equal(10, shape.HeadsAt(1));
        Assert.Equal(320, shape.FirstChannels);
        Assert.Equal(8, UnetShape.From(null).HeadsAt(0));
    }
}
