using Newtonsoft.Json.Linq;

namespace CarbonLsp.Generation.Models;

/// <summary>What unet/config.json says about the UNet's size (diffusers' UNet2DConditionModel fields), for
/// the memory estimate. Missing or odd fields take Stable Diffusion 1.5's values.</summary>
public sealed record UnetShape(IReadOnlyList<string> DownBlockTypes, IReadOnlyList<int> Heads, int FirstChannels)
{
    public static readonly UnetShape StableDiffusion15 = new(
        new[] { "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D" }, new[] { 8 }, 320);

    /// <summary>The level (0 = the latent's resolution, each next one half) of the first block with attention.</summary>
    public int? FirstAttentionLevel
    {
        get
        {
            for (var i = 0; i < DownBlockTypes.Count; i++)
                if (DownBlockTypes[i].Contains("Attn", StringComparison.Ordinal)) return i;
            return null;
        }
    }

    /// <summary>Attention heads at a level: diffusers reads num_attention_heads, else the (misnamed)
    /// attention_head_dim, one number or one per block.</summary>
    public int HeadsAt(int level) => Heads.Count == 0 ? 8 : Heads[Math.Min(level, Heads.Count - 1)];

    public static UnetShape From(JObject? config)
    {
        if (config == null) return StableDiffusion15;
        var d = StableDiffusion15;
        var types = config["down_block_types"] is JArray t && t.All(x => x.Type == JTokenType.String) && t.Count > 0
            ? t.Select(x => (string)x!).ToList() : d.DownBlockTypes;
        var headsToken = config["num_attention_heads"] is JToken h && h.Type != JTokenType.Null ? h : config["attention_head_dim"];
        var heads = headsToken switch
        {
            JValue { Type: JTokenType.Integer } v when (long)v is >= 1 and <= 1024 => new[] { (int)(long)v },
            JArray a when a.Count > 0 && a.All(x => x.Type == JTokenType.Integer && (long)x is >= 1 and <= 1024) => a.Select(x => (int)(long)x).ToArray(),
            _ => d.Heads,
        };
        var channels = config["block_out_channels"] is JArray c && c.Count > 0 && c[0] is JValue { Type: JTokenType.Integer } c0 && (long)c0 is >= 1 and <= 65536
            ? (int)(long)c0 : d.FirstChannels;
        return new UnetShape(types, heads, channels);
    }
}
