using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>carbonlsp/summary: totals for a file and for the workspace, for status bars.</summary>
public sealed record SummaryResult(
    [property: JsonProperty("file", NullValueHandling = NullValueHandling.Include)] SummaryTotals? File,
    [property: JsonProperty("workspace")] SummaryTotals Workspace)
{
    /// <summary>Saved this month in the workspace's ledgers; null when no folder has a ledger.</summary>
    [JsonProperty("savedThisMonth", NullValueHandling = NullValueHandling.Ignore)] public SavedTotals? SavedThisMonth { get; init; }
}

public sealed record SummaryTotals(
    [property: JsonProperty("uri", NullValueHandling = NullValueHandling.Ignore)] string? Uri,
    [property: JsonProperty("files")] int Files,
    [property: JsonProperty("prompts")] int Prompts,
    [property: JsonProperty("images")] int Images,
    [property: JsonProperty("energyWh")] double EnergyWh,
    [property: JsonProperty("co2eGrams")] double Co2eGrams,
    [property: JsonProperty("co2eGramsLow")] double Co2eGramsLow,
    [property: JsonProperty("co2eGramsHigh")] double Co2eGramsHigh,
    [property: JsonProperty("budgetGrams", NullValueHandling = NullValueHandling.Ignore)] double? BudgetGrams,
    [property: JsonProperty("budgetExceeded")] bool BudgetExceeded);

/// <summary>Savings this month (issue 22): applied fixes' estimates and reuses of identical images.</summary>
public sealed record SavedTotals(
    [property: JsonProperty("energyWh")] double EnergyWh,
    [property: JsonProperty("co2eGrams")] double Co2eGrams,
    [property: JsonProperty("fixes")] int Fixes,
    [property: JsonProperty("reuses")] int Reuses);
