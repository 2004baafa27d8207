using CarbonLsp.Core.Estimation;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/documentSymbol: the prompts as an outline (flat for clients without hierarchy).</summary>
internal sealed class DocumentSymbolHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    private const int SymbolKindObject = 19;

    [JsonRpcMethod(Methods.DocumentSymbol, UseSingleObjectParameterDeserialization = true)]
    public async Task<IReadOnlyList<object>> DocumentSymbol(TextDocumentParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null) return Array.Empty<object>();
        var doc = analysis.Document;
        var hierarchical = Server.Client.SupportsHierarchicalSymbols;
        return Core.Features.Outline.Items(analysis).Select(item =>
        {
            var range = Convert.ToRange(doc, item.Span);
            return hierarchical
                ? (object)new DocumentSymbol(item.Name, item.Detail, SymbolKindObject, range, Convert.ToRange(doc, item.SelectionSpan))
                : new SymbolInformation($"{item.Name} ({item.Detail})", SymbolKindObject, new Location(snapshot!.Uri, range), "prompts");
        }).ToList();
    }
}
