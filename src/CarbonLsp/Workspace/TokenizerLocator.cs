using CarbonLsp.Core.Tokenization;

namespace CarbonLsp.Workspace;

/// <summary>Finds a CLIP vocabulary for exact token counts: an explicit folder (setting or flag), else
/// the embedded model's tokenizer. Any folder with vocab.json and merges.txt works (a diffusers
/// model's tokenizer/ folder, or the CLIP files themselves).</summary>
public static class TokenizerLocator
{
    private static readonly Dictionary<string, ClipTokenizer?> s_cache = new(StringComparer.Ordinal);

    /// <summary>The CLIP vocabulary that ships next to the executable (clip/, MIT, from openai/CLIP).</summary>
    public static string BundledFolder => Path.Combine(AppContext.BaseDirectory, "clip");

    /// <summary>The tokenizer in <paramref name="folder"/>, or the bundled one when none is named; null
    /// (approximate counts, labelled so) when neither can be read.</summary>
    public static ITokenCounter? Load(string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder)) folder = BundledFolder;
        var full = Path.GetFullPath(folder);
        lock (s_cache)
        {
            if (s_cache.TryGetValue(full, out var cached)) return cached;
            ClipTokenizer? tokenizer = null;
            foreach (var dir in new[] { full, Path.Combine(full, "tokenizer") })
            {
                var vocab = Path.Combine(dir, "vocab.json");
                var merges = Path.Combine(dir, "merges.txt");
                if (!File.Exists(vocab) || !File.Exists(merges)) continue;
                try
                {
                    tokenizer = new ClipTokenizer(File.ReadAllText(vocab), File.ReadAllText(merges), ReadPadToken(dir));
                    break;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or Newtonsoft.Json.JsonException)
                {
                    Console.Error.WriteLine($"carbonlsp: tokenizer at {dir} is unreadable ({ex.Message}); token counts will be approximate.");
                }
            }
            s_cache[full] = tokenizer;
            return tokenizer;
        }
    }

    private static string? ReadPadToken(string dir)
    {
        var map = Path.Combine(dir, "special_tokens_map.json");
        if (!File.Exists(map)) return null;
        try
        {
            var token = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(map))["pad_token"];
            return token?.Type == Newtonsoft.Json.Linq.JTokenType.String ? (string?)token : (string?)token?["content"];
        }
        catch (Newtonsoft.Json.JsonException) { return null; }
    }
}
