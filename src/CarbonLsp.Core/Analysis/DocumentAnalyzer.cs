using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Json;
using CarbonLsp.Core.Rules;
using CarbonLsp.Core.Schema;
using CarbonLsp.Core.Text;

namespace CarbonLsp.Core.Analysis;

/// <summary>
/// Text → document → analysis. Runs the schema check, resolves each prompt's settings, estimates its
/// footprint and applies the advice rules, then the file-wide rules (duplicates, budget). Pure and
/// thread-safe; checks the cancellation token between prompts; a failure inside one prompt becomes
/// one CL003 finding, never an exception.
/// </summary>
public sealed class DocumentAnalyzer
{
    private readonly ModelCatalog _catalog;
    private readonly FootprintEstimator _estimator;

    public DocumentAnalyzer(ModelCatalog? catalog = null, FootprintEstimator? estimator = null)
    {
        _catalog = catalog ?? ModelCatalog.Default;
        _estimator = estimator ?? new FootprintEstimator(_catalog);
    }

    public ModelCatalog Catalog => _catalog;
    public FootprintEstimator Estimator => _estimator;

    public DocumentAnalysis Analyze(string text, AnalysisOptions? options = null, CancellationToken cancellationToken = default) =>
        Analyze(PromptDocument.Parse(text), options, cancellationToken);

    /// <summary>Analyses a document. Given the analysis of the version it was updated from
    /// (<see cref="PromptDocument.Update"/>) under the same options, every prompt the edit did not touch
    /// keeps its settings, estimate and findings: the findings' spans are taken through the edit and their
    /// fixes are bound to the prompt in the new text, so an edit costs one prompt whatever the file's
    /// findings. The result is the same as a full analysis either way (tested, fixes included).</summary>
    public DocumentAnalysis Analyze(PromptDocument document, AnalysisOptions? options = null, CancellationToken cancellationToken = default,
        DocumentAnalysis? previous = null)
    {
        options ??= AnalysisOptions.Default;
        var given = options;
        var findings = new List<Finding>();
        foreach (var e in document.SyntaxErrors)
            findings.Add(new Finding(FindingCodes.Syntax, Severity.Error, e.Message, e.Span));
        if (document.Root != null && document.RootObject == null)
            findings.Add(new Finding(FindingCodes.Schema, Severity.Error, "A prompt file is a JSON object with a \"prompts\" array.", document.Root.Span));
        else if (document.Root != null)
            CompiledSchema.Root.Validate(document.Root, "value", findings, document.PromptsArray); // the prompts: one by one below

        var (deviceChoice, region, pue, zone) = ResolveEnvironment(document, options, findings);
        var device = deviceChoice.Device;
        var intensity = options.GridIntensity?.Invoke(zone) is { GramsPerKWh: > 0 and < 5000 } live ? live
            : new Grid.IntensityChoice(region.GramsPerKWh, Grid.IntensityKind.AnnualAverage, $"{region.Year} annual average, {region.Source}", null);
        // An incremental edit changes one prompt and nothing outside the prompts (PromptDocument.Update),
        // so under the same options and environment every other prompt's analysis still holds.
        var reusable = previous != null && document.Edit is { } edit && edit.BaseId == previous.Document.Id && ReferenceEquals(previous.Options, given)
                       && previous.Device == device && previous.Region == region && previous.Pue.Equals(pue) && previous.Intensity == intensity ? previous : null;
        // The host's resolver may read model folders from disk: ask it once per distinct name, not per prompt.
        if (options.ResolveModel is { } resolve)
        {
            var seen = new Dictionary<string, ModelSpec?>(StringComparer.Ordinal);
            options = options with { ResolveModel = name => seen.TryGetValue(name, out var m) ? m : seen[name] = resolve(name) };
        }
        Func<string, ModelSpec?> findModel = name => FindModel(name, options);
        var scope = new AnalysisScope(document, device, intensity.GramsPerKWh, pue, options, _estimator);
        var byIndex = new PromptAnalysis[document.Prompts.Count]; // a prompt that fails to analyse stays null (counted in failed)
        var failed = 0;
        for (var i = 0; i < document.Prompts.Count; i++)
        {
            if ((i & 255) == 255) cancellationToken.ThrowIfCancellationRequested();
            var entry = document.Prompts[i];
            if (reusable != null && i != document.Edit!.PromptIndex && reusable.PromptsByIndex[i] is { } before)
            {
                var again = before.MovedBy(entry, document.Edit.Change);
                byIndex[i] = again;
                continue;
            }
            var schema = SchemaFindings(entry);
            try
            {
                var analysis = AnalyzePrompt(document, entry, schema, options, findModel, device, intensity.GramsPerKWh, pue, scope);
                byIndex[i] = analysis;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                findings.AddRange(schema);
                findings.Add(new Finding(FindingCodes.AnalysisFailed, Severity.Error,
                    $"Could not analyse this prompt: {ex.Message}", entry.AnchorSpan) { PromptIndex = entry.Index });
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        // One array serves both views unless a prompt failed (then Prompts leaves it out): a second array of
        // ten thousand references per edit was a tenth of what an edit kept.
        IReadOnlyList<PromptAnalysis> prompts = failed == 0 ? byIndex : byIndex.Where(p => p != null).ToArray();
        var totals = Totals(prompts, options.Overrides.BudgetGrams ?? document.BudgetGrams ?? options.Fallbacks.BudgetGrams);
        var file = new FileContext(document, prompts, totals, options);
        foreach (var rule in options.FileRules ?? BuiltInRules.File)
            if (options.Rules.IsEnabled(rule.Code)) findings.AddRange(rule.Check(file));
        findings.Sort(s_order);
        return new DocumentAnalysis
        {
            Document = document, Prompts = prompts, FileFindings = findings, PromptFindingsInOrder = InOrder(prompts), Totals = totals,
            Device = device, DeviceChoice = deviceChoice, Region = region, Intensity = intensity, GridSignal = options.GridForecast?.Invoke(zone), GridZone = zone,
            Pue = pue, Options = given, PromptsByIndex = byIndex, Scope = scope,
        };
    }

    private static readonly Comparison<Finding> s_order = static (a, b) => Finding.Compare(a, a.Span, b, b.Span);

    /// <summary>Whether the prompts' findings, prompt after prompt, are in text order.</summary>
    private static bool InOrder(IReadOnlyList<PromptAnalysis> prompts)
    {
        Finding? last = null;
        var lastSpan = default(TextSpan);
        foreach (var p in prompts)
            foreach (var f in p.Found)
            {
                var span = p.Placement.Map(f.Span);
                if (last != null && Finding.Compare(last, lastSpan, f, span) > 0) return false;
                (last, lastSpan) = (f, span);
            }
        return true;
    }

    private (DeviceChoice, RegionIntensity, double, string) ResolveEnvironment(PromptDocument document, AnalysisOptions options, List<Finding> findings)
    {
        var choice = ChooseDevice(document, options);
        if (choice.Kind != DeviceMatchKind.Exact) findings.Add(DeviceFinding(document, choice));
        var regionName = options.Overrides.Region ?? document.Region ?? options.Fallbacks.Region ?? _catalog.Defaults.Region;
        var region = _catalog.FindRegion(regionName);
        // A provider's zone (US-CAL-CISO, GB-13): not in the catalog, but the configured grid provider prices it
        // live; its country's annual average (or the world's) stands until it answers, and says so.
        if (region == null && options.GridIntensity != null && regionName.Trim().Length is > 0 and <= 64)
        {
            var (country, _) = _catalog.MeantRegion(regionName);
            region = country ?? _catalog.World;
            if (options.GridIntensity(regionName.Trim()) == null)
            {
                var field = document.TopLevelField(FieldNames.Region);
                var inFile = options.Overrides.Region == null && document.Region != null && field?.Value != null;
                findings.Add(new Finding(FindingCodes.UnknownRegion, Severity.Information,
                    $"\"{regionName}\" is not in the catalog; the grid provider's figure for this zone is used once it answers. Until then: {region.Name}'s annual average ({region.GramsPerKWh} g CO2e/kWh, {region.Year}).",
                    inFile ? field!.Value!.Span : new TextSpan(0, 0)));
            }
            return (choice, region, Pue(document, options, choice), regionName.Trim());
        }
        if (region == null)
        {
            var field = document.TopLevelField(FieldNames.Region);
            var inFile = options.Overrides.Region == null && document.Region != null && field?.Value != null;
            var span = inFile ? field!.Value!.Span : new TextSpan(0, 0);
            var (meant, why) = _catalog.MeantRegion(regionName);
            findings.Add(new Finding(FindingCodes.UnknownRegion, Severity.Warning,
                $"No grid intensity for region \"{regionName}\"{why}; using the world average ({_catalog.World.GramsPerKWh} g CO2e/kWh, {_catalog.World.Year}). " +
                (meant != null ? $"Did you mean \"{meant.Code}\" ({meant.Name}, {meant.GramsPerKWh} g CO2e/kWh)?" : $"Known: {string.Join(", ", _catalog.Regions.Select(r => r.Code))}."), span)
            {
                Fixes = meant != null && inFile ? new[] { new Fix($"Use \"{meant.Code}\" ({meant.Name})", new[] { new TextEdit(span, JsonEdits.Literal(meant.Code)) }, true) } : Array.Empty<Fix>(),
            });
            region = _catalog.World;
        }
        return (choice, region, Pue(document, options, choice), region.Code);
    }

    /// <summary>PUE: what someone said, else the device's usual place: a personal computer has no facility
    /// overhead; a data-centre GPU sits in a data centre (catalog defaults, sourced).</summary>
    private double Pue(PromptDocument document, AnalysisOptions options, DeviceChoice choice)
    {
        var pue = options.Overrides.Pue ?? document.Pue ?? options.Fallbacks.Pue ?? _catalog.Defaults.PueFor(choice.Device);
        if (pue is < 1 or > 3 || double.IsNaN(pue)) pue = _catalog.Defaults.PueFor(choice.Device); // the schema reports the bad value
        return pue;
    }

    /// <summary>The device: a flag, else the file, else the editor setting, else the detected hardware,
    /// else the catalog default. A name the catalog does not know is never priced silently as another
    /// device: it resolves to a named generic class, and a finding says so.</summary>
    private DeviceChoice ChooseDevice(PromptDocument document, AnalysisOptions options)
    {
        var resolver = _catalog.DeviceResolver;
        (string? name, DeviceOrigin origin) = options.Overrides.Device is { } o ? (o, DeviceOrigin.Override)
            : document.Device is { } f ? (f, DeviceOrigin.File)
            : options.Fallbacks.Device is { } s ? (s, DeviceOrigin.Setting)
            : (null, DeviceOrigin.Default);
        if (name != null && !string.IsNullOrWhiteSpace(name))
        {
            var m = resolver.Resolve(name);
            return new DeviceChoice(m.Device, origin, name, m.Kind, m.Suggestions);
        }
        if (options.DetectedDevice is { } detected)
        {
            var hw = resolver.FromHardwareName(detected.Name);
            var device = hw ?? resolver.GenericFor(detected.Name);
            return new DeviceChoice(device, DeviceOrigin.Detected, $"{detected.Name} ({detected.Method})",
                hw != null ? DeviceMatchKind.Hardware : DeviceMatchKind.Generic, Array.Empty<string>());
        }
        return new DeviceChoice(_catalog.DefaultDevice, DeviceOrigin.Default, _catalog.DefaultDevice.Id, DeviceMatchKind.Exact, Array.Empty<string>());
    }

    private Finding DeviceFinding(PromptDocument document, DeviceChoice choice)
    {
        var field = choice.Origin == DeviceOrigin.File ? document.TopLevelField(FieldNames.Device) : null;
        var span = field?.Value?.Span ?? new TextSpan(0, 0);
        var suggestions = choice.Suggestions;
        string message;
        if (choice.Origin == DeviceOrigin.Detected)
            message = choice.Known
                ? $"No device named: the estimates are for the detected {choice.Device.Name} ({choice.Requested}). Name a device with \"device\" to price another."
                : $"The detected device {choice.Requested} is not in the catalog: the estimates use the generic class \"{choice.Device.Name}\" with a wide range. Name your device with \"device\".";
        else if (choice.Kind == DeviceMatchKind.Hardware)
            message = $"\"{choice.Requested}\" is read as {choice.Device.Id} ({choice.Device.Name}); write the catalog id.";
        else
            message = $"\"{choice.Requested}\" is not a device the catalog knows{(suggestions.Count > 0 ? $" — did you mean {string.Join(" or ", suggestions.Select(x => $"\"{x}\""))}?" : ".")} " +
                      $"The estimates use the generic class \"{choice.Device.Name}\" with a wide range, not another device.";
        var severity = choice.Origin == DeviceOrigin.Detected ? Severity.Information : Severity.Warning;
        var fixes = field?.Value == null ? Array.Empty<Fix>()
            : suggestions.Select((id, i) => new Fix($"Use device \"{id}\"", new[] { new TextEdit(field.Value.Span, JsonEdits.Literal(id)) }, i == 0)).ToArray();
        return new Finding(FindingCodes.UnknownDevice, severity, message, span) { Fixes = fixes };
    }

    private ModelSpec? FindModel(string name, AnalysisOptions options) => _catalog.FindModel(name) ?? options.ResolveModel?.Invoke(name);

    /// <summary>The schema's findings about one prompt, in the document's coordinates. Checked into a
    /// per-thread scratch list: nearly every prompt has none, and a list each was 10,000 per keystroke.</summary>
    private static IReadOnlyList<Finding> SchemaFindings(PromptEntry entry)
    {
        var scratch = t_schemaScratch ??= new List<Finding>();
        scratch.Clear();
        CompiledSchema.PromptItem.Validate(entry.Node, FieldNames.Prompts, scratch);
        if (scratch.Count == 0) return Array.Empty<Finding>();
        var found = scratch.ToArray();
        if (entry.Offset != 0)
            for (var i = 0; i < found.Length; i++) found[i] = found[i].Shifted(entry.Offset); // span and fix edits
        scratch.Clear();
        return found;
    }

    [ThreadStatic] private static List<Finding>? t_schemaScratch;

    private PromptAnalysis AnalyzePrompt(PromptDocument document, PromptEntry entry, IReadOnlyList<Finding> schema, AnalysisOptions options, Func<string, ModelSpec?> findModel,
        DeviceSpec device, double intensity, double pue, AnalysisScope scope)
    {
        var settings = EffectiveSettings.Resolve(entry, document.Defaults, _catalog, findModel);
        var known = settings.Model != null;
        var match = known ? null : _catalog.ModelResolver.Resolve(settings.ModelName.Value);
        var model = settings.Model ?? match?.Model ?? _catalog.ModelResolver.UnknownStandIn;
        var standIn = known ? StandInKind.None : match!.Kind == ModelMatchKind.Family ? StandInKind.Family : StandInKind.Unknown;
        var request = new EstimateRequest(model, device, settings.Steps.Value, settings.Width.Value, settings.Height.Value, settings.Guidance.Value,
            settings.Precision.Value, settings.Images.Value, Math.Min(settings.Batch.Value, settings.Images.Value), standIn);
        var footprint = match?.Hosted is { } hosted ? _estimator.NotEstimated(request, intensity, pue, $"{hosted.Name} runs on {hosted.Provider}'s servers: no local estimate")
            : _estimator.Estimate(request, intensity, pue);
        var analysis = new PromptAnalysis(entry, new PromptAnalysis.Facts(settings, model, known, standIn, match?.Hosted, footprint));
        var context = scope.ContextFor(analysis);
        List<Finding>? found = schema.Count > 0 ? new List<Finding>(schema) : null;
        foreach (var rule in options.PromptRules ?? BuiltInRules.Prompt)
            if (options.Rules.IsEnabled(rule.Code) && rule.Check(context) is { } finding)
                (found ??= new List<Finding>(2)).Add(finding); // kept unbound: bound to a version's context when asked for
        if (found != null)
        {
            found.Sort(s_order);
            analysis.SetFound(found.ToArray());
        }
        return analysis;
    }

    private static FileTotals Totals(IReadOnlyList<PromptAnalysis> prompts, double? budget)
    {
        var energy = EnergyRange.Zero;
        var co2 = EnergyRange.Zero;
        var images = 0;
        var notEstimated = 0;
        foreach (var p in prompts)
        {
            if (!p.Estimated) { notEstimated++; continue; }
            energy += p.Footprint.EnergyWh;
            co2 += p.Footprint.Co2eGrams;
            images += p.Footprint.Images;
        }
        return new FileTotals(energy, co2, prompts.Count, images, budget) { NotEstimated = notEstimated };
    }
}
