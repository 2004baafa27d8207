using CarbonLsp.Core.Analysis;
using CarbonLsp.Ledger;

namespace CarbonLsp.Generation.Runs;

/// <summary>
/// "Is this prompt's image already on disk?" for the editor, asked on every analysis. Cheap by
/// construction: the ledger's request keys are read once per ledger version; a prompt's request key
/// (which needs its model folder's fingerprint) is remembered by its image key; only prompts with a
/// fixed seed can match (a random seed never repeats an image).
/// </summary>
public sealed class ReuseIndex(GenerationService service)
{
    private const int MaxRemembered = 50_000;
    private readonly object _gate = new();
    private long _ledgerVersion = -1;
    private Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<(ImageKey Image, bool SchedulerWritten, string Directory), string?> _keys = new();

    /// <summary>The latest earlier run that generating this prompt's first image would reuse (its image
    /// still exists), or null. The generate path re-checks the image's hash before reusing it.</summary>
    public RunRecord? Existing(PromptAnalysis prompt, string documentDirectory)
    {
        if (prompt.Settings.Seed.Value == null) return null;
        lock (_gate)
        {
            var version = service.Ledger.Version;
            if (version != _ledgerVersion)
            {
                _runs = service.Ledger.All().Where(r => !r.Reused && r.OutputPath.Length > 0)
                    .GroupBy(r => r.RequestKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
                _ledgerVersion = version;
            }
            if (_runs.Count == 0) return null;
            var cacheKey = (prompt.Settings.ImageKey, prompt.Settings.Scheduler.IsWritten, documentDirectory);
            if (!_keys.TryGetValue(cacheKey, out var key))
            {
                if (_keys.Count >= MaxRemembered) _keys.Clear();
                _keys[cacheKey] = key = service.FirstImageKey(prompt, documentDirectory);
            }
            return key != null && _runs.TryGetValue(key, out var run) && File.Exists(run.OutputPath) ? run : null;
        }
    }
}
