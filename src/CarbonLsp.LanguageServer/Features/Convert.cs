using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;
using CarbonLsp.LanguageServer.Hosting;
using CarbonLsp.LanguageServer.Protocol;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>Core values to protocol values, by hand, in one place.</summary>
internal static class Convert
{

    public static Position ToPosition(TextPosition p) => new(p.Line, p.Character);
    public static TextPosition FromPosition(Position p) => new(p.Line, p.Character);
    public static Protocol.Range ToRange(PromptDocument doc, TextSpan span) => ToRange(doc.GetRange(span));
    public static Protocol.Range ToRange(TextRange r) => new(ToPosition(r.Start), ToPosition(r.End));

    // One per code, not one per diagnostic: a file with every prompt flagged has ten thousand.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CodeDescription> s_descriptions = new(StringComparer.Ordinal);

    private static CodeDescription? DescriptionOf(string code) =>
        Configuration.RulesDocs.For(code) is { } href ? s_descriptions.GetOrAdd(code, _ => new CodeDescription(href)) : null;

    public static Diagnostic ToDiagnostic(string uri, PromptDocument doc, Finding f, ClientCapabilities client) => new()
    {
        Range = ToRange(doc, f.Span),
        Severity = (DiagnosticSeverity)f.Severity, // Core's Severity has LSP's numbers
        Code = f.Code,
        CodeDescription = DescriptionOf(f.Code),
        Message = f.Message,
        Tags = f.Unnecessary && client.SupportsUnnecessaryTag ? new[] { DiagnosticTag.Unnecessary } : null,
        RelatedInformation = f.Related.Count > 0 && client.SupportsRelatedInformation
            ? f.Related.Select(r => new DiagnosticRelatedInformation(new Location(uri, ToRange(doc, r.Span)), r.Message)).ToArray()
            : null,
    };

    /// <summary>A fix's command: the document's URI first, then the fix's own arguments.</summary>
    public static Command ToCommand(string uri, Core.Fixes.FixCommand command) =>
        new(command.Title, command.Name, new Newtonsoft.Json.Linq.JArray(command.Arguments.Prepend(uri).Select(a => a == null ? Newtonsoft.Json.Linq.JValue.CreateNull() : Newtonsoft.Json.Linq.JToken.FromObject(a)).ToArray()));

    public static WorkspaceEdit ToWorkspaceEdit(string uri, int version, PromptDocument doc, IEnumerable<Core.Fixes.TextEdit> edits, ClientCapabilities client)
    {
        var list = edits.Select(e => new Protocol.TextEdit(ToRange(doc, e.Span), e.NewText)).ToList();
        return client.SupportsVersionedEdits
            ? new WorkspaceEdit { DocumentChanges = new[] { new TextDocumentEdit(new VersionedTextDocumentIdentifier(uri, version), list) } }
            : new WorkspaceEdit { Changes = new Dictionary<string, IReadOnlyList<Protocol.TextEdit>> { [uri] = list } };
    }

    public static bool Overlaps(TextSpan a, TextSpan b) => a.Start <= b.End && b.Start <= a.End;
}
