using CarbonLsp.Core.Features;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/completion: maps the core's completions (<see cref="Completions"/>) to the protocol.</summary>
internal sealed class CompletionHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.Completion, UseSingleObjectParameterDeserialization = true)]
    public async Task<CompletionList> Completion(TextDocumentPositionParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || p!.Position == null) return new CompletionList(false, Array.Empty<CompletionItem>());
        var doc = analysis.Document;
        var offset = doc.Lines.GetOffset(Convert.FromPosition(p.Position));
        var items = Completions.At(analysis, offset, Server.Analysis.Estimator).Select(e => new CompletionItem
        {
            Label = e.Label, Kind = ToLsp(e.Kind), Detail = e.Detail, SortText = e.SortText, FilterText = e.InsertText,
            TextEdit = e.Replace is { } span && e.InsertText != null ? new Protocol.TextEdit(Convert.ToRange(doc, span), e.InsertText) : null,
            Documentation = e.Documentation == null ? null : new MarkupContent("markdown", e.Documentation),
        }).ToList();
        return new CompletionList(false, items);
    }

    private static CompletionItemKind ToLsp(CompletionKind kind) => kind switch
    {
        CompletionKind.Field => CompletionItemKind.Property,
        CompletionKind.EnumMember => CompletionItemKind.EnumMember,
        CompletionKind.Number => CompletionItemKind.Constant,
        _ => CompletionItemKind.Value,
    };
}
