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
        return analysis.Prompts.Select(pa =>
        {
            var name = pa.Entry.DisplayName;
            var detail = $"{pa.Settings.ModelName.Value} · {Units.Wh(pa.Footprint.EnergyWh.Mid)}";
            var range = Convert.ToRange(doc, pa.Entry.Span);
            return hierarchical
                ? (object)new DocumentSymbol(name, detail, SymbolKindObject, range, Convert.ToRange(doc, pa.Entry.AnchorSpan))
                : new SymbolInformation($"{name} ({detail})", SymbolKindObject, new Location(snapshot!.Uri, range), "prompts");
        }).ToList();
    }
}
