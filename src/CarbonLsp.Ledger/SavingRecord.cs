using LiteDB;

namespace CarbonLsp.Ledger;

/// <summary>One quick fix a user applied (issue 22: "what the product saved"): the estimated energy and CO2e
/// the prompt needs less after it, as the analysis said when it was applied. An undo is not subtracted: this
/// is what the fixes were worth when made, and the report says so.</summary>
public sealed class SavingRecord
{
    [BsonId] public Guid Id { get; set; } = Guid.NewGuid();
    public DateTime Utc { get; set; } = DateTime.UtcNow;
    /// <summary>The finding's code (CL101, …) or "lighter-model" for a switch chosen from the refactor menu.</summary>
    public string Code { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>The prompt file, relative to the workspace where it is inside it.</summary>
    public string File { get; set; } = "";
    /// <summary>The prompt's id (never its text: the ledger keeps settings and figures, the text stays in the file).</summary>
    public string PromptId { get; set; } = "";
    public double EnergyWh { get; set; }
    public double Co2eGrams { get; set; }
    /// <summary>"editor" (a code action) or "check --fix".</summary>
    public string Where { get; set; } = "";
}

/// <summary>Savings over a period: applied fixes (their estimates) and reuses of identical images (the energy
/// and CO2e of the run each reuse stood in for, as measured or estimated then).</summary>
public sealed record SavingsSummary(int Fixes, double FixWh, double FixGrams, int Reuses, double ReuseWh, double ReuseGrams)
{
    public double EnergyWh => FixWh + ReuseWh;
    public double Co2eGrams => FixGrams + ReuseGrams;

    public static SavingsSummary Of(IReadOnlyList<RunRecord> allRuns, IReadOnlyList<SavingRecord> savings, DateTime? since)
    {
        var fixes = savings.Where(s => since == null || s.Utc >= since).ToList();
        var original = allRuns.Where(r => !r.Reused).GroupBy(r => r.RequestKey).ToDictionary(g => g.Key, g => g.First());
        var reuses = allRuns.Where(r => r.Reused && (since == null || r.Utc >= since)).Select(r => original.GetValueOrDefault(r.RequestKey)).ToList();
        return new SavingsSummary(fixes.Count, fixes.Sum(s => s.EnergyWh), fixes.Sum(s => s.Co2eGrams),
            reuses.Count, reuses.Sum(o => o?.EnergyWh ?? 0), reuses.Sum(o => o?.Co2eGrams ?? 0));
    }

    /// <summary>The first instant of the current calendar month, UTC: "saved this month".</summary>
    public static DateTime MonthStart(DateTime utcNow) => new(utcNow.Year, utcNow.Month, 1, 0, 0, 0, DateTimeKind.Utc);
}
