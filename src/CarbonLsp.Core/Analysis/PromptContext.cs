using System.Globalization;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Analysis;

/// <summary>What a prompt rule sees, with helpers to price a change and to build the fix for it.</summary>
public sealed class PromptContext
{
    /// <summary>The document the prompt is in: fixes are built on its text. A prompt kept from an earlier
    /// version gets a new context with the new document, so no analysis keeps an old text alive.</summary>
    public required PromptDocument Document { get; init; }
    public required PromptAnalysis Analysis { get; init; }
    public required DeviceSpec Device { get; init; }
    public required double Intensity { get; init; }
    public required double Pue { get; init; }
    public required AnalysisOptions Options { get; init; }
    public required FootprintEstimator Estimator { get; init; }

    public PromptEntry Entry => Analysis.Entry;
    public EffectiveSettings Settings => Analysis.Settings;
    public ModelSpec Model => Analysis.EstimateModel;
    public Footprint Footprint => Analysis.Footprint;
    public RuleSettings Rules => Options.Rules;

    public Footprint EstimateWith(ModelSpec? model = null, int? steps = null, int? width = null, int? height = null, double? guidance = null, int? images = null,
        int? batch = null, Precision? precision = null) =>
        Estimator.Estimate(Request(model, steps, width, height, guidance, images, batch, precision), Intensity, Pue);

    /// <summary>This prompt's estimate request, with any setting changed (another model is the model
    /// itself, never a stand-in).</summary>
    public EstimateRequest Request(ModelSpec? model = null, int? steps = null, int? width = null, int? height = null, double? guidance = null, int? images = null,
        int? batch = null, Precision? precision = null)
    {
        var n = images ?? Settings.Images.Value;
        return new EstimateRequest(model ?? Model, Device, steps ?? Settings.Steps.Value, width ?? Settings.Width.Value,
            height ?? Settings.Height.Value, guidance ?? Settings.Guidance.Value, precision ?? Settings.Precision.Value, n,
            Math.Min(batch ?? Settings.Batch.Value, n), model == null ? Analysis.StandIn : StandInKind.None);
    }

    /// <summary>Where a finding about a setting goes: the prompt's own property when it writes one,
    /// else the prompt's text (the value is inherited).</summary>
    public TextSpan SpanOf<T>(Setting<T> setting) =>
        setting.Origin == SettingOrigin.Prompt && setting.Property != null ? Entry.ToDocument(setting.Property.Span) : Entry.AnchorSpan;

    /// <summary>The span of a setting's value in the document, when the file writes it.</summary>
    public TextSpan? ValueSpanOf<T>(Setting<T> setting) => setting.Property?.Value is { } value ? Absolute(setting, value.Span) : null;

    /// <summary>A span of a setting's node in the document's coordinates: the prompt's nodes are in their
    /// own; "defaults" is not a prompt, its nodes are in the document's.</summary>
    private TextSpan Absolute<T>(Setting<T> setting, TextSpan nodeSpan) => setting.Origin == SettingOrigin.Prompt ? Entry.ToDocument(nodeSpan) : nodeSpan;

    public IReadOnlyList<RelatedLocation> InheritedFrom<T>(Setting<T> setting, string name) =>
        setting.Origin == SettingOrigin.Defaults && setting.Property != null
            ? new[] { new RelatedLocation(Absolute(setting, setting.Property.Span), $"\"{name}\" is inherited from \"defaults\" here") }
            : Array.Empty<RelatedLocation>();

    /// <summary>A fix that writes values into this prompt's object: replaced where the prompt has the
    /// property, inserted otherwise (which overrides "defaults" for this prompt only).</summary>
    public Fix SetFields(string title, bool preferred, params (string Name, object? Value)[] values) =>
        new(title, JsonEdits.SetProperties(Document.Source, Entry, values), preferred);

    /// <summary>"saves ≈ 0.12 Wh and 0.05 g CO2e (−67%)", for messages.</summary>
    public string Saving(Footprint after)
    {
        var wh = Footprint.EnergyWh.Mid - after.EnergyWh.Mid;
        var g = Footprint.Co2eGrams.Mid - after.Co2eGrams.Mid;
        var pct = Footprint.EnergyWh.Mid > 0 ? wh / Footprint.EnergyWh.Mid : 0;
        return $"saves ≈ {Units.Wh(wh)} and {Units.Grams(g)} CO2e (−{(pct * 100).ToString("0", CultureInfo.InvariantCulture)}%)";
    }
}
