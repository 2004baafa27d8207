using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>carbonlsp/summary: the file's totals and the workspace's (open documents plus prompt
/// files on disk under the workspace folders), for status bars.</summary>
internal sealed class SummaryHandler(Hosting.LanguageServer server, SavingsFeature savings) : HandlerBase(server)
{
    private readonly WorkspaceFiles _files = new();

    [JsonRpcMethod(Methods.Summary, UseSingleObjectParameterDeserialization = true)]
    public async Task<SummaryResult> Summary(TextDocumentParams? p, CancellationToken ct)
    {
        Server.EnsureServing();
        var open = Server.Documents.All;
        var analyses = new List<(string Uri, FileTotals Totals)>();
        foreach (var s in open) analyses.Add((s.Uri, (await AnalysisAsync(s, ct).ConfigureAwait(false))!.Totals));
        var openUris = open.Select(s => s.Uri).ToHashSet(StringComparer.Ordinal);
        var onDisk = await Task.Run(() => _files.Totals(Server.WorkspaceFolders, openUris, Server.Analysis, ct).ToList(), ct).ConfigureAwait(false);
        SummaryTotals? file = null;
        if (p?.TextDocument?.Uri is { } uri && analyses.FirstOrDefault(a => a.Uri == uri) is { Totals: not null } mine)
            file = ToTotals(uri, 1, mine.Totals);
        var all = analyses.Concat(onDisk).ToList();
        var workspace = new SummaryTotals(null, all.Count, all.Sum(a => a.Totals.Prompts), all.Sum(a => a.Totals.Images),
            all.Sum(a => a.Totals.EnergyWh.Mid), all.Sum(a => a.Totals.Co2eGrams.Mid), all.Sum(a => a.Totals.Co2eGrams.Low), all.Sum(a => a.Totals.Co2eGrams.High),
            null, all.Any(a => a.Totals.BudgetGrams is { } b && a.Totals.Co2eGrams.Mid > b));
        return new SummaryResult(file, workspace) { SavedThisMonth = savings.ThisMonth() };
    }

    private static SummaryTotals ToTotals(string uri, int files, FileTotals t) =>
        new(uri, files, t.Prompts, t.Images, t.EnergyWh.Mid, t.Co2eGrams.Mid, t.Co2eGrams.Low, t.Co2eGrams.High, t.BudgetGrams,
            t.BudgetGrams is { } b && t.Co2eGrams.Mid > b);
}
