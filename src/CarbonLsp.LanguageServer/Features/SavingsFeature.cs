using System.Collections.Concurrent;
using CarbonLsp.Ledger;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json.Linq;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>"What the product saved" in the editor (issue 22). A quick fix, fix-all or lighter-model action
/// that saves energy carries the command <see cref="RecordSaving"/> with its savings; the client runs it after
/// applying the edit (LSP: a code action's edit first, then its command), and the saving goes into the
/// workspace's ledger. The status bar's summary shows this month's savings, fixes and reuses.</summary>
internal sealed class SavingsFeature(Hosting.LanguageServer server, Generation.GenerationHandler generation)
{
    public const string RecordSaving = "carbonlsp.recordSaving";

    private readonly ConcurrentDictionary<string, (long Version, DateTime At, SavingsSummary Summary)> _cache = new();

    public object Record(JArray? args)
    {
        var (uri, savings) = CommandArguments.RecordSaving(args, RecordSaving);
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var document) || !document.IsFile)
            throw new LocalRpcException($"Not recorded: {uri} is not a file in a workspace.") { ErrorCode = ErrorCodes.InvalidParams };
        var root = generation.RootOf(document.LocalPath);
        var ledger = generation.LedgerOf(root, create: true)
            ?? throw new LocalRpcException("Not recorded: the workspace's ledger could not be opened (see the server log).") { ErrorCode = ErrorCodes.RequestFailed };
        var file = Path.GetRelativePath(root, document.LocalPath).Replace('\\', '/');
        foreach (var s in savings.Where(s => s.EnergyWh > 0))
            ledger.AddSaving(new SavingRecord { Code = s.Code, Title = s.Title, File = file, PromptId = s.Prompt ?? "", EnergyWh = s.EnergyWh, Co2eGrams = s.Co2eGrams, Where = "editor" });
        _cache.TryRemove(root, out _);
        return new { recorded = savings.Count(s => s.EnergyWh > 0), savedThisMonth = ThisMonth() };
    }

    /// <summary>This month's savings over the workspace folders that have a ledger (none is made for this),
    /// cached a few seconds per root unless this server wrote to it: the status bar asks on every refresh.</summary>
    public SavedTotals? ThisMonth()
    {
        var month = SavingsSummary.MonthStart(DateTime.UtcNow);
        double wh = 0, g = 0;
        int fixes = 0, reuses = 0;
        var any = false;
        foreach (var folder in server.WorkspaceFolders)
        {
            if (!System.Uri.TryCreate(folder, UriKind.Absolute, out var u) || !u.IsFile) continue;
            var root = generation.RootOf(Path.Combine(u.LocalPath, "_"));
            if (generation.LedgerOf(root, create: false) is not { } ledger) continue;
            any = true;
            SavingsSummary summary;
            if (_cache.TryGetValue(root, out var c) && c.Version == ledger.Version && DateTime.UtcNow - c.At < TimeSpan.FromSeconds(10)) summary = c.Summary;
            else
            {
                try { summary = ledger.SavingsSince(month); }
                catch (Exception ex) when (ex is IOException or LiteDB.LiteException)
                {
                    server.Log.Warning($"savings of {root} not read: {ex.Message}");
                    continue;
                }
                _cache[root] = (ledger.Version, DateTime.UtcNow, summary);
            }
            wh += summary.EnergyWh; g += summary.Co2eGrams; fixes += summary.Fixes; reuses += summary.Reuses;
        }
        return any ? new SavedTotals(wh, g, fixes, reuses) : null;
    }
}
