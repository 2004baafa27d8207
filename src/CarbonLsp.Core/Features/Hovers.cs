using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Features;

/// <summary>A hover: markdown and the span it is about, in document coordinates.</summary>
public sealed record HoverResult(string Markdown, TextSpan Span);

/// <summary>
/// The hover at an offset, as plain data (the editor-feature layer: handlers only map it to protocol
/// types). Anywhere in a prompt: its footprint; on one of its fields: a focused answer; on a top-level
/// setting: what it means for the file; on a model in "defaults": the model's card.
/// </summary>
public static class Hovers
{
    /// <summary>The whole footprint of one prompt (the "show footprint" command).</summary>
    public static string Footprint(DocumentAnalysis analysis, PromptAnalysis prompt, ModelCatalog catalog) => HoverContent.ForPrompt(analysis, prompt, catalog);

    public static HoverResult? At(DocumentAnalysis analysis, int offset, ModelCatalog catalog)
    {
        var doc = analysis.Document;
        if (analysis.PromptAt(offset) is { } prompt)
        {
            var local = prompt.Entry.ToNode(offset); // a prompt's nodes are in their own coordinates
            var field = prompt.Entry.Node.Properties.FirstOrDefault(x => x.Span.Contains(local));
            var focused = field == null ? null : HoverContent.ForField(field.Name, analysis, prompt, catalog);
            return focused != null
                ? new HoverResult(focused, prompt.Entry.ToDocument(field!.Span))
                : new HoverResult(HoverContent.ForPrompt(analysis, prompt, catalog), prompt.Entry.Span);
        }
        if (doc.RootObject?.Properties.FirstOrDefault(x => x.Span.Contains(offset) && x.Name != FieldNames.Prompts) is not { } top) return null;
        if (top.Name == FieldNames.Defaults && top.Value is JsonObject defaults && defaults.Properties.FirstOrDefault(x => x.Span.Contains(offset)) is { } d
            && d.Name == FieldNames.Model && d.Value is JsonString modelName && catalog.FindModel(modelName.Value) is { } model)
            return new HoverResult(HoverContent.ModelCard(model, true, catalog, analysis.Device, null), d.Span);
        return new HoverResult(HoverContent.ForTopLevel(top.Name, analysis, catalog), top.Span);
    }
}
