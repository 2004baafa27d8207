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
        return Core.Features.Outline.FootprintLabels(analysis).Select(l =>
        {
            var start = doc.Lines.GetPosition(l.PromptSpan.Start);
            var range = new Protocol.Range(Convert.ToPosition(start), Convert.ToPosition(start));
            var lenses = new List<CodeLens> { new(range, new Command(l.LensLabel, ExecuteCommandHandler.ShowFootprint, new JArray(snapshot!.Uri, l.PromptIndex))) };
            if (!l.Estimated) return lenses; // a hosted service: nothing to generate here
            lenses.Add(new(range, new Command($"▶ Generate (≈ {Units.Wh(l.EnergyWh)})", Generation.GenerationHandler.Generate, new JArray(snapshot.Uri, l.PromptIndex))));
            // A provider's forecast says waiting saves at least 5 %: the time (the server's local time) and the saving.
            if (l.Greener is { } w)
                lenses.Add(new(range, new Command($"🌱 Greener at {w.Start.ToLocalTime():HH:mm}: −{w.Saving * 100:0} % CO2e", Generation.GenerationHandler.GenerateAtCleanest, new JArray(snapshot.Uri, l.PromptIndex))));
            if (path != null && analysis.Prompts.FirstOrDefault(p => p.Entry.Index == l.PromptIndex) is { } pa && Server.Generation?.LatestImage(path, pa) is { } image)
                lenses.Add(new(range, new Command("🖼 Open image", Generation.GenerationHandler.OpenImage, new JArray(snapshot.Uri, image))));
            return lenses;
        }).SelectMany(x => x).ToList();
    }
}
