using CarbonLsp.Ledger;

namespace CarbonLsp.Reports.Html;

/// <summary>Everything the HTML report shows, gathered by its caller (the command line or the server): the
/// analysed files as the JSON report has them, and the workspace's ledger. The renderer does no analysis and
/// reads no file but the images it makes thumbnails of.</summary>
public sealed record HtmlReportData
{
    public required IReadOnlyList<FileReport> Files { get; init; }
    /// <summary>Everyday equivalents of the grand total (from the estimator's sourced constants).</summary>
    public required EquivalentsReport Equivalents { get; init; }
    /// <summary>The workspace folder: paths are shown relative to it, images are read only inside it.</summary>
    public required string Workspace { get; init; }
    public LedgerView? Ledger { get; init; }
    /// <summary>Why there is no ledger section ("no image has been generated in this workspace yet").</summary>
    public string? LedgerNote { get; init; }
    /// <summary>Problems met on the way (unreadable files, folders with no prompt files), shown at the top.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
    public DateTime GeneratedUtc { get; init; } = DateTime.UtcNow;
    public string ToolVersion { get; init; } = "";
}

public sealed record EquivalentsReport(double MilesDriven, double SmartphoneCharges, double LedBulbMinutes)
{
    /// <summary>The grand total's everyday equivalents, with the estimator's sourced constants.</summary>
    public static EquivalentsReport Of(Core.Estimation.FootprintEstimator estimator, IReadOnlyList<FileReport> files)
    {
        var total = JsonReport.Total(files);
        var eq = estimator.ToEquivalents(total.EnergyWh.Mid, total.Co2eGrams.Mid);
        return new EquivalentsReport(eq.MilesDriven, eq.SmartphoneCharges, eq.LedBulbMinutes);
    }
}

/// <summary>The ledger as the report shows it: every run (oldest first), and savings this month and ever.</summary>
public sealed record LedgerView(string Path, IReadOnlyList<RunRecord> Runs, IReadOnlyList<SavingRecord> Savings)
{
    public SavingsSummary SavedSince(DateTime? since) => SavingsSummary.Of(Runs, Savings, since);
}
