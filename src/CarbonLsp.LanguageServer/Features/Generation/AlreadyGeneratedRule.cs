using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;

namespace CarbonLsp.LanguageServer.Features.Generation;

/// <summary>CL201: this prompt's exact first image (same model files, settings and seed) is already on
/// disk, by the workspace's run ledger. An ordinary prompt rule, injected by the server through the
/// analysis options for the files of one folder (the core knows nothing of ledgers): its finding is
/// published, reused across edits and switched off like any other, and its fixes are commands.</summary>
/// <remarks>It reads the ledger's in-memory index, not the disk, per prompt analysed: on an edit that is
/// one prompt. When the server's own runs change the ledger, the analysis is redone for every file
/// (<see cref="Hosting.LanguageServer.OnCalibrationChanged"/>).</remarks>
internal sealed class AlreadyGeneratedRule(Func<PromptAnalysis, string?> existingImage) : IPromptRule
{
    public string Code => FindingCodes.AlreadyGenerated;

    public Finding? Check(PromptContext c)
    {
        if (!c.Analysis.Estimated || existingImage(c.Analysis) is not { } image) return null;
        var spend = Units.Wh(c.Footprint.EnergyWh.Mid);
        var index = c.Entry.Index;
        return new Finding(Code, Severity.Hint,
            $"Already generated: {Path.GetFileName(image)} is this exact image (same model files, settings and seed). Reuse it instead of spending ≈ {spend} again.",
            c.Entry.AnchorSpan)
        {
            PromptIndex = index,
            Fixes = new[]
            {
                new Fix($"Reuse the existing image {Path.GetFileName(image)} (no new energy)", Array.Empty<TextEdit>(), true)
                    { Command = new FixCommand("Open image", GenerationHandler.OpenImage, new object?[] { image }) },
                new Fix($"Generate again anyway (≈ {spend})", Array.Empty<TextEdit>())
                    { Command = new FixCommand("Generate", GenerationHandler.Generate, new object?[] { index, true }) },
            },
        };
    }
}
