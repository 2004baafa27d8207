using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Schema;

/// <summary>What a user probably meant by a value the schema does not allow: the names other tools use for the
/// same thing (A1111/ComfyUI scheduler names, PyTorch dtype names), then a close spelling.</summary>
internal static class ValueSuggestions
{
    // Compared after Key(): lower case, letters, digits and '+' only ("DPM++ 2M Karras" -> "dpm++2mkarras").
    private static readonly Dictionary<string, string> s_synonyms = new(StringComparer.Ordinal)
    {
        // schedulers, as A1111, ComfyUI and diffusers name them (Karras sigmas are a spacing, not another sampler)
        ["dpm++2mkarras"] = "dpm++2m", ["dpmpp2m"] = "dpm++2m", ["dpmpp2mkarras"] = "dpm++2m", ["dpmsolvermultistep"] = "dpm++2m",
        ["dpmsolvermultistepscheduler"] = "dpm++2m", ["dpm2m"] = "dpm++2m",
        ["eulera"] = "euler-a", ["eulerancestral"] = "euler-a", ["eulerancestraldiscrete"] = "euler-a", ["eulerancestraldiscretescheduler"] = "euler-a",
        ["eulerdiscrete"] = "euler", ["eulerdiscretescheduler"] = "euler", ["eulerkarras"] = "euler",
        ["ddimscheduler"] = "ddim", ["lcmscheduler"] = "lcm",
        // precisions, as PyTorch and other tools name them
        ["half"] = "fp16", ["float16"] = "fp16", ["f16"] = "fp16", ["16bit"] = "fp16",
        ["float"] = "fp32", ["float32"] = "fp32", ["full"] = "fp32", ["f32"] = "fp32", ["single"] = "fp32",
        ["bfloat16"] = "bf16", ["bfloat"] = "bf16",
        ["float8"] = "fp8", ["fp8e4m3"] = "fp8", ["float8e4m3fn"] = "fp8", ["e4m3"] = "fp8",
        ["q4"] = "gguf-q4", ["q40"] = "gguf-q4", ["ggufq40"] = "gguf-q4", ["nf4bnb"] = "nf4", ["bnb8bit"] = "bnb-int8", ["8bit"] = "bnb-int8",
    };

    /// <summary>The allowed value <paramref name="value"/> most likely means, or null.</summary>
    public static string? For(string value, IReadOnlyList<string> allowed)
    {
        var key = Key(value);
        if (key.Length == 0) return null;
        foreach (var a in allowed)
            if (Key(a) == key) return a; // case or punctuation only
        if (s_synonyms.TryGetValue(key, out var s) && allowed.Contains(s)) return s;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var a in allowed)
        {
            var d = EditDistance.Compute(Key(a), key);
            if (d < bestDistance) { bestDistance = d; best = a; }
        }
        return bestDistance <= Math.Max(1, key.Length / 4) ? best : null;
    }

    private static string Key(string s) => new(s.ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c == '+').ToArray());
}
