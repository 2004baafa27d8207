using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/codeAction. A thin mapper: fixes were computed with the findings, so this
/// filters by range and maps them (quick fixes with their diagnostic attached); adds a refactor that
/// lists lighter models for the prompt under the cursor; and source.fixAll for the whole file.</summary>
internal sealed class CodeActionHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.CodeAction, UseSingleObjectParameterDeserialization = true)]
    public async Task<IReadOnlyList<CodeAction>> CodeAction(CodeActionParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        var analysis = await AnalysisAsync(snapshot, ct).ConfigureAwait(false);
        if (analysis == null || p!.Range == null) return Array.Empty<CodeAction>();
        var doc = analysis.Document;
        var client = Server.Client;
        var start = doc.Lines.GetOffset(Convert.FromPosition(p.Range.Start));
        var end = doc.Lines.GetOffset(Convert.FromPosition(p.Range.End));
        var requested = Core.Text.TextSpan.FromBounds(start, end);
        var only = p.Context?.Only;
        bool Wanted(string kind) => only == null || only.Count == 0 || only.Any(o => kind == o || kind.StartsWith(o + ".", StringComparison.Ordinal));
        var actions = new List<CodeAction>();

        if (Wanted(CodeActionKinds.QuickFix))
            foreach (var finding in analysis.Findings.Where(f => Convert.Overlaps(f.Span, requested) && f.HasFixes))
            {
                var diagnostic = Convert.ToDiagnostic(snapshot!.Uri, doc, finding, client);
                foreach (var fix in finding.Fixes)
                    actions.Add(new CodeAction
                    {
                        Title = fix.Title, Kind = CodeActionKinds.QuickFix, Diagnostics = new[] { diagnostic },
                        IsPreferred = fix.IsPreferred ? true : null,
                        Edit = Convert.ToWorkspaceEdit(snapshot.Uri, snapshot.Version, doc, fix.Edits, client),
                    });
            }

        if (Wanted(CodeActionKinds.QuickFix) && Server.Generation is { } generation)
            foreach (var (generated, image) in generation.AlreadyGenerated(snapshot!.Uri, analysis.Prompts.Where(p => Convert.Overlaps(p.Entry.AnchorSpan, requested))))
            {
                var hint = new[] { Convert.AlreadyGenerated(doc, generated, image) };
                actions.Add(new CodeAction
                {
                    Title = $"Reuse the existing image {Path.GetFileName(image)} (no new energy)", Kind = CodeActionKinds.QuickFix, Diagnostics = hint, IsPreferred = true,
                    Command = new Command("Open image", Generation.GenerationHandler.OpenImage, new Newtonsoft.Json.Linq.JArray(snapshot.Uri, image)),
                });
                actions.Add(new CodeAction
                {
                    Title = $"Generate again anyway (≈ {Units.Wh(generated.Footprint.EnergyWh.Mid)})", Kind = CodeActionKinds.QuickFix, Diagnostics = hint,
                    Command = new Command("Generate", Generation.GenerationHandler.Generate, new Newtonsoft.Json.Linq.JArray(snapshot.Uri, generated.Entry.Index, true)),
                });
            }

        if (Wanted(CodeActionKinds.RefactorRewrite) && analysis.PromptAt(start) is { ModelKnown: true } prompt)
            actions.AddRange(LighterModels(snapshot!, analysis, prompt));

        if (Wanted(CodeActionKinds.SourceFixAll) && FixAll(analysis) is { Count: > 0 } all)
            actions.Add(new CodeAction
            {
                Title = $"Apply all {all.Count} preferred CarbonLsp fixes",
                Kind = CodeActionKinds.SourceFixAll,
                Edit = Convert.ToWorkspaceEdit(snapshot!.Uri, snapshot.Version, doc, all.SelectMany(f => f.Edits), client),
            });

        return actions;
    }

    /// <summary>Every catalog model that makes this prompt cheaper, lightest first, as refactors.</summary>
    private IEnumerable<CodeAction> LighterModels(Documents.DocumentSnapshot snapshot, DocumentAnalysis analysis, PromptAnalysis prompt)
    {
        var context = new PromptContext
        {
            Document = analysis.Document, Analysis = prompt, Device = analysis.Device, Intensity = analysis.Region.GramsPerKWh,
            Pue = analysis.Pue, Options = Server.Analysis.OptionsFor(snapshot.Uri), Estimator = Server.Analysis.Estimator,
        };
        var candidates = Server.Analysis.Catalog.Models.Where(m => m.Id != prompt.EstimateModel.Id && m.Tier != "toy");
        foreach (var alt in LighterModelRule.Alternatives(context, candidates).Where(a => a.SavingFraction > 0.05).OrderBy(a => a.Footprint.EnergyWh.Mid).Take(8))
        {
            var fix = LighterModelRule.SwitchFix(context, alt, false);
            yield return new CodeAction
            {
                Title = $"Use {alt.Model.Name}: {Units.Wh(alt.Footprint.EnergyWh.Mid)} ({(alt.SavingFraction * 100):0}% less)",
                Kind = CodeActionKinds.RefactorRewrite,
                Edit = Convert.ToWorkspaceEdit(snapshot.Uri, snapshot.Version, analysis.Document, fix.Edits, Server.Client),
            };
        }
    }

    /// <summary>The preferred fix of each finding, skipping any whose edits overlap one already taken
    /// (a second pass after re-analysis picks those up).</summary>
    internal static List<Fix> FixAll(DocumentAnalysis analysis)
    {
        var taken = new List<Fix>();
        var spans = new List<Core.Text.TextSpan>();
        foreach (var finding in analysis.Findings.OrderByDescending(f => f.SavingWh ?? 0))
        {
            var fix = finding.Fixes.FirstOrDefault(f => f.IsPreferred);
            if (fix == null || finding.Code == FindingCodes.UnknownModel) continue;
            // Touching a prompt twice could combine two fixes into an invalid object; one per prompt.
            if (fix.Edits.Any(e => spans.Any(s => Convert.Overlaps(s, e.Span)))) continue;
            var prompt = finding.PromptIndex is { } i ? analysis.Document.Prompts.FirstOrDefault(x => x.Index == i) : null;
            if (prompt != null && spans.Any(s => Convert.Overlaps(s, prompt.Span))) continue;
            taken.Add(fix);
            spans.AddRange(fix.Edits.Select(e => e.Span));
            if (prompt != null) spans.Add(prompt.Span);
        }
        return taken;
    }
}
