using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Core.Features;
using CarbonLsp.Core.Fixes;
using CarbonLsp.Core.Rules;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/codeAction. A thin mapper over the core's <see cref="CodeActions"/>: quick fixes
/// with their diagnostic attached (a fix may run a command, as CL201's do), lighter models as refactors,
/// source.fixAll.</summary>
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
            foreach (var finding in CodeActions.FixableAt(analysis, requested))
            {
                var diagnostic = Convert.ToDiagnostic(snapshot!.Uri, doc, finding, client);
                foreach (var fix in finding.Fixes)
                    actions.Add(new CodeAction
                    {
                        Title = fix.Title, Kind = CodeActionKinds.QuickFix, Diagnostics = new[] { diagnostic },
                        IsPreferred = fix.IsPreferred ? true : null,
                        Edit = fix.Edits.Count > 0 ? Convert.ToWorkspaceEdit(snapshot.Uri, snapshot.Version, doc, fix.Edits, client) : null,
                        Command = fix.Command is { } command ? Convert.ToCommand(snapshot.Uri, command)
                            : fix.IsPreferred && fix.Edits.Count > 0 ? Saving(snapshot.Uri, analysis, new[] { new FixAllItem(finding, fix) }) : null,
                    });
            }

        if (Wanted(CodeActionKinds.RefactorRewrite) && analysis.PromptAt(start) is { } prompt)
            foreach (var (alt, fix) in CodeActions.LighterModels(analysis, prompt, Server.Analysis.Estimator))
                actions.Add(new CodeAction
                {
                    Title = $"Use {alt.Model.Name}: {Units.Wh(alt.Footprint.EnergyWh.Mid)} ({(alt.SavingFraction * 100):0}% less)",
                    Kind = CodeActionKinds.RefactorRewrite,
                    Edit = Convert.ToWorkspaceEdit(snapshot!.Uri, snapshot.Version, doc, fix.Edits, client),
                    Command = SavingCommand(snapshot.Uri, new[] { new Reports.PreferredFixReport("lighter-model", prompt.Entry.Id ?? $"#{prompt.Entry.Index + 1}", $"Use {alt.Model.Name}",
                        prompt.Footprint.EnergyWh.Mid - alt.Footprint.EnergyWh.Mid, prompt.Footprint.Co2eGrams.Mid - alt.Footprint.Co2eGrams.Mid) }),
                });

        // Issue 21: when the provider's forecast says waiting saves at least 5 % for this prompt, the lens's
        // command as an action too (source: it runs, it does not edit), for editors without lenses.
        if (Wanted(CodeActionKinds.Source) && analysis.PromptAt(start) is { } here && analysis.GreenerWindow(here) is { } window)
            actions.Add(new CodeAction
            {
                Title = $"Generate at the cleanest time: {window.Start.ToLocalTime():HH:mm}, −{window.Saving * 100:0} % CO2e",
                Kind = CodeActionKinds.Source,
                Command = new Command("Generate at the cleanest time", Generation.GenerationHandler.GenerateAtCleanest, new Newtonsoft.Json.Linq.JArray(snapshot!.Uri, here.Entry.Index)),
            });

        if (Wanted(CodeActionKinds.SourceFixAll) && CodeActions.FixAll(analysis) is { Count: > 0 } all)
            actions.Add(new CodeAction
            {
                Title = CodeActions.FixAllTitle(all),
                Kind = CodeActionKinds.SourceFixAll,
                Diagnostics = all.Select(x => Convert.ToDiagnostic(snapshot!.Uri, doc, x.Finding, client)).ToArray(),
                Edit = Convert.ToWorkspaceEdit(snapshot!.Uri, snapshot.Version, doc, all.SelectMany(x => x.Fix.Edits), client),
                Command = Saving(snapshot.Uri, analysis, all),
            });

        return actions;
    }

    /// <summary>The command that records what applied fixes save in the ledger (issue 22); the client runs it
    /// after applying the edit. None when nothing is saved.</summary>
    private static Command? Saving(string uri, DocumentAnalysis analysis, IEnumerable<FixAllItem> items) =>
        SavingCommand(uri, items.Select(x => Reports.ReportBuilder.Saving(analysis, x)));

    private static Command? SavingCommand(string uri, IEnumerable<Reports.PreferredFixReport> savings)
    {
        var list = new JArray(savings.Where(s => s.SavingWh > 0).Select(s => new JObject
        {
            ["code"] = s.Code, ["title"] = s.Title, ["prompt"] = s.Prompt, ["energyWh"] = s.SavingWh, ["co2eGrams"] = Math.Max(0, s.SavingGrams),
        }));
        return list.Count == 0 ? null : new Command("Record the saving", SavingsFeature.RecordSaving, new JArray(uri, list));
    }
}
