namespace CarbonLsp.LanguageServer.Configuration;

/// <summary>Where a rule's documentation is: docs/rules.md as installed next to the executable (it ships with
/// it), as a file URI with the rule's anchor. Null when it is not there (a test host, a hand-copied binary):
/// then no link is given — never a guessed web address.</summary>
public static class RulesDocs
{
    private static readonly Lazy<string?> s_base = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "docs", "rules.md");
        return File.Exists(path) ? new Uri(path).AbsoluteUri + "#" : null;
    });

    /// <summary>The installed docs/rules.md as a URI ending in "#", or null.</summary>
    public static string? Base => s_base.Value;

    /// <summary>The link for a rule code (CL101 → …/docs/rules.md#cl101), or null.</summary>
    public static string? For(string code) => Base is { } b ? s_links.GetOrAdd(code, static (c, root) => root + Core.Rules.FindingCodes.DocsAnchor(c), b) : null;

    // One string per code: every diagnostic of every publish asks.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_links = new(StringComparer.Ordinal);
}
