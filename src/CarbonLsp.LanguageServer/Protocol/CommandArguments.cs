using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>The positional arguments of our commands, typed and checked in one place: a malformed
/// request answers InvalidParams with what was expected, never a cast exception.</summary>
public static class CommandArguments
{
    private static LocalRpcException Invalid(string command, string expected) =>
        new($"{command} takes {expected}.") { ErrorCode = ErrorCodes.InvalidParams };

    private static string Uri(JArray? args, string command, string expected) =>
        args is { Count: > 0 } && args[0].Type == JTokenType.String ? (string)args[0]! : throw Invalid(command, expected);

    /// <summary>carbonlsp.showFootprint and carbonlsp.generate: [uri, promptIndex, force?].</summary>
    public sealed record PromptArgs(string Uri, int PromptIndex, bool Force);

    public static PromptArgs Prompt(JArray? args, string command)
    {
        const string expected = "[uri, promptIndex, force?]";
        var uri = Uri(args, command, expected);
        if (args!.Count < 2 || args[1].Type != JTokenType.Integer) throw Invalid(command, expected);
        var force = args.Count > 2 && args[2].Type == JTokenType.Boolean && (bool)args[2];
        return new PromptArgs(uri, (int)args[1], force);
    }

    /// <summary>carbonlsp.generateAll: [uri, force?].</summary>
    public sealed record DocumentArgs(string Uri, bool Force);

    public static DocumentArgs Document(JArray? args, string command)
    {
        var uri = Uri(args, command, "[uri, force?]");
        return new DocumentArgs(uri, args!.Count > 1 && args[1].Type == JTokenType.Boolean && (bool)args[1]);
    }

    /// <summary>carbonlsp.openImage: [uri, imagePath] (the lens and the reuse action pass the image they found).</summary>
    public sealed record OpenImageArgs(string Uri, string ImagePath);

    public static OpenImageArgs OpenImage(JArray? args, string command)
    {
        const string expected = "[uri, imagePath]";
        var uri = Uri(args, command, expected);
        if (args!.Count < 2 || args[1].Type != JTokenType.String) throw Invalid(command, expected);
        return new OpenImageArgs(uri, (string)args[1]!);
    }

    /// <summary>carbonlsp.recordSaving: [uri, [{code, title, prompt?, energyWh, co2eGrams}, …]]: the fixes a code
    /// action applied, with the savings the server put in it. Numbers must be finite, 0 to 10 MWh; texts are cut.</summary>
    public sealed record SavingArgs(string Code, string Title, string? Prompt, double EnergyWh, double Co2eGrams);

    public static (string Uri, IReadOnlyList<SavingArgs> Savings) RecordSaving(JArray? args, string command)
    {
        const string expected = "[uri, [{code, title, prompt?, energyWh, co2eGrams}, …]]";
        var uri = Uri(args, command, expected);
        if (args!.Count < 2 || args[1] is not JArray items || items.Count > 10_000) throw Invalid(command, expected);
        var list = new List<SavingArgs>();
        foreach (var item in items)
        {
            if (item is not JObject o || o["code"]?.Type != JTokenType.String || o["title"]?.Type != JTokenType.String
                || !Number(o["energyWh"], out var wh) || !Number(o["co2eGrams"], out var g)) throw Invalid(command, expected);
            list.Add(new SavingArgs(Cut((string)o["code"]!, 32), Cut((string)o["title"]!, 200), o["prompt"]?.Type == JTokenType.String ? Cut((string)o["prompt"]!, 200) : null, wh, g));
        }
        return (uri, list);
    }

    /// <summary>carbonlsp.report: [uri?, open?]: a file or folder of the workspace to report on (default: every
    /// workspace folder), and whether the server should ask the client to show the written file.</summary>
    public static (string? Uri, bool Open) Report(JArray? args, string command)
    {
        if (args is not { Count: > 0 }) return (null, false);
        if (args[0].Type is not (JTokenType.String or JTokenType.Null)) throw Invalid(command, "[uri?, open?]");
        return (args[0].Type == JTokenType.String ? (string)args[0]! : null, args.Count > 1 && args[1].Type == JTokenType.Boolean && (bool)args[1]);
    }

    private static bool Number(JToken? t, out double value)
    {
        value = t?.Type is JTokenType.Float or JTokenType.Integer ? (double)t : double.NaN;
        return double.IsFinite(value) && value >= 0 && value <= 1e7;
    }

    private static string Cut(string s, int max) => s.Length <= max ? s : s[..max];
}
