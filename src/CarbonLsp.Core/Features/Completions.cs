using System.Globalization;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Schema;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Features;

/// <summary>What a completion item is: a field name, a free value (a model), one of a fixed set, or a number.</summary>
public enum CompletionKind { Field, Value, EnumMember, Number }

/// <summary>One completion, ready to insert: <see cref="InsertText"/> replaces <see cref="Replace"/> (document coordinates).</summary>
public sealed record CompletionEntry(string Label, CompletionKind Kind, string? Detail, string? SortText, string? InsertText, TextSpan? Replace, string? Documentation);

/// <summary>
/// Completion at an offset, as plain data (the editor-feature layer): values valid for the field under
/// the cursor — models ranked by their energy per image on the file's device, schedulers, precisions
/// with their cost, devices, regions by intensity, sizes for the model, its recommended steps — and,
/// where a key goes, the fields the object may hold and does not hold yet.
/// </summary>
public static class Completions
{
    public static IReadOnlyList<CompletionEntry> At(DocumentAnalysis analysis, int offset, FootprintEstimator estimator)
    {
        var doc = analysis.Document;
        var catalog = estimator.Catalog;
        // Inside a prompt, walk its own nodes in its own coordinates (they may come from an earlier version).
        var entry = doc.PromptAt(offset);
        var shift = entry?.Offset ?? 0;
        var (owner, property) = entry != null ? Locate(entry.Node, offset - shift) : Locate(doc.Root, offset);
        if (owner == null) return Array.Empty<CompletionEntry>();
        var inPrompt = entry != null ? ReferenceEquals(owner, entry.Node) : owner.Parent is JsonArray arr && ReferenceEquals(arr, doc.PromptsArray);
        var inDefaults = ReferenceEquals(owner, doc.Defaults);
        var topLevel = ReferenceEquals(owner, doc.RootObject);

        if (property == null)
        {
            var names = topLevel ? FieldNames.TopLevel : inPrompt ? FieldNames.PromptFields : inDefaults ? FieldNames.DefaultableFields : Array.Empty<string>();
            var present = owner.Properties.Select(x => x.Name).ToHashSet();
            return names.Where(n => !present.Contains(n)).Select(n =>
            {
                var schema = topLevel ? PromptSchema.TopLevelField(n) : PromptSchema.PromptField(n);
                return new CompletionEntry(n, CompletionKind.Field, schema?.Title, null, null, null, schema?.Description);
            }).ToList();
        }

        // A value is being written: replace the one there (strings and numbers), else insert at the cursor.
        var replace = property.Value is JsonString or JsonNumber ? property.Value.Span.Shifted(shift) : new TextSpan(offset, offset);
        var quoted = property.Value is JsonString || property.Value == null || property.Value is JsonInvalid;
        CompletionEntry Item(string label, string? detail, string sort, CompletionKind kind = CompletionKind.Value, string? documentation = null) =>
            new(label, kind, detail, sort, quoted && kind != CompletionKind.Number ? JsonEdits.Literal(label) : label, replace, documentation);

        var prompt = inPrompt ? analysis.Prompts.FirstOrDefault(x => ReferenceEquals(x.Entry.Node, owner)) : null;
        var items = new List<CompletionEntry>();
        switch (property.Name)
        {
            case FieldNames.Model when inPrompt || inDefaults:
                var device = analysis.Device;
                var ranked = catalog.Models.Select(m => (m, wh: estimator.Estimate(new EstimateRequest(m, device, m.RecommendedSteps, m.NativeWidth, m.NativeHeight, m.DefaultGuidance, Precision.Fp16), analysis.Region.GramsPerKWh, analysis.Pue).WhPerImage))
                    .OrderBy(x => x.wh).ToList();
                for (var i = 0; i < ranked.Count; i++)
                {
                    var (m, wh) = ranked[i];
                    var detail = $"≈ {Units.Wh(wh)}/image on {device.Id} at {m.RecommendedSteps} steps, {m.NativeWidth}²";
                    items.Add(Item(m.Id, detail, i.ToString("D3", CultureInfo.InvariantCulture), CompletionKind.Value, $"{m.Name} — {Units.Number(m.ParamsB)} B parameters"));
                    foreach (var alias in m.Aliases.Where(a => a != m.Id && a.Contains('/')))
                        items.Add(Item(alias, detail, i.ToString("D3", CultureInfo.InvariantCulture) + "b"));
                }
                break;
            case FieldNames.Scheduler:
                items.AddRange(FieldNames.Schedulers.Select((s, i) => Item(s, s == prompt?.EstimateModel.DefaultScheduler ? "the model's default" : null, i.ToString("D2"), CompletionKind.EnumMember)));
                break;
            case FieldNames.Precision:
                items.AddRange(Enum.GetValues<Precision>().Select((p, i) => Item(p.Name(),
                    p == Precision.Fp32 ? $"{Units.Number(analysis.Device.Fp32Slowdown)}x the compute time of fp16 on {analysis.Device.Name}"
                    : catalog.Estimator.Precisions.TryGetValue(p, out var spec) ? $"{spec.Name}: compute time x{Units.Number(spec.TimeFactor)}" : null,
                    i.ToString("D2"), CompletionKind.EnumMember)));
                break;
            case FieldNames.Device when topLevel:
                items.AddRange(catalog.Devices.Where(d => !d.Generic).Select((d, i) => Item(d.Id, $"{d.Name}, {Units.Number(d.TdpW)} W", i.ToString("D2"), CompletionKind.EnumMember)));
                break;
            case FieldNames.Region when topLevel:
                items.AddRange(catalog.Regions.OrderBy(r => r.GramsPerKWh).Select((r, i) => Item(r.Code, $"{r.Name}: {Units.Number(r.GramsPerKWh)} g CO2e/kWh ({r.Year})", i.ToString("D3"), CompletionKind.EnumMember)));
                break;
            case FieldNames.Width or FieldNames.Height when inPrompt || inDefaults:
                var model = prompt?.EstimateModel ?? catalog.DefaultModel;
                var native = property.Name == FieldNames.Width ? model.NativeWidth : model.NativeHeight;
                var sizes = new[] { native, native * 3 / 4 / 64 * 64, native / 2, native * 4 / 3 / 64 * 64 }.Where(v => v >= 64).Distinct();
                items.AddRange(sizes.Select((v, i) => Item(v.ToString(CultureInfo.InvariantCulture), v == native ? $"native for {model.Name}" : null, i.ToString("D2"), CompletionKind.Number)));
                break;
            case FieldNames.Steps when prompt != null:
                var m2 = prompt.EstimateModel;
                items.Add(Item(m2.RecommendedSteps.ToString(CultureInfo.InvariantCulture), $"recommended for {m2.Name}", "00", CompletionKind.Number));
                break;
        }
        return items;
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
