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
}
