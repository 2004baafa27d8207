using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/hover: anywhere in a prompt, its footprint; on one field, a focused answer;
/// on a top-level setting, what it means for the file.</summary>
internal sealed class HoverHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.Hover, UseSingleObjectParameterDeserialization = true)]
    public async Task<Hover?> Hover(TextDocumentPositionParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || p!.Position == null) return null;
        var doc = analysis.Document;
        var offset = doc.Lines.GetOffset(Convert.FromPosition(p.Position));
        var catalog = Server.Analysis.Catalog;
        var prompt = analysis.PromptAt(offset);
        string markdown;
        TextSpan span;
        if (prompt != null)
        {
            var local = prompt.Entry.ToNode(offset); // the prompt's nodes are in their own coordinates
            var field = prompt.Entry.Node.Properties.FirstOrDefault(x => x.Span.Contains(local));
            var focused = field == null ? null : HoverContent.ForField(field.Name, analysis, prompt, catalog);
            markdown = focused ?? HoverContent.ForPrompt(analysis, prompt, catalog);
            span = focused != null ? prompt.Entry.ToDocument(field!.Span) : prompt.Entry.Span;
        }
        else if (doc.RootObject?.Properties.FirstOrDefault(x => x.Span.Contains(offset) && x.Name != Core.Documents.FieldNames.Prompts) is { } top)
        {
            if (top.Name == Core.Documents.FieldNames.Defaults && top.Value is JsonObject defaults && defaults.Properties.FirstOrDefault(x => x.Span.Contains(offset)) is { } d
                && d.Name == Core.Documents.FieldNames.Model && d.Value is JsonString modelName && catalog.FindModel(modelName.Value) is { } model)
            {
                markdown = HoverContent.ModelCard(model, true, catalog, analysis.Device, null);
                span = d.Span;
            }
            else
            {
                markdown = HoverContent.ForTopLevel(top.Name, analysis, catalog);
                span = top.Span;
            }
        }
        else return null;
        var kind = Server.Client.SupportsMarkdownHover ? "markdown" : "plaintext";
        return new Hover(new MarkupContent(kind, markdown), Convert.ToRange(doc, span));
    }
}
