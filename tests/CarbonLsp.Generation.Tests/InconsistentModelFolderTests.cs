using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Pipeline;
using CarbonLsp.Generation.Runs;
using CarbonLsp.Generation.Schedulers;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Generation.Tests;

/// <summary>Issue 20, item 5: model folders that pass the existence checks but cannot run as they are
/// (found by the adversarial campaign, each an exit 70 or a silent mistake before) give one line that
/// names the file and the way out, as a <see cref="ModelFolderException"/> or a refused request.</summary>
public sealed class InconsistentModelFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carbonlsp-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A copy of a working fixture, changed by <paramref name="change"/>.</summary>
    private string Variant(string fixture, Action<string> change)
    {
        var target = Path.Combine(_dir, fixture);
        foreach (var file in Directory.EnumerateFiles(TestModels.Folder(fixture), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(TestModels.Folder(fixture), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        change(target);
        return target;
    }

    private static void EditJson(string file, Action<JObject> edit)
    {
        var json = JObject.Parse(File.ReadAllText(file));
        edit(json);
        File.WriteAllText(file, json.ToString());
    }

    private static GenerationRequest Request(int width = 64, int height = 64) =>
        new() { Prompt = "a red circle", Width = width, Height = height, Steps = 2, Guidance = 1, Seed = 1 };

    private static DiffusionPipeline Pipeline(string folder) => new(new ModelSessions(ModelFolder.Open(folder), TimeSpan.Zero));

    [Theory]
    [InlineData(0)]
    [InlineData(2000000000)]
    [InlineData(-3)]
    public void Latent_channels_outside_1_to_64_are_refused_when_the_folder_opens(long channels)
    {
        var folder = Variant("tiny-sd15-int32", f => EditJson(Path.Combine(f, "vae_decoder", "config.json"), j => j["latent_channels"] = channels));
        var ex = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(folder));
        Assert.Contains($"latent_channels must be a whole number from 1 to 64", ex.Message);
        Assert.Contains($"not {channels}", ex.Message);
    }

    [Fact]
    public void Latent_channels_that_disagree_with_the_unet_are_refused_before_a_run()
    {
        var folder = Variant("tiny-sd15-int32", f => EditJson(Path.Combine(f, "vae_decoder", "config.json"), j => j["latent_channels"] = 7));
        var unetChannels = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(folder, "unet", "model.onnx")).InputMetadata["sample"].Dimensions[1];
        var ex = Assert.Throws<ModelFolderException>(() => Pipeline(folder).Generate(Request()));
        Assert.Contains($"takes {unetChannels} latent channels, but vae_decoder/config.json says latent_channels 7", ex.Message);
    }

    [Fact]
    public void A_decoder_where_the_unet_belongs_is_named_as_such()
    {
        var folder = Variant("tiny-sd15-int32", f => File.Copy(Path.Combine(f, "vae_decoder", "model.onnx"), Path.Combine(f, "unet", "model.onnx"), overwrite: true));
        var ex = Assert.Throws<ModelFolderException>(() => Pipeline(folder).Generate(Request()));
        Assert.Contains("unet/model.onnx", ex.Message);
        Assert.Contains("is not a unet export: it has no input 'sample', 'timestep', 'encoder_hidden_states' (its inputs: latent_sample)", ex.Message);
    }

    [Theory]
    [InlineData("num_train_timesteps", 0, "num_train_timesteps must be a whole number from 1 to 100000")]
    [InlineData("steps_offset", 5000, "steps_offset must be from 0 to num_train_timesteps - 1")]
    [InlineData("beta_end", 0, "beta_start and beta_end must lie between 0 and 1")]
    public void Scheduler_values_the_algorithms_cannot_use_name_the_field(string field, double value, string expected)
    {
        var folder = Variant("tiny-sd15-int32", f => EditJson(Path.Combine(f, "scheduler", "scheduler_config.json"), j => j[field] = value));
        var ex = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(folder));
        Assert.Contains("scheduler_config.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_scheduler_class_that_cannot_run_is_refused_unless_the_prompt_names_one()
    {
        var folder = Variant("tiny-sd15-int32", f => EditJson(Path.Combine(f, "scheduler", "scheduler_config.json"), j => j["_class_name"] = "FooScheduler"));
        var pipeline = Pipeline(folder);
        var ex = Assert.Throws<UnknownSchedulerException>(() => pipeline.Generate(Request()));
        Assert.Contains("names \"FooScheduler\", which CarbonLsp cannot run. Set \"scheduler\" in the prompt", ex.Message);
        // Naming one in the prompt is the way out, and it works.
        Assert.Single(pipeline.Generate(Request() with { Scheduler = "ddim" }).Images);
        // The stand-ins are stated, not guessed: PNDM runs as DDIM.
        Assert.Equal("ddim", SchedulerFactory.NameFor("PNDMScheduler"));
        Assert.Null(SchedulerFactory.NameFor("FooScheduler"));
    }

    [Theory]
    [InlineData("#version: 0.2\n\u0000\u0001garbage\n", "merges.txt line 2 is not a merge")]
    [InlineData("#version: 0.2\nzz yy xx\n", "merges.txt line 2 is not a merge")]
    [InlineData("#version: 0.2\nq̈ ü\n", "which vocab.json does not have")]
    public void A_merges_file_that_is_not_the_vocabularys_is_refused(string merges, string expected)
    {
        var folder = Variant("tiny-sd15-int32", f => File.WriteAllText(Path.Combine(f, "tokenizer", "merges.txt"), merges));
        var ex = Assert.Throws<ModelFolderException>(() => ModelFolder.Open(folder));
        Assert.Contains("unreadable tokenizer", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData(8, 64)]
    [InlineData(72, 64)]
    [InlineData(64, 40)]
    public void Carbon_tiny_refuses_sizes_its_unet_cannot_halve_and_suggests_one(int width, int height)
    {
        var folder = ModelFolder.Open(Path.Combine(TestModels.Root, "models", "carbon-tiny"));
        Assert.Equal(16, folder.SizeMultiple);
        var ex = Assert.Throws<ArgumentException>(() => DiffusionPipeline.Validate(Request(width, height), folder));
        Assert.Contains($"carbon-tiny cannot generate {width}×{height}: width and height must be multiples of 16", ex.Message);
        Assert.Contains("Use e.g.", ex.Message);
        // A multiple of 16 runs (80 is not the trained size, so CL111 warns in the editor, but it runs).
        Assert.Single(new DiffusionPipeline(new ModelSessions(folder, TimeSpan.Zero)).Generate(Request(80, 48)).Images);
    }

    [Fact]
    public void The_reuse_fingerprint_covers_the_scheduler_and_tokenizer_not_only_the_weights()
    {
        var original = GenerationService.Fingerprint(ModelFolder.Open(TestModels.Folder("tiny-sd15-int32")));
        var copy = Variant("tiny-sd15-int32", _ => { });
        Assert.Equal(original, GenerationService.Fingerprint(ModelFolder.Open(copy)));
        EditJson(Path.Combine(copy, "scheduler", "scheduler_config.json"), j => j["beta_end"] = 0.02);
        var otherScheduler = GenerationService.Fingerprint(ModelFolder.Open(copy));
        Assert.NotEqual(original, otherScheduler);
        File.AppendAllText(Path.Combine(copy, "tokenizer", "merges.txt"), "");   // unchanged bytes: same print
        Assert.Equal(otherScheduler, GenerationService.Fingerprint(ModelFolder.Open(copy)));
    }
}
