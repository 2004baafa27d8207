using CarbonLsp.Core.Tokenization;
using CarbonLsp.Generation.Schedulers;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Generation.Models;

/// <summary>
/// A diffusers ONNX folder (model_index.json, text_encoder[_2], unet, vae_decoder, tokenizer[_2],
/// scheduler), checked when opened: a missing, partial or corrupt folder is reported with what is
/// wrong and how to fix it, before any session is created.
/// </summary>
public sealed class ModelFolder
{
    private ModelFolder(string path) => Path = path;

    public string Path { get; }
    public string Name => System.IO.Path.GetFileName(Path.TrimEnd('/', '\\'));
    public required JObject Index { get; init; }
    public required SchedulerConfig Scheduler { get; init; }
    public required ClipTokenizer Tokenizer { get; init; }
    public ClipTokenizer? Tokenizer2 { get; init; }
    public bool IsSdxl => Tokenizer2 != null;
    public required double VaeScalingFactor { get; init; }
    /// <summary>Image pixels per latent pixel (8 for SD; 2^(len(block_out_channels)-1) from the VAE config).</summary>
    public required int VaeScaleFactor { get; init; }
    public required int LatentChannels { get; init; }
    /// <summary>Width and height must be multiples of this: the VAE's factor times the latent multiple the
    /// UNet needs (unet/config.json's "sample_multiple_of", written by exports whose UNet cannot pad odd
    /// sizes, as carbon-tiny's: 64 works, 72 fails inside ONNX Runtime); at least 8, as diffusers asks.</summary>
    public int SizeMultiple { get; init; } = 8;
    /// <summary>The UNet's levels, heads and channels (unet/config.json), for the memory estimate.</summary>
    public UnetShape Unet { get; init; } = UnetShape.StableDiffusion15;
    /// <summary>Channels of the VAE decoder's last block, the one at full resolution (block_out_channels[0]).</summary>
    public int DecoderFirstChannels { get; init; } = 128;
    public required bool ForceZerosForEmptyPrompt { get; init; }
    /// <summary>Defaults the folder suggests (our "carbonlsp" key in model_index.json).</summary>
    public JObject? CarbonDefaults => Index["carbonlsp"] as JObject;

    public string TextEncoderPath => Model("text_encoder");
    public string? TextEncoder2Path => IsSdxl ? Model("text_encoder_2") : null;
    public string UnetPath => Model("unet");
    public string VaeDecoderPath => Model("vae_decoder");

    private string Model(string component) => System.IO.Path.Combine(Path, component, "model.onnx");

    public static ModelFolder Open(string path)
    {
        if (!Directory.Exists(path))
            throw new ModelFolderException($"No model folder at {path}. Point \"model\" at a diffusers ONNX folder (with model_index.json), or use a catalog model id.");
        var indexPath = System.IO.Path.Combine(path, "model_index.json");
        if (!File.Exists(indexPath))
            throw new ModelFolderException($"{path} has no model_index.json: it is not a diffusers ONNX export. Export with optimum (`optimum-cli export onnx --model <id> <dir>`) or point at the right folder.");
        var index = ReadJson(indexPath);
        var sdxl = Directory.Exists(System.IO.Path.Combine(path, "text_encoder_2"));
        var required = new List<string> { "text_encoder", "unet", "vae_decoder" };
        if (sdxl) required.Add("text_encoder_2");
        foreach (var component in required)
        {
            var model = System.IO.Path.Combine(path, component, "model.onnx");
            if (!File.Exists(model))
                throw new ModelFolderException($"{path} is incomplete: {component}/model.onnx is missing. Re-download or re-export the whole folder.");
            if (new FileInfo(model).Length < 1024 && !HasExternalData(System.IO.Path.GetDirectoryName(model)!))
                throw new ModelFolderException($"{component}/model.onnx in {path} is only {new FileInfo(model).Length} bytes: the download was cut short or the file is a Git LFS pointer. Fetch the real file (git lfs pull) or re-export.");
        }
        var schedulerPath = System.IO.Path.Combine(path, "scheduler", "scheduler_config.json");
        if (!File.Exists(schedulerPath))
            throw new ModelFolderException($"{path} is incomplete: scheduler/scheduler_config.json is missing.");
        var vaeConfig = System.IO.Path.Combine(path, "vae_decoder", "config.json");
        var vae = File.Exists(vaeConfig) ? ReadJson(vaeConfig) : new JObject();
        var blocks = vae["block_out_channels"] is JArray b ? b.Count : 4;
        if (blocks is < 1 or > 8)
            throw new ModelFolderException($"{vaeConfig} lists {blocks} block_out_channels; a VAE decoder has 1 to 8 (4 in Stable Diffusion). The folder is corrupt: re-export it.");
        if (vae["latent_channels"] is JToken lcToken && (lcToken.Type != JTokenType.Integer || (long)lcToken is < 1 or > 64))
            throw new ModelFolderException($"{vaeConfig}: latent_channels must be a whole number from 1 to 64 (4 in Stable Diffusion, 16 in SD3 and FLUX), not {lcToken.ToString(Formatting.None)}. The folder is corrupt: re-export it.");
        var unetConfig = System.IO.Path.Combine(path, "unet", "config.json");
        var unetJson = File.Exists(unetConfig) ? ReadJson(unetConfig) : null;
        var latentMultiple = unetJson?["sample_multiple_of"] is JValue { Type: JTokenType.Integer } sm && (long)sm is >= 1 and <= 64 ? (int)(long)sm : 1;
        SchedulerConfig scheduler;
        try { scheduler = SchedulerConfig.FromJson(ReadJson(schedulerPath)); }
        catch (InvalidDataException ex) { throw new ModelFolderException($"{schedulerPath}: {ex.Message} The folder is corrupt: re-download it or fix the file.", ex); }
        return new ModelFolder(System.IO.Path.GetFullPath(path))
        {
            Index = index,
            Scheduler = scheduler,
            Tokenizer = LoadTokenizer(path, "tokenizer"),
            Tokenizer2 = sdxl ? LoadTokenizer(path, "tokenizer_2") : null,
            VaeScalingFactor = vae["scaling_factor"] is JValue { Type: JTokenType.Float or JTokenType.Integer } sf ? (double)sf : sdxl ? 0.13025 : 0.18215,
            VaeScaleFactor = 1 << Math.Max(0, blocks - 1),
            LatentChannels = vae["latent_channels"] is JValue { Type: JTokenType.Integer } lc ? (int)lc : 4,
            SizeMultiple = Math.Max(8, (1 << Math.Max(0, blocks - 1)) * latentMultiple),
            Unet = UnetShape.From(unetJson),
            DecoderFirstChannels = vae["block_out_channels"] is JArray dc && dc.Count > 0 && dc[0] is JValue { Type: JTokenType.Integer } d0 && (long)d0 is >= 1 and <= 65536 ? (int)(long)d0 : 128,
            ForceZerosForEmptyPrompt = index["force_zeros_for_empty_prompt"] is JValue { Type: JTokenType.Boolean } fz && (bool)fz,
        };
    }

    private static bool HasExternalData(string dir) =>
        Directory.EnumerateFiles(dir).Any(f => f.EndsWith(".onnx_data") || f.EndsWith(".onnx.data") || f.EndsWith("weights.pb"));

    private static JObject ReadJson(string file)
    {
        try { return JObject.Parse(File.ReadAllText(file)); }
        catch (JsonException ex) { throw new ModelFolderException($"{file} is not valid JSON ({ex.Message}). The folder is corrupt: re-download it.", ex); }
    }

    private static ClipTokenizer LoadTokenizer(string path, string folder)
    {
        var dir = System.IO.Path.Combine(path, folder);
        var vocab = System.IO.Path.Combine(dir, "vocab.json");
        var merges = System.IO.Path.Combine(dir, "merges.txt");
        if (!File.Exists(vocab) || !File.Exists(merges))
            throw new ModelFolderException($"{path} is incomplete: {folder}/vocab.json and {folder}/merges.txt are needed (a CLIP tokenizer).");
        string? pad = null;
        var map = System.IO.Path.Combine(dir, "special_tokens_map.json");
        if (File.Exists(map))
        {
            var token = ReadJson(map)["pad_token"];
            pad = token?.Type == JTokenType.String ? (string?)token : (string?)token?["content"];
        }
        try { return new ClipTokenizer(File.ReadAllText(vocab), File.ReadAllText(merges), pad); }
        catch (Exception ex) when (ex is JsonException or ArgumentException) { throw new ModelFolderException($"{dir} has an unreadable tokenizer: {ex.Message}", ex); }
    }
}
