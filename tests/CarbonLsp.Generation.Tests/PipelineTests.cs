using CarbonLsp.Core.Tokenization;
using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Pipeline;
using Microsoft.ML.OnnxRuntime;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Generation.Tests;

/// <summary>The real pipeline on CPU over every input-type variant the fixtures cover.</summary>
public class PipelineTests
{
    private static DiffusionPipeline Pipeline(string name) => new(new ModelSessions(ModelFolder.Open(TestModels.Folder(name)), TimeSpan.Zero));

    private static GenerationRequest Request(long seed = 7, int steps = 3, double guidance = 5, string? scheduler = null, int images = 1) => new()
    {
        Prompt = "a red cat", NegativePrompt = "", Width = 64, Height = 64, Steps = steps, Guidance = guidance, Seed = seed, Scheduler = scheduler, Images = images,
    };

    public static IEnumerable<object[]> Folders() => TestModels.Working.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Folders))]
    public void Generates_reproducible_images_for_every_variant(string folder)
    {
        var p = Pipeline(folder);
        var a = p.Generate(Request());
        var b = p.Generate(Request());
        var image = Assert.Single(a.Images);
        Assert.Equal(64, image.Width);
        Assert.Equal(64 * 64 * 3, image.Rgb.Length);
        Assert.Equal(a.Images[0].Rgb, b.Images[0].Rgb); // bit for bit on CPU
        Assert.NotEqual(a.Images[0].Rgb, p.Generate(Request(seed: 8)).Images[0].Rgb);
        Assert.True(image.Rgb.Distinct().Count() > 4, "the image is not flat");
        Assert.Equal("cpu", a.Provider);
    }

    [Fact]
    public void Batches_use_consecutive_seeds_so_each_image_can_be_remade_alone()
    {
        var p = Pipeline("tiny-sd15-int32");
        var two = p.Generate(Request(seed: 10, images: 2));
        Assert.Equal(new long[] { 10, 11 }, two.Images.Select(i => i.Seed));
        Assert.Equal(p.Generate(Request(seed: 11)).Images[0].Rgb, two.Images[1].Rgb);
    }

    [Fact]
    public void Guidance_changes_the_image_and_doubles_the_unet_batch()
    {
        var p = Pipeline("tiny-sd15-int32");
        var with = p.Generate(Request(guidance: 7.5));
        var without = p.Generate(Request(guidance: 1));
        Assert.NotEqual(with.Images[0].Rgb, without.Images[0].Rgb);
    }

    [Theory]
    [InlineData("euler")]
    [InlineData("euler-a")]
    [InlineData("ddim")]
    [InlineData("dpm++2m")]
    [InlineData("lcm")]
    public void Every_scheduler_runs(string scheduler)
    {
        var result = Pipeline("tiny-sd15-int32").Generate(Request(scheduler: scheduler, steps: 4));
        Assert.Equal(scheduler, result.SchedulerName);
        Assert.Equal(4, result.UnetCalls);
    }

    [Fact]
    public void Reports_progress_per_step_and_cancels_between_steps()
    {
        var p = Pipeline("tiny-sd15-int32");
        var reports = new List<GenerationProgress>();
        p.Generate(Request(steps: 5), new SyncProgress(reports.Add));
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, reports.Select(r => r.Step));
        Assert.Equal(1.0, reports[^1].Fraction, 6);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => p.Generate(Request(steps: 50), new SyncProgress(_ => { if (++seen == 2) cts.Cancel(); }), cts.Token));
        Assert.Equal(2, seen);
    }

    private sealed class SyncProgress(Action<GenerationProgress> report) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => report(value);
    }

    [Fact]
    public void Sizes_that_are_not_multiples_of_8_are_refused_with_a_suggestion()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pipeline("tiny-sd15-int32").Generate(Request() with { Width = 60 }));
        Assert.Contains("width and height must be multiples of 8", ex.Message);
        Assert.Contains("64×64", ex.Message);
    }

    [Fact]
    public void Unknown_schedulers_are_refused()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Pipeline("tiny-sd15-int32").Generate(Request(scheduler: "magic")));
        Assert.Contains("Unknown scheduler \"magic\"", ex.Message);
    }

    [Theory]
    [InlineData("broken-missing-unet", "unet/model.onnx is missing")]
    [InlineData("broken-corrupt-unet", "100 bytes")]
    [InlineData("does-not-exist", "No model folder")]
    public void Broken_model_folders_say_what_is_wrong(string folder, string expected)
    {
        var ex = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(TestModels.Folder(folder)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Sessions_load_lazily_and_are_released_when_idle()
    {
        var sessions = new ModelSessions(ModelFolder.Open(TestModels.Folder("tiny-sd15-int32")), TimeSpan.FromMilliseconds(50));
        Assert.False(sessions.IsLoaded);
        new DiffusionPipeline(sessions).Generate(Request(steps: 1));
        Assert.True(sessions.IsLoaded);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sessions.IsLoaded && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.False(sessions.IsLoaded);
    }

    [Fact]
    public void Onnx_runtime_computes_what_torch_computed_for_the_fixtures()
    {
        var expected = JObject.Parse(File.ReadAllText(Path.Combine(TestModels.Models, "expected-outputs.json")));
        var folder = ModelFolder.Open(TestModels.Folder("tiny-sd15-int32"));
        using var options = new SessionOptions();
        using var te = new OnnxComponent(folder.TextEncoderPath, options, "text_encoder");
        using var ro = new RunOptions();
        var ids = folder.Tokenizer.Encode("a red cat");
        var outputs = te.Run(new Dictionary<string, TensorData> { ["input_ids"] = TensorData.Of(ids, 1, 77) }, ro);
        var want = expected["models"]!["tiny-sd15-int32/text_encoder/model.onnx"]!["outputs"]!["last_hidden_state"]!;
        Assert.Equal((double)want["sum"]!, outputs["last_hidden_state"].Values.Sum(v => (double)v), 2);
        var first8 = want["first8"]!.Select(v => (double)v).ToArray();
        for (var i = 0; i < 8; i++) Assert.Equal(first8[i], outputs["last_hidden_state"].Values[i], 3);
    }

    [Fact]
    public void Tokenizer_matches_the_fixture_vectors_for_both_pad_tokens()
    {
        var vectors = JObject.Parse(File.ReadAllText(Path.Combine(TestModels.Models, "tokenizer-vectors.json")));
        var dir = Path.Combine(TestModels.Folder("tiny-sd15-int32"), "tokenizer");
        var vocab = File.ReadAllText(Path.Combine(dir, "vocab.json"));
        var merges = File.ReadAllText(Path.Combine(dir, "merges.txt"));
        var tokenizer = new ClipTokenizer(vocab, merges);
        foreach (var v in (JArray)vectors["vectors"]!)
            Assert.Equal(v["ids"]!.Select(x => (int)x), tokenizer.EncodeContent((string)v["text"]!).Prepend(tokenizer.StartId).Append(tokenizer.EndId)); // before truncation
        foreach (var v in (JArray)vectors["padded"]!)
            foreach (var (pad, ids) in (JObject)v["pad_token"]!)
                Assert.Equal(ids!.Select(x => (int)x), new ClipTokenizer(vocab, merges, pad).Encode((string)v["text"]!));
    }
}
