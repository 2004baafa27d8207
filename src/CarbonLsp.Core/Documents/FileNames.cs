using System.Text;

namespace CarbonLsp.Core.Documents;

/// <summary>A prompt's id names its image files. Ids may be written in any language (letters, digits,
/// emoji); the file name keeps everything the common file systems allow and replaces the rest, and two
/// names that one of those file systems would treat as one file share a <see cref="CollisionKey"/>.</summary>
public static class FileNames
{
    // Forbidden on Windows (and '/' everywhere); control characters are replaced as well.
    private const string Forbidden = "<>:\"/\\|?*";
    private static readonly HashSet<string> s_windowsDevices = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The id as a file name stem: characters no common file system allows replaced by '_', no
    /// trailing dot or space (Windows drops them), a Windows device name suffixed, at most 120 UTF-16 units.
    /// Not Unicode-normalised: the executable runs without ICU (invariant globalization), where .NET does
    /// not normalise non-ASCII text, so an id typed composed and the same typed decomposed are two names.</summary>
    public static string Safe(string id)
    {
        if (IsSafe(id)) return id; // nearly every id: no copy
        var sb = new StringBuilder(id);
        for (var i = 0; i < sb.Length; i++)
            if (char.IsControl(sb[i]) || Forbidden.Contains(sb[i])) sb[i] = '_';
        while (sb.Length > 0 && sb[^1] is '.' or ' ') sb.Length--;
        if (sb.Length > 120) sb.Length = char.IsHighSurrogate(sb[119]) ? 119 : 120;
        var name = sb.Length == 0 ? "_" : sb.ToString();
        return s_windowsDevices.Contains(name.Split('.')[0]) ? name + "_" : name;
    }

    private static bool IsSafe(string id)
    {
        if (id.Length is 0 or > 120 || id[^1] is '.' or ' ') return false;
        foreach (var ch in id)
            if (char.IsControl(ch) || Forbidden.Contains(ch)) return false;
        var stem = id.IndexOf('.') is var dot and >= 0 ? id[..dot] : id;
        return stem.Length is < 3 or > 4 || !s_windowsDevices.Contains(stem);
    }

    /// <summary>Equal for two ids whose files would be one file on a case-insensitive file system (macOS,
    /// Windows): the safe name, upper-cased.</summary>
    public static string CollisionKey(string id) => Safe(id).ToUpperInvariant();
}
