using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;

namespace CarbonLsp.Core.Rules;

/// <summary>A heavy model where a lighter one of comparable quality (the catalog's
/// "lighterAlternatives", each with its source) does the job. The fix swaps the model and adapts
/// steps, guidance and size to the new model's recommendations.</summary>
public sealed class LighterModelRule : IPromptRule
{
    public string Code => FindingCodes.LighterModel;

    public static IEnumerable<Alternative> Alternatives(PromptContext c, IEnumerable<ModelSpec> candidates)
    {
        foreach (var alt in candidates) yield return Alternative(c, alt);
    }

    /// <summary>The prompt made with <paramref name="alt"/> at its recommended settings, priced.</summary>
    public static Alternative Alternative(PromptContext c, ModelSpec alt)
    {
        var (w, h) = SizeFor(alt, c.Settings.Width.Value, c.Settings.Height.Value);
        var f = c.EstimateWith(alt, alt.RecommendedSteps, w, h, alt.DefaultGuidance);
        var saving = c.Footprint.EnergyWh.Mid > 0 ? 1 - f.EnergyWh.Mid / c.Footprint.EnergyWh.Mid : 0;
        return new Alternative(alt, alt.RecommendedSteps, w, h, alt.DefaultGuidance, f, saving);
    }

    /// <summary>The size for the prompt on <paramref name="model"/>: the prompt's own when the model makes it
    /// natively, else the largest that keeps the aspect ratio within the model's native pixel count (never
    /// more pixels than the prompt asked for), in multiples of 64 (8 for models native below 512). The
    /// aspect ratio is kept exactly when such a size is within 3/4 of that area; otherwise the closest
    /// ratio (1024×512 on a 512² model: 640×320, not 704×320).</summary>
    public static (int Width, int Height) SizeFor(ModelSpec model, int width, int height)
    {
        width = Math.Max(1, width);
        height = Math.Max(1, height);
        var step = Math.Min(model.NativeWidth, model.NativeHeight) >= 512 ? 64 : 8;
        var limit = Math.Min((double)model.NativePixels, (double)width * height);
        if (width % step == 0 && height % step == 0 && (double)width * height <= limit) return (width, height);
        var aspect = (double)width / height;
        (int W, int H) best = (step, step);
        var bestScore = double.MaxValue;
        // Sizes near the largest area only: from half the height that fills the limit to that height.
        var top = (int)Math.Floor(Math.Sqrt(limit / aspect) / step) * step;
        for (var h = Math.Max(step, top / 2 / step * step); h <= Math.Max(step, top); h += step)
        {
            var w = Math.Max(step, (int)Math.Round(h * aspect / step) * step);
            if ((double)w * h > limit) w -= step;
            if (w < step) continue;
            var area = (double)w * h;
            var error = Math.Abs(Math.Log((double)w / h / aspect));
            // An exact ratio keeping at least 3/4 of the area wins (the larger the better); otherwise a
            // trade of ratio error (1 % ≈ a tenth of the area) against area lost.
            var score = error < 1e-9 && area >= 0.75 * limit ? -area / limit : error * 10 + (1 - area / limit);
            if (score < bestScore) { bestScore = score; best = (w, h); }
        }
        return best;
    }

    /// <summary>The fix that switches a prompt to <paramref name="alt"/>: the model, and each of steps,
    /// guidance and size that the file sets (in the prompt or its defaults), so nothing inherited stays
    /// tuned for the old model.</summary>
    public static Fix SwitchFix(PromptContext c, Alternative alt, bool preferred)
    {
        var s = c.Settings;
        var values = new List<(string, object?)> { (FieldNames.Model, alt.Model.Id) };
        if (s.Steps.IsWritten) values.Add((FieldNames.Steps, alt.Steps));
        if (s.Guidance.IsWritten || alt.Guidance != c.Model.DefaultGuidance) values.Add((FieldNames.Guidance, alt.Guidance));
        if (s.Width.IsWritten || s.Height.IsWritten || alt.Width != alt.Model.NativeWidth || alt.Height != alt.Model.NativeHeight)
        {
            values.Add((FieldNames.Width, alt.Width));
            values.Add((FieldNames.Height, alt.Height));
        }
        if (s.Scheduler.IsWritten && s.Scheduler.Value != alt.Model.DefaultScheduler) values.Add((FieldNames.Scheduler, alt.Model.DefaultScheduler));
        // Say what changes besides the model: the size (never quietly) and the steps.
        var size = alt.Width != s.Width.Value || alt.Height != s.Height.Value ? $" at {alt.Width}×{alt.Height} (was {s.Width.Value}×{s.Height.Value})" : "";
        return c.SetFields($"Switch to {alt.Model.Id}{size}, {Units.Count(alt.Steps, "step")} ({c.Saving(alt.Footprint)})", preferred, values.ToArray());
    }

    public Finding? Check(PromptContext c)
    {
        if (!c.Analysis.ModelKnown || c.Model.LighterAlternatives.Count == 0) return null;
        var catalog = c.Estimator.Catalog;
        List<Alternative>? good = null;
        foreach (var id in c.Model.LighterAlternatives)
        {
            if (catalog.FindModelById(id) is not { } alt) continue;
            var a = Alternative(c, alt);
            if (a.SavingFraction >= c.Rules.LighterModelMinSaving) (good ??= new List<Alternative>(2)).Add(a);
        }
        return good == null ? null : Report(c, good);
    }

    // Separate from Check so that the closure below is only allocated for prompts with a finding.
    private Finding Report(PromptContext c, List<Alternative> good)
    {
        good.Sort((x, y) => y.SavingFraction.CompareTo(x.SavingFraction));
        var best = good[0];
        c.Analysis.SetLightest(best);
        return new Finding(Code, Severity.Information,
            $"{best.Model.Name} gives comparable images to {c.Model.Name} here: at {Units.Count(best.Steps, "step")}, {best.Width}×{best.Height}, it {c.Saving(best.Footprint)}.",
            c.SpanOf(c.Settings.ModelName))
        {
            FixesFor = at => good.Select((a, i) => SwitchFix(at, a, i == 0)).ToArray(),
            Related = c.InheritedFrom(c.Settings.ModelName, FieldNames.Model),
            PromptIndex = c.Entry.Index,
            SavingWh = c.Footprint.EnergyWh.Mid - best.Footprint.EnergyWh.Mid,
        };
    }
}
