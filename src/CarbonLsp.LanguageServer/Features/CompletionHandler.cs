using System.Globalization;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Schema;
using CarbonLsp.Core.Text;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/completion: values valid for the field under the cursor (models with their
/// energy per image, schedulers, precisions, devices, regions, sizes for the model) and field names
/// where a key goes.</summary>
internal sealed class CompletionHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.Completion, UseSingleObjectParameterDeserialization = true)]
    public async Task<CompletionList> Completion(TextDocumentPositionParams p, CancellationToken ct)
    {
        var empty = new CompletionList(false, Array.Empty<CompletionItem>());
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || p!.Position == null) return empty;
        var doc = analysis.Document;
        var offset = doc.Lines.GetOffset(Convert.FromPosition(p.Position));
        // Inside a prompt, walk its own nodes in its own coordinates (they may come from an earlier version).
        var entry = doc.PromptAt(offset);
        var shift = entry?.Offset ?? 0;
        var (owner, property) = entry != null ? Locate(entry.Node, offset - shift) : Locate(doc.Root, offset);
        if (owner == null) return empty;
        var catalog = Server.Analysis.Catalog;
        var inPrompt = entry != null ? ReferenceEquals(owner, entry.Node) : owner.Parent is JsonArray arr && ReferenceEquals(arr, doc.PromptsArray);
        var inDefaults = ReferenceEquals(owner, doc.Defaults);
        var topLevel = ReferenceEquals(owner, doc.RootObject);

        if (property == null)
        {
            // A key goes here: the fields this object may hold and does not hold yet.
            var names = topLevel ? FieldNames.TopLevel : inPrompt ? FieldNames.PromptFields : inDefaults ? FieldNames.DefaultableFields : Array.Empty<string>();
            var present = owner.Properties.Select(x => x.Name).ToHashSet();
            var keyItems = names.Where(n => !present.Contains(n)).Select(n => new CompletionItem
            {
                Label = n, Kind = 10, Detail = (topLevel ? PromptSchema.TopLevelField(n) : PromptSchema.PromptField(n))?.Title,
                Documentation = (topLevel ? PromptSchema.TopLevelField(n) : PromptSchema.PromptField(n))?.Description is { } d ? new MarkupContent("markdown", d) : null,
            }).ToList();
            return new CompletionList(false, keyItems);
        }

        var replace = property.Value is JsonString or JsonNumber ? new TextSpan(property.Value.Span.Start + shift, property.Value.Span.End + shift) : new TextSpan(offset, offset);
        var quoted = property.Value is JsonString || property.Value == null || property.Value is JsonInvalid;
        CompletionItem Item(string label, string? detail, string sort, int kind = 12, string? doc2 = null)
        {
            var text = quoted && kind != 21 ? JsonEdits.Literal(label) : label;
            return new CompletionItem
            {
                Label = label, Kind = kind, Detail = detail, SortText = sort, FilterText = text,
                TextEdit = new Protocol.TextEdit(Convert.ToRange(doc, replace), text),
                Documentation = doc2 == null ? null : new MarkupContent("markdown", doc2),
            };
        }

        var prompt = inPrompt ? analysis.Prompts.FirstOrDefault(x => ReferenceEquals(x.Entry.Node, owner)) : null;
        var items = new List<CompletionItem>();
        switch (property.Name)
        {
            case FieldNames.Model when inPrompt || inDefaults:
                var device = analysis.Device;
                var estimator = Server.Analysis.Estimator;
                var ranked = catalog.Models.Select(m => (m, wh: estimator.Estimate(new EstimateRequest(m, device, m.RecommendedSteps, m.NativeWidth, m.NativeHeight, m.DefaultGuidance, "fp16"), analysis.Region.GramsPerKWh, analysis.Pue).WhPerImage))
                    .OrderBy(x => x.wh).ToList();
                for (var i = 0; i < ranked.Count; i++)
                {
                    var (m, wh) = ranked[i];
                    var detail = $"≈ {Units.Wh(wh)}/image on {device.Id} at {m.RecommendedSteps} steps, {m.NativeWidth}²";
                    items.Add(Item(m.Id, detail, i.ToString("D3", CultureInfo.InvariantCulture), 12, $"{m.Name} — {Units.Number(m.ParamsB)} B parameters"));
                    foreach (var alias in m.Aliases.Where(a => a != m.Id && a.Contains('/')))
                        items.Add(Item(alias, detail, i.ToString("D3", CultureInfo.InvariantCulture) + "b"));
                }
                break;
            case FieldNames.Scheduler:
                items.AddRange(FieldNames.Schedulers.Select((s, i) => Item(s, s == prompt?.EstimateModel.DefaultScheduler ? "the model's default" : null, i.ToString("D2"), 20)));
                break;
            case FieldNames.Precision:
                items.AddRange(FieldNames.Precisions.Select((s, i) => Item(s,
                    s == "fp32" ? $"{Units.Number(analysis.Device.Fp32Slowdown)}x the compute time of fp16 on {analysis.Device.Name}"
                    : catalog.Estimator.Precisions.TryGetValue(s, out var spec) ? $"{spec.Name}: compute time x{Units.Number(spec.TimeFactor)}" : null,
                    i.ToString("D2"), 20)));
                break;
            case FieldNames.Device when topLevel:
                items.AddRange(catalog.Devices.Where(d => !d.Generic).Select((d, i) => Item(d.Id, $"{d.Name}, {Units.Number(d.TdpW)} W", i.ToString("D2"), 20)));
                break;
            case FieldNames.Region when topLevel:
                items.AddRange(catalog.Regions.OrderBy(r => r.GramsPerKWh).Select((r, i) => Item(r.Code, $"{r.Name}: {Units.Number(r.GramsPerKWh)} g CO2e/kWh ({r.Year})", i.ToString("D3"), 20)));
                break;
            case FieldNames.Width or FieldNames.Height when inPrompt || inDefaults:
                var model = prompt?.EstimateModel ?? catalog.DefaultModel;
                var native = property.Name == FieldNames.Width ? model.NativeWidth : model.NativeHeight;
                var sizes = new[] { native, native * 3 / 4 / 64 * 64, native / 2, native * 4 / 3 / 64 * 64 }.Where(v => v >= 64).Distinct();
                items.AddRange(sizes.Select((v, i) => Item(v.ToString(CultureInfo.InvariantCulture), v == native ? $"native for {model.Name}" : null, i.ToString("D2"), 21)));
                break;
            case FieldNames.Steps when prompt != null:
                var m2 = prompt.EstimateModel;
                items.Add(Item(m2.RecommendedSteps.ToString(CultureInfo.InvariantCulture), $"recommended for {m2.Name}", "00", 21));
                break;
        }
        return new CompletionList(false, items);
    }

    /// <summary>The innermost object around the offset, and the property whose value is being written (null at a key position).</summary>
    private static (JsonObject? Owner, JsonProperty? Property) Locate(JsonNode? node, int offset)
    {
        JsonObject? owner = null;
        JsonProperty? property = null;
        while (node != null)
        {
            if (node is JsonObject o && offset > o.Span.Start && (offset < o.Span.End || !o.Closed))
            {
                owner = o;
                property = null;
                JsonNode? next = null;
                foreach (var p in o.Properties)
                {
                    if (p.Value != null && p.Value.Span.Contains(offset) && p.Value is JsonObject or JsonArray) { next = p.Value; break; }
                    // After the colon and before the value's end: the value is being written.
                    var valueStart = p.KeySpan.End;
                    var valueEnd = p.Value?.Span.End ?? p.KeySpan.End + 2;
                    if (offset > valueStart && offset <= Math.Max(valueEnd, valueStart + 1) && !p.KeySpan.Contains(offset)) { property = p; break; }
                }
                if (next == null) return (owner, property);
                node = next;
            }
            else if (node is JsonArray a && offset > a.Span.Start)
            {
                node = a.Items.FirstOrDefault(i => i.Span.Start < offset && (offset < i.Span.End || i is JsonObject { Closed: false }));
                if (node == null) return (owner, null);
            }
            else return (owner, property);
        }
        return (owner, property);
    }
}
