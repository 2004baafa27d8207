using CarbonLsp.Core.Estimation;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/inlayHint: the footprint at the end of each prompt object, only inside the requested range.</summary>
internal sealed class InlayHintHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.InlayHint, UseSingleObjectParameterDeserialization = true)]
    public async Task<IReadOnlyList<InlayHint>> InlayHint(RangeParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || p!.Range == null || !Server.Analysis.Settings.InlayHints) return Array.Empty<InlayHint>();
        var doc = analysis.Document;
        var from = doc.Lines.GetOffset(Convert.FromPosition(p.Range.Start));
        var to = doc.Lines.GetOffset(Convert.FromPosition(p.Range.End));
        var hints = new List<InlayHint>();
        foreach (var pa in analysis.Prompts)
        {
            var end = pa.Entry.Span.End;
            if (end < from || end > to) continue;
            var f = pa.Footprint;
            hints.Add(new InlayHint
            {
                Position = Convert.ToPosition(doc.Lines.GetPosition(end)),
                Label = $"⚡ {Units.Wh(f.EnergyWh.Mid)} · {Units.Grams(f.Co2eGrams.Mid)} CO2e · {f.Rating}",
                Tooltip = new MarkupContent("markdown", $"{Units.Wh(f.EnergyWh.Low)} – {Units.Wh(f.EnergyWh.High)}; {f.Basis}. Hover the prompt for the breakdown."),
            });
        }
        return hints;
    }
}
