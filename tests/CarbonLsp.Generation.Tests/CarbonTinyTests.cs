using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Pipeline;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace CarbonLsp.Generation.Tests;

/// <summary>The embedded default model through the real C# pipeline: it loads, it is small, and a
/// small version of its held-out evaluation still passes, so quality cannot silently regress.</summary>
public class CarbonTinyTests(ITestOutputHelper output)
{
    private static string Folder => Path.Combine(TestModels.Root, "models", "carbon-tiny");

    private static void RequireModel() =>
        Skip.IfNot(File.Exists(Path.Combine(Folder, "unet", "model.onnx")), "models/carbon-tiny has not been trained into the repository yet (tools/tiny-model/README.md)");

    [SkippableFact]
    public void Ships_in_the_repository_within_20_MB()
    {
        RequireModel();
        var bytes = Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes <= 20L * 1024 * 1024, $"{bytes / 1048576.0:F1} MB");
    }

    [SkippableFact]
    public void Draws_what_held_out_prompts_say()
    {
        RequireModel();
        var heldout = JObject.Parse(File.ReadAllText(Path.Combine(TestModels.Root, "tools", "tiny-model", "heldout.json")));
        var palette = ((JObject)heldout["palette"]!).Properties().ToDictionary(p => p.Name, p => p.Value.Select(v => (int)v).ToArray());
        var folder = ModelFolder.Open(Folder);
        var defaults = folder.CarbonDefaults;
        var steps = (int?)defaults?["defaultSteps"] ?? 20;
        var guidance = (double?)defaults?["defaultGuidance"] ?? 4.0;
        var pipeline = new DiffusionPipeline(new ModelSessions(folder, TimeSpan.Zero));
        var sample = ((JArray)heldout["prompts"]!).Take(16).ToList();
        int correct = 0, background = 0, colour = 0, shape = 0, position = 0;
        var report = new List<string>();
        foreach (var p in sample)
        {
            var image = pipeline.Generate(new GenerationRequest
            {
                Prompt = (string)p["prompt"]!, Width = 64, Height = 64, Steps = steps, Guidance = guidance, Seed = (long)p["seed"]!,
            }).Images[0];
            var v = SceneChecks.Check(image.Rgb, image.Width, image.Height, palette);
            bool bg = v.Background == (string)p["background"]!, co = v.Colour == (string)p["colour"]!, sh = v.Shape == (string)p["shape"]!, po = v.Position == (string)p["position"]!;
            background += bg ? 1 : 0;
            colour += co ? 1 : 0;
            shape += sh ? 1 : 0;
            position += po ? 1 : 0;
            var ok = bg && co && sh && po;
            if (ok) correct++;
            report.Add($"{(ok ? "ok " : "BAD")} {(string)p["prompt"]!} -> {v}");
        }
        // The full evaluation (tools/tiny-model/eval.py, docs/perf.md) is the measure of record; this
        // sample guards each attribute against regressions, with slack for its small size. Shape kind
        // (groups of small squares drawn with rounded corners) is the model's weak point (docs/perf.md).
        var summary = $"background {background}, colour {colour}, shape {shape}, position {position}, all four {correct} of {sample.Count}\n" + string.Join("\n", report);
        output.WriteLine(summary);   // the figures, also when it passes (dotnet test --logger "console;verbosity=detailed")
        Assert.True(background >= sample.Count * 0.9, summary);
        Assert.True(colour >= sample.Count * 0.9, summary);
        Assert.True(position >= sample.Count * 0.9, summary);
        // The torch evaluation gets 15 of 16 for shape and for all four with the 2026-12-02 weights (the
        // 2026-11-25 weights: 10). Three quarters leaves room for another CPU's rounding to flip a
        // borderline square or two, and fails if shape kind falls back to the old weights' level.
        Assert.True(shape >= sample.Count * 0.75, summary);
        Assert.True(correct >= sample.Count * 0.75, summary);
    }

    /// <summary>Issue 19, item 3: ordinary phrasing of the model's own world ("a red circle on a blue
    /// background": an article, no count, no size, no position) draws that scene. Before the caption-variety
    /// training every such prompt came out orange. The prompts are the first 16 of the plain evaluation's
    /// "article" form (tools/tiny-model/plain-results.json: held-out colour/shape/background triples never
    /// captioned plainly in training), plus the issue's own example over three seeds.</summary>
    [SkippableFact]
    public void Draws_plainly_phrased_prompts()
    {
        RequireModel();
        var heldout = JObject.Parse(File.ReadAllText(Path.Combine(TestModels.Root, "tools", "tiny-model", "heldout.json")));
        var palette = ((JObject)heldout["palette"]!).Properties().ToDictionary(p => p.Name, p => p.Value.Select(v => (int)v).ToArray());
        var plain = JObject.Parse(File.ReadAllText(Path.Combine(TestModels.Root, "tools", "tiny-model", "plain-results.json")));
        var sample = ((JArray)plain["prompts"]!).Where(p => (string)p["form"]! == "article").Take(16)
            .Select(p => (Prompt: (string)p["prompt"]!, Seed: (long)p["seed"]!)).ToList();
        var issueExample = Enumerable.Range(1, 3).Select(seed => (Prompt: "a red circle on a blue background", Seed: (long)seed)).ToList();
        var folder = ModelFolder.Open(Folder);
        var steps = (int?)folder.CarbonDefaults?["defaultSteps"] ?? 20;
        var guidance = (double?)folder.CarbonDefaults?["defaultGuidance"] ?? 4.0;
        var pipeline = new DiffusionPipeline(new ModelSessions(folder, TimeSpan.Zero));
        int background = 0, colour = 0, shape = 0, exampleRight = 0;
        var report = new List<string>();
        foreach (var (prompt, seed) in sample.Concat(issueExample))
        {
            var image = pipeline.Generate(new GenerationRequest { Prompt = prompt, Width = 64, Height = 64, Steps = steps, Guidance = guidance, Seed = seed }).Images[0];
            var v = SceneChecks.Check(image.Rgb, image.Width, image.Height, palette);
            var words = prompt.Split(' ');   // "a <colour> <shape> on a <background> background"
            bool bg = v.Background == words[5], co = v.Colour == words[1], sh = v.Shape == words[2];
            if (issueExample.Contains((prompt, seed))) { exampleRight += bg && co && sh ? 1 : 0; }
            else { background += bg ? 1 : 0; colour += co ? 1 : 0; shape += sh ? 1 : 0; }
            report.Add($"{(bg && co && sh ? "ok " : "BAD")} {prompt} (seed {seed}) -> {v}");
        }
        var summary = $"background {background}, colour {colour}, shape {shape} of {sample.Count}; the issue's example {exampleRight} of 3\n" + string.Join("\n", report);
        output.WriteLine(summary);
        // The torch evaluation on all 82 such prompts: background 82, colour 82, shape 71 (87 %).
        Assert.True(background >= sample.Count * 0.9, summary);
        Assert.True(colour >= sample.Count * 0.9, summary);
        Assert.True(shape >= sample.Count * 0.7, summary);
        Assert.True(exampleRight >= 2, summary);
    }
}
