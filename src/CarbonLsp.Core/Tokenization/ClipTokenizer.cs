using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Core.Tokenization;

/// <summary>
/// CLIP's byte-level BPE tokenizer, matching Hugging Face's CLIPTokenizer: clean (HTML unescape,
/// collapse whitespace, lower-case), split with CLIP's pattern, map bytes to printable characters,
/// merge by rank with "&lt;/w&gt;" marking a word's end, then wrap in start/end tokens, truncate to the
/// window keeping the end token, and pad. Built from the text of vocab.json and merges.txt (the
/// caller reads the files: the core does no I/O). Thread-safe.
/// </summary>
public sealed partial class ClipTokenizer : ITokenCounter
{
    public const int DefaultMaxLength = 77;
    private const string EndOfWord = "</w>";

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(string, string), int> _ranks;
    private readonly ConcurrentDictionary<string, string[]> _cache = new();
    private static readonly string[] s_byteToUnicode = BuildByteMap();

    public ClipTokenizer(string vocabJson, string mergesText, string? padToken = null, int maxLength = DefaultMaxLength)
    {
        _vocab = JObject.Parse(vocabJson).Properties().ToDictionary(p => p.Name, p => (int)p.Value);
        _ranks = new Dictionary<(string, string), int>();
        var rank = 0;
        var lineNumber = 0;
        foreach (var raw in mergesText.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith("#version", StringComparison.Ordinal)) continue;
            // A merge is two symbols and one space, and what it makes is a token of the vocabulary. Anything
            // else means the file is not this vocabulary's merges (cut short, another model's, not text):
            // accepting it would tokenize every prompt wrongly and silently.
            var space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new ArgumentException($"merges.txt line {lineNumber} is not a merge (two symbols and one space): \"{Shorten(line)}\".");
            var (left, right) = (line[..space], line[(space + 1)..]);
            if (!_vocab.ContainsKey(left + right))
                throw new ArgumentException($"merges.txt line {lineNumber} makes \"{Shorten(left + right)}\", which vocab.json does not have: the two files do not belong together.");
            _ranks.TryAdd((left, right), rank++);
        }
        StartId = _vocab.TryGetValue("<|startoftext|>", out var s) ? s : throw new ArgumentException("vocab.json has no <|startoftext|>.");
        EndId = _vocab.TryGetValue("<|endoftext|>", out var e) ? e : throw new ArgumentException("vocab.json has no <|endoftext|>.");
        PadId = padToken != null && _vocab.TryGetValue(padToken, out var p) ? p : EndId;
        MaxLength = maxLength;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    public int StartId { get; }
    public int EndId { get; }
    public int PadId { get; }
    public int MaxLength { get; }
    public int VocabularySize => _vocab.Count;
    public bool IsExact => true;

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The ids of the content (no start/end tokens, no truncation), each with the span of
    /// the cleaned text it came from.</summary>
    public IReadOnlyList<int> EncodeContent(string text) => EncodePieces(text).SelectMany(p => p.Ids).ToArray();

    /// <summary>Start + content + end, truncated to <see cref="MaxLength"/> with the end token kept, padded.</summary>
    public int[] Encode(string text, bool pad = true)
    {
        var content = EncodeContent(text);
        var keep = Math.Min(content.Count, MaxLength - 2);
        var ids = new List<int>(MaxLength) { StartId };
        for (var i = 0; i < keep; i++) ids.Add(content[i]);
        ids.Add(EndId);
        if (pad) while (ids.Count < MaxLength) ids.Add(PadId);
        return ids.ToArray();
    }

    public int CountTokens(string text) => EncodeContent(text).Count;

    public int? CutOffset(string text, int maxContentTokens)
    {
        // Map pieces back onto the original text: cleaning only collapses whitespace, lower-cases
        // and unescapes entities, so each piece is found by a case-insensitive search moving forward.
        var count = 0;
        var searchFrom = 0;
        foreach (var piece in EncodePieces(text))
        {
            var found = text.IndexOf(piece.Text, searchFrom, StringComparison.OrdinalIgnoreCase);
            if (count + piece.Ids.Length > maxContentTokens)
                return found >= 0 ? found : searchFrom;
            count += piece.Ids.Length;
            if (found >= 0) searchFrom = found + piece.Text.Length;
        }
        return null;
    }

    private readonly record struct Piece(string Text, int[] Ids);

    private IEnumerable<Piece> EncodePieces(string text)
    {
        var cleaned = Clean(text);
        foreach (Match m in Pattern().Matches(cleaned))
        {
            var token = m.Value;
            if (token == "<|startoftext|>") { yield return new Piece(token, new[] { StartId }); continue; }
            if (token == "<|endoftext|>") { yield return new Piece(token, new[] { EndId }); continue; }
            var ids = new List<int>();
            foreach (var sym in Bpe(ToByteSymbols(token)))
                ids.Add(_vocab.TryGetValue(sym, out var id) ? id : EndId); // unknown -> <|endoftext|>, as CLIP's unk
            yield return new Piece(token, ids.ToArray());
        }
    }

    /// <summary>HTML-unescape twice (as CLIP's basic clean does), collapse whitespace, trim, lower-case.
    /// ftfy's mojibake repair has no .NET port; ordinary text needs none.</summary>
    public static string Clean(string text)
    {
        var s = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text ?? string.Empty));
        return Whitespace().Replace(s, " ").Trim().ToLowerInvariant();
    }

    private static string ToByteSymbols(string token)
    {
        var bytes = Encoding.UTF8.GetBytes(token);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes) sb.Append(s_byteToUnicode[b]);
        return sb.ToString();
    }

    private string[] Bpe(string word)
    {
        if (_cache.TryGetValue(word, out var cached)) return cached;
        // Split into text elements of the byte map (each is one char), last one marked end-of-word.
        var parts = new List<string>(word.Length);
        foreach (var ch in word) parts.Add(ch.ToString());
        if (parts.Count == 0) return Array.Empty<string>();
        parts[^1] += EndOfWord;
        while (parts.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestIndex = -1;
            for (var i = 0; i < parts.Count - 1; i++)
                if (_ranks.TryGetValue((parts[i], parts[i + 1]), out var r) && r < bestRank) { bestRank = r; bestIndex = i; }
            if (bestIndex < 0) break;
            var first = parts[bestIndex];
            var second = parts[bestIndex + 1];
            // Merge every occurrence of this pair, left to right, as the reference implementation does.
            var merged = new List<string>(parts.Count);
            for (var i = 0; i < parts.Count; i++)
            {
                if (i < parts.Count - 1 && parts[i] == first && parts[i + 1] == second)
                {
                    merged.Add(first + second);
                    i++;
                }
                else merged.Add(parts[i]);
            }
            parts = merged;
        }
        var result = parts.ToArray();
        if (_cache.Count < 100_000) _cache[word] = result;
        return result;
    }

    private static string[] BuildByteMap()
    {
        var printable = new List<int>();
        for (var b = '!'; b <= '~'; b++) printable.Add(b);
        for (var b = '¡'; b <= '¬'; b++) printable.Add(b);
        for (var b = '®'; b <= 'ÿ'; b++) printable.Add(b);
        var map = new string[256];
        var extra = 0;
        for (var b = 0; b < 256; b++)
            map[b] = printable.Contains(b) ? ((char)b).ToString() : ((char)(256 + extra++)).ToString();
        return map;
    }
}
