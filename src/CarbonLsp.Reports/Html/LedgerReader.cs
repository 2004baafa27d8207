using CarbonLsp.Ledger;

namespace CarbonLsp.Reports.Html;

/// <summary>The workspace's ledger for a report: read whole (LiteDB's shared mode, so an editor generating at
/// the same time is not disturbed), or a sentence saying why there is none.</summary>
public static class LedgerReader
{
    public static LedgerView? Read(string ledgerPath, out string? note)
    {
        note = null;
        if (!File.Exists(ledgerPath))
        {
            note = "No ledger: no image has been generated in this workspace yet.";
            return null;
        }
        try
        {
            using var ledger = new RunLedger(ledgerPath);
            return new LedgerView(ledger.Path, ledger.All(), ledger.Savings());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LiteDB.LiteException)
        {
            note = $"The ledger {ledgerPath} could not be read ({ex.Message}).";
            return null;
        }
    }
}
