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
        var path = System.Uri.TryCreate(snapshot!.Uri, UriKind.Absolute, out var u) && u.IsFile ? u.LocalPath : null;
        return analysis.Prompts.Select(pa =>
        {
            var f = pa.Footprint;
            var start = doc.Lines.GetPosition(pa.Entry.Span.Start);
            var range = new Protocol.Range(Convert.ToPosition(start), Convert.ToPosition(start));
            var title = $"⚡ {Units.Wh(f.EnergyWh.Mid)} · {Units.Grams(f.Co2eGrams.Mid)} CO2e · {f.Rating}{(f.Images > 1 ? $" · {f.Images} images" : "")}";
            var lenses = new List<CodeLens>
            {
                new(range, new Command(title, ExecuteCommandHandler.ShowFootprint, new JArray(snapshot!.Uri, pa.Entry.Index))),
                new(range, new Command($"▶ Generate (≈ {Units.Wh(f.EnergyWh.Mid)})", Generation.GenerationHandler.Generate, new JArray(snapshot.Uri, pa.Entry.Index))),
            };
            if (path != null && Server.Generation?.LatestImage(path, pa) is { } image)
                lenses.Add(new(range, new Command("🖼 Open image", Generation.GenerationHandler.OpenImage, new JArray(snapshot.Uri, image))));
            return lenses;
        }).SelectMany(x => x).ToList();
    }
}
