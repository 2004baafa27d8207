using CarbonLsp.Core.Features;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/hover: maps the core's hover (<see cref="Hovers"/>) to the protocol.</summary>
internal sealed class HoverHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.Hover, UseSingleObjectParameterDeserialization = true)]
    public async Task<Hover?> Hover(TextDocumentPositionParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || p!.Position == null) return null;
        var doc = analysis.Document;
        if (Hovers.At(analysis, doc.Lines.GetOffset(Convert.FromPosition(p.Position)), Server.Analysis.Catalog) is not { } hover) return null;
        // Plain text when the client asks for it (Eglot shows Markdown markers as they are).
        var content = Server.Client.SupportsMarkdownHover ? new MarkupContent("markdown", hover.Markdown) : new MarkupContent("plaintext", PlainText.FromMarkdown(hover.Markdown));
        return new Hover(content, Convert.ToRange(doc, hover.Span));
    }
}
