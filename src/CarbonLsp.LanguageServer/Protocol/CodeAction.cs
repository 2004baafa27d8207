using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

public sealed record CodeAction
{
    [JsonProperty("title")] public required string Title { get; init; }
    [JsonProperty("kind")] public required string Kind { get; init; }
    [JsonProperty("diagnostics", NullValueHandling = NullValueHandling.Ignore)] public IReadOnlyList<Diagnostic>? Diagnostics { get; init; }
    [JsonProperty("isPreferred", NullValueHandling = NullValueHandling.Ignore)] public bool? IsPreferred { get; init; }
    [JsonProperty("edit", NullValueHandling = NullValueHandling.Ignore)] public WorkspaceEdit? Edit { get; init; }
    [JsonProperty("command", NullValueHandling = NullValueHandling.Ignore)] public Command? Command { get; init; }
}

/// <summary>LSP's code action kinds are strings.</summary>
public static class CodeActionKinds
{
    public const string QuickFix = "quickfix";
    public const string Refactor = "refactor";
    public const string RefactorRewrite = "refactor.rewrite";
    public const string Source = "source";
    public const string SourceFixAll = "source.fixAll";
}
