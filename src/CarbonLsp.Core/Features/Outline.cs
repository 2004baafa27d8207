using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Features;

/// <summary>A footprint label at a point of the text (inlay hint, code lens), in document coordinates.</summary>
public sealed record FootprintLabel(int PromptIndex, int Offset, TextSpan PromptSpan, string Label, string Tooltip, bool Estimated, int Images, double EnergyWh)
{
    /// <summary>When waiting for a cleaner grid saves at least 5 % (a provider's forecast): the window.</summary>
    public Grid.CleanWindow? Greener { get; init; }

    /// <summary>The label with the image count, for a code lens above the prompt.</summary>
    public string LensLabel => Images > 1 && Estimated ? $"{Label} · {Images} images" : Label;
}

/// <summary>A prompt in the outline.</summary>
public sealed record OutlineItem(string Name, string Detail, TextSpan Span, TextSpan SelectionSpan);

/// <summary>The per-prompt features that only present the analysis: footprint labels for inlay hints and
/// code lenses, and the outline. Plain data; handlers map it.</summary>
public static class Outline
{
    /// <summary>One label per prompt whose end lies in [from, to] (a hint sits after the prompt's object).</summary>
    public static IReadOnlyList<FootprintLabel> FootprintLabels(DocumentAnalysis analysis, int from = 0, int to = int.MaxValue)
    {
        var labels = new List<FootprintLabel>();
        foreach (var p in analysis.Prompts)
        {
            var end = p.Entry.Span.End;
            if (end < from || end > to) continue;
            var f = p.Footprint;
            var label = p.Estimated
                ? $"⚡ {Units.Wh(f.EnergyWh.Mid)} · {Units.Grams(f.Co2eGrams.Mid)} CO2e · {f.Rating}"
                : $"⚡ not estimated ({p.Hosted!.Name} runs on {p.Hosted.Provider}'s servers)";
            var tooltip = p.Estimated ? $"{Units.Wh(f.EnergyWh.Low)} – {Units.Wh(f.EnergyWh.High)}; {f.Basis.Name()}. Hover the prompt for the breakdown." : f.BasisDetail;
            labels.Add(new FootprintLabel(p.Entry.Index, end, p.Entry.Span, label, tooltip, p.Estimated, f.Images, f.EnergyWh.Mid) { Greener = analysis.GreenerWindow(p) });
        }
        return labels;
    }

    public static IReadOnlyList<OutlineItem> Items(DocumentAnalysis analysis) =>
        analysis.Prompts.Select(p => new OutlineItem(p.Entry.DisplayName,
            p.Estimated ? $"{p.Settings.ModelName.Value} · {Units.Wh(p.Footprint.EnergyWh.Mid)}" : $"{p.Settings.ModelName.Value} · not estimated",
            p.Entry.Span, p.Entry.AnchorSpan)).ToList();
}
