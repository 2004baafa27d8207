using CarbonLsp.Core.Estimation;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/codeLens: a footprint summary above each prompt.</summary>
internal sealed class CodeLensHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.CodeLens, UseSingleObjectParameterDeserialization = true)]
    public async Task<IReadOnlyList<CodeLens>> CodeLens(TextDocumentParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || !Server.Analysis.Settings.CodeLens) return Array.Empty<CodeLens>();
        var doc = analysis.Document;
        return analysis.Prompts.Select(pa =>
        {
            var f = pa.Footprint;
            var start = doc.Lines.GetPosition(pa.Entry.Span.Start);
            var range = new Protocol.Range(Convert.ToPosition(start), Convert.ToPosition(start));
            var title = $"⚡ {Units.Wh(f.EnergyWh.Mid)} · {Units.Grams(f.Co2eGrams.Mid)} CO2e · {f.Rating}{(f.Images > 1 ? $" · {f.Images} images" : "")}";
            return new CodeLens(range, new Command(title, ExecuteCommandHandler.ShowFootprint, new JArray(snapshot!.Uri, pa.Entry.Index)));
        }).ToList();
    }
}
