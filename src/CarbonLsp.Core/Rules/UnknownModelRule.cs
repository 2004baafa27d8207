using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.Core.Rules;

/// <summary>CL004: a model name the catalog does not know: priced as its family's stand-in (or a labelled
/// guess), with did-you-mean fixes.</summary>
public sealed class UnknownModelRule : IPromptRule
{
    public string Code => FindingCodes.UnknownModel;

    public Finding? Check(PromptContext c)
    {
        if (c.Analysis.ModelKnown || c.Analysis.Hosted != null) return null;
        var match = c.Estimator.Catalog.ModelResolver.Resolve(c.Settings.ModelName.Value);
        var name = c.Settings.ModelName.Value;
        var looksLikePath = ModelResolver.LooksLikePath(name);
        var suggestions = match.Suggestions;
        var width = (int)Math.Round(c.Estimator.RangeWidth(c.Request(), out _, out _) * 100);
        var didYouMean = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions.Select(s => $"\"{s}\""))}?" : "";
        var withheld = looksLikePath ? c.Options.ModelFolderWithheld?.Invoke(name) : null;
        var message = withheld != null
            ? $"CarbonLsp did not read the model folder \"{name}\": {withheld}. If you trust it, add it to the carbonlsp.trustedModelFolders setting " +
              $"(in your user settings); it is then priced from its own configs. Until then it is priced as a stand-in ({c.Model.Name}) with a ±{width}% range."
            : looksLikePath
            ? $"No diffusers ONNX model folder at \"{name}\" (it needs model_index.json). Priced as a stand-in ({c.Model.Name}) with a ±{width}% range."
            : match.Kind == ModelMatchKind.Family
                ? $"\"{name}\" is not in the catalog; its name says {FamilyName(c.Model)}, so it is priced as {c.Model.Name}, a first-principles stand-in with a ±{width}% range.{didYouMean}"
                : $"\"{name}\" is not in the catalog and its name names no family: priced as a stand-in ({c.Model.Name}) with a ±{width}% range; the true cost may be far off.{didYouMean}";
        return new Finding(FindingCodes.UnknownModel, Severity.Warning, message, c.SpanOf(c.Settings.ModelName))
        {
            FixesFor = at => suggestions.Select((s, i) => at.SetFields($"Use \"{s}\"", i == 0, (FieldNames.Model, s))).ToArray(),
            PromptIndex = c.Entry.Index,
        };
    }

    private static string FamilyName(ModelSpec m) => m.Family switch
    {
        "flux" => "FLUX.1", "stable-diffusion-xl" => "Stable Diffusion XL", "stable-diffusion-3" => "Stable Diffusion 3",
        "stable-diffusion-1" => "Stable Diffusion 1.x", "stable-diffusion-2" => "Stable Diffusion 2.x",
        "pixart" => "PixArt", "kandinsky" => "Kandinsky", "sana" => "SANA", "hunyuan" => "Hunyuan-DiT", _ => m.Family,
    };

}
