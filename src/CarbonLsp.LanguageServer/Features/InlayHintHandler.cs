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
        var hints = Core.Features.Outline.FootprintLabels(analysis, from, to).Select(l => new InlayHint
        {
            Position = Convert.ToPosition(doc.Lines.GetPosition(l.Offset)),
            Label = l.Label,
            Tooltip = new MarkupContent("markdown", l.Tooltip),
        }).ToList();
        return hints;
    }
}
