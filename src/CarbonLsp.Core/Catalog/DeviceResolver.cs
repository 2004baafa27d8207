using System.Text;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Catalog;

/// <summary>How a device name was understood.</summary>
public enum DeviceMatchKind
{
    /// <summary>A catalog id or alias.</summary>
    Exact,
    /// <summary>A hardware name ("NVIDIA GeForce RTX 3090", "Apple M2 Pro") that names one catalog device.</summary>
    Hardware,
    /// <summary>Not a device the catalog knows: a named generic class stands in, with a wide range.</summary>
    Generic,
}

/// <summary>The device a name resolves to, how, and the catalog ids it may have meant.</summary>
public sealed record DeviceMatch(DeviceSpec Device, DeviceMatchKind Kind, IReadOnlyList<string> Suggestions)
{
    public bool Known => Kind != DeviceMatchKind.Generic;
}

/// <summary>
/// Turns what a user typed, or what the hardware calls itself, into a catalog device. Names are
/// compared as token sequences with letters and digits split ("RTX3090" = "rtx 3090", "A10G" =
/// "a 10 g"), so a phrase matches only whole tokens: "a 10" never matches inside "a 100". Pure.
/// </summary>
public sealed class DeviceResolver
{
    private readonly ModelCatalog _catalog;
    private readonly List<(string[] Tokens, DeviceSpec Device)> _phrases = new();

    public DeviceResolver(ModelCatalog catalog)
    {
        _catalog = catalog;
        foreach (var d in catalog.Devices.Where(d => !d.Generic))
            foreach (var phrase in d.Match)
                _phrases.Add((Tokens(phrase), d));
        // Longest phrase first: "rtx 4090 laptop" before "rtx 4090", "h 100 pcie" before "h 100".
        _phrases.Sort((a, b) => b.Tokens.Length.CompareTo(a.Tokens.Length));
    }

    /// <summary>Resolves a name from a prompt file, a flag or a setting. Never null: an unknown name
    /// gets the generic class its words suggest.</summary>
    public DeviceMatch Resolve(string name)
    {
        if (_catalog.FindDevice(name) is { } exact) return new DeviceMatch(exact, DeviceMatchKind.Exact, Array.Empty<string>());
        if (FromHardwareName(name) is { } hw) return new DeviceMatch(hw, DeviceMatchKind.Hardware, new[] { hw.Id });
        return new DeviceMatch(GenericFor(name), DeviceMatchKind.Generic, Suggest(name));
    }

    /// <summary>The catalog device a hardware name (NVML, /proc/cpuinfo, sysctl) names, or null.</summary>
    public DeviceSpec? FromHardwareName(string hardwareName)
    {
        var tokens = Tokens(hardwareName);
        if (tokens.Length == 0) return null;
        foreach (var (phrase, device) in _phrases)
            if (ContainsRun(tokens, phrase)) return device;
        if (LooksLikeCpu(tokens)) return CpuClass(tokens);
        return null;
    }

    /// <summary>The generic class standing in for a device the catalog does not know.</summary>
    public DeviceSpec GenericFor(string name)
    {
        var t = Tokens(name);
        string id;
        if (Has(t, "apple") || HasAppleChip(t)) id = "generic-apple";
        else if (LooksLikeCpu(t)) return CpuClass(t);
        else if (Has(t, "amd") || Has(t, "radeon") || Has(t, "instinct") || Has(t, "rx") || Has(t, "mi")) id = "generic-amd-gpu";
        else if (Has(t, "intel") || Has(t, "arc")) id = "generic-intel-gpu";
        else if (Has(t, "laptop") || Has(t, "mobile") || Has(t, "max") && Has(t, "q")) id = "generic-nvidia-laptop";
        else if (Has(t, "tesla") || Has(t, "sxm") || Has(t, "hgx") || Has(t, "dgx") || DataCentreName(t)) id = "generic-nvidia-datacentre";
        else if (Has(t, "nvidia") || Has(t, "geforce") || Has(t, "rtx") || Has(t, "gtx") || Has(t, "quadro")) id = "generic-nvidia-desktop";
        else id = "generic-gpu";
        return _catalog.FindDevice(id) ?? throw new InvalidOperationException($"The catalog lacks the generic device {id}.");
    }

    /// <summary>Catalog ids close to a name: by spelling, or sharing its model number ("3090").</summary>
    public IReadOnlyList<string> Suggest(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        var tokens = Tokens(name);
        var numbers = tokens.Where(x => x.Length >= 2 && char.IsDigit(x[0])).ToHashSet();
        return _catalog.Devices.Where(d => !d.Generic)
            .Select(d =>
            {
                var distance = d.Aliases.Append(d.Id).Min(a => EditDistance.Compute(a.ToLowerInvariant(), lower));
                var shared = numbers.Count > 0 && d.Match.Any(p => Tokens(p).Any(numbers.Contains));
                return (d.Id, distance, shared);
            })
            .Where(x => x.shared || x.distance <= Math.Max(2, lower.Length / 4))
            .OrderBy(x => x.shared ? 0 : 1).ThenBy(x => x.distance).Select(x => x.Id).Take(3).ToList();
    }

    private DeviceSpec CpuClass(string[] t)
    {
        // Server parts by family; laptop parts by Intel's U/H/P/HX and AMD's U/HS/H suffixes.
        var server = Has(t, "epyc") || Has(t, "xeon") || Has(t, "threadripper") || Has(t, "graviton") || Has(t, "ampere");
        var laptop = !server && (Has(t, "laptop") || Has(t, "mobile") || t.Any(x => x is "u" or "h" or "hs" or "hx" or "p"));
        var id = server ? "cpu-server" : laptop ? "cpu-laptop" : "cpu-desktop";
        return _catalog.FindDevice(id) ?? _catalog.FindDevice("cpu")!;
    }

    private static bool LooksLikeCpu(string[] t) =>
        Has(t, "cpu") || Has(t, "processor") || Has(t, "ryzen") || Has(t, "epyc") || Has(t, "xeon") || Has(t, "threadripper")
        || Has(t, "core") && (Has(t, "intel") || t.Any(x => x is "i" or "ultra")) || Has(t, "graviton");

    private static bool HasAppleChip(string[] t)
    {
        for (var i = 0; i + 1 < t.Length; i++)
            if (t[i] == "m" && t[i + 1].Length == 1 && char.IsDigit(t[i + 1][0])) return true;
        return false;
    }

    /// <summary>NVIDIA data-centre names: a letter and a number with nothing consumer-like around them
    /// ("h 200", "b 300", "l 40", "a 800").</summary>
    private static bool DataCentreName(string[] t)
    {
        for (var i = 0; i + 1 < t.Length; i++)
            if (t[i] is "a" or "b" or "h" or "l" or "t" or "v" or "gh" or "gb" && char.IsDigit(t[i + 1][0])) return true;
        return false;
    }

    private static bool Has(string[] tokens, string word) => Array.IndexOf(tokens, word) >= 0;

    /// <summary>Whether the phrase occurs as whole tokens, not followed by a word that names another
    /// model ("rtx 3090" is not in "rtx 3090 ti", "7900 xt" not in "7900 xt x").</summary>
    private static bool ContainsRun(string[] tokens, string[] phrase)
    {
        for (var i = 0; i + phrase.Length <= tokens.Length; i++)
        {
            var all = true;
            for (var j = 0; j < phrase.Length && all; j++) all = tokens[i + j] == phrase[j];
            if (all && (i + phrase.Length == tokens.Length || !s_variantWords.Contains(tokens[i + phrase.Length]))) return true;
        }
        return false;
    }

    private static readonly HashSet<string> s_variantWords = new(StringComparer.Ordinal) { "ti", "super", "xt", "xtx", "x", "s", "g", "pro", "max", "ultra", "laptop", "mobile", "nvl" };

    /// <summary>Lower-case tokens, split at anything not a letter or digit and between letters and digits.</summary>
    public static string[] Tokens(string text)
    {
        var list = new List<string>();
        var sb = new StringBuilder();
        var lastDigit = false;
        foreach (var ch in text)
        {
            if (!char.IsLetterOrDigit(ch)) { Flush(); continue; }
            var digit = char.IsDigit(ch);
            if (sb.Length > 0 && digit != lastDigit) Flush();
            sb.Append(char.ToLowerInvariant(ch));
            lastDigit = digit;
        }
        Flush();
        return list.ToArray();

        void Flush()
        {
            if (sb.Length > 0) list.Add(sb.ToString());
            sb.Clear();
        }
    }
}
