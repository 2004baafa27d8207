using CarbonLsp.Ledger;

namespace CarbonLsp.Reports.Html;

/// <summary>The workspace's ledger for a report: read whole (LiteDB's shared mode, so an editor generating at
/// the same time is not disturbed), or a sentence saying why there is none.</summary>
public static class LedgerReader
{
    public const string NoLedger = "No ledger: no image has been generated in this workspace yet.";

    /// <summary>From the ledger file (the command line), opened for the read only.</summary>
    public static LedgerView? Read(string ledgerPath, out string? note)
    {
        note = null;
        if (!File.Exists(ledgerPath))
        {
            note = NoLedger;
            return null;
        }
        try
        {
            using var ledger = new RunLedger(ledgerPath);
            return Read(ledger, out note);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LiteDB.LiteException)
        {
            note = $"The ledger {ledgerPath} could not be read ({ex.Message}).";
            return null;
        }
    }

    /// <summary>From a ledger already open (the server's, shared with generation); null: none yet.</summary>
    public static LedgerView? Read(RunLedger? ledger, out string? note)
    {
        note = null;
        if (ledger == null)
        {
            note = NoLedger;
            return null;
        }
        try { return new LedgerView(ledger.Path, ledger.All(), ledger.Savings()); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or LiteDB.LiteException)
        {
            note = $"The ledger {ledger.Path} could not be read ({ex.Message}).";
            return null;
        }
    }
}
