using CarbonLsp.Core.Estimation;
using LiteDB;

namespace CarbonLsp.Ledger;

/// <summary>
/// The ledger file. LiteDB in shared mode: every operation opens the file under a named mutex, so two
/// editor windows (two server processes) can write it at once — direct mode loses rows when they do.
/// Each insert is one LiteDB transaction: a write is either there whole or not at all.
/// </summary>
public sealed class RunLedger : ICalibrationSource, IDisposable
{
    // One mapper, with RunRecord mapped once, in the type initializer. LiteDB's global mapper builds an entity's
    // map on first use without a lock: two ledgers opened at once on two threads (two workspace roots) could
    // see a half-built map ("Member RequestKey not found on BsonMapper for type RunRecord", seen in CI).
    private static readonly BsonMapper Mapper = CreateMapper();

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper();
        mapper.ToDocument(new RunRecord()); // builds and keeps the map before any thread can race on it
        mapper.ToDocument(new SavingRecord());
        return mapper;
    }

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<RunRecord> _runs;
    private readonly ILiteCollection<SavingRecord> _savings;
    private long _version;
    // LiteDB's shared mode holds a named mutex per operation and counts nested opens per engine, not per
    // thread: two threads of one process using the ledger at once could release the mutex from a thread that
    // does not own it ("Object synchronization method was called from an unsynchronized block of code", seen
    // when the server disposed a ledger a generation had just written). One operation at a time per ledger.
    private readonly object _gate = new();

    public RunLedger(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _db = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Shared }, Mapper);
        _runs = _db.GetCollection<RunRecord>("runs");
        _runs.EnsureIndex(r => r.RequestKey);
        _runs.EnsureIndex(r => r.ModelId);
        _savings = _db.GetCollection<SavingRecord>("savings");
        _version = _runs.Count();
    }

    public string Path { get; }
    public long Version => Interlocked.Read(ref _version);

    public void Add(RunRecord record)
    {
        lock (_gate) _runs.Insert(record);
        Interlocked.Increment(ref _version);
    }

    /// <summary>Records an applied fix's saving (issue 22). Not a run: calibration and reuse never see it.</summary>
    public void AddSaving(SavingRecord saving)
    {
        lock (_gate) _savings.Insert(saving);
    }

    public IReadOnlyList<SavingRecord> Savings() { lock (_gate) return _savings.FindAll().OrderBy(s => s.Utc).ToList(); }

    /// <summary>Fixes and reuses since a date (null: ever).</summary>
    public SavingsSummary SavingsSince(DateTime? since) => SavingsSummary.Of(All(), Savings(), since);

    public int Count { get { lock (_gate) return _runs.Count(); } }
    public IReadOnlyList<RunRecord> All() { lock (_gate) return _runs.FindAll().OrderBy(r => r.Utc).ToList(); }
    public IReadOnlyList<RunRecord> ForModel(string modelId) { lock (_gate) return _runs.Find(r => r.ModelId == modelId).ToList(); }

    /// <summary>An earlier run of exactly this request whose image is still on disk, unchanged.</summary>
    public RunRecord? FindReusable(string requestKey, Func<string, string?> hashOfFile)
    {
        List<RunRecord> candidates;
        lock (_gate) candidates = _runs.Find(x => x.RequestKey == requestKey).OrderByDescending(x => x.Utc).ToList();
        foreach (var r in candidates)
            if (!r.Reused && File.Exists(r.OutputPath) && hashOfFile(r.OutputPath) == r.ImageSha256) return r;
        return null;
    }

    /// <summary>Calibration for a model on a device from its measured runs (estimates are not used):
    /// the median ratio of measured to first-principles energy, and how much the runs scatter.</summary>
    public LocalCalibration? Find(string modelId, string deviceId)
    {
        List<RunRecord> runs;
        lock (_gate) runs = _runs.Find(r => r.ModelId == modelId && r.Device == deviceId && !r.EnergyIsEstimate && !r.Reused && r.EstimatedWh > 0 && r.EnergyJoules > 0).ToList();
        if (runs.Count == 0) return null;
        var ratios = runs.Select(r => r.EnergyWh / r.EstimatedWh).Order().ToArray();
        var median = ratios[ratios.Length / 2];
        var spread = ratios.Average(x => Math.Abs(x / median - 1));
        return new LocalCalibration(modelId, deviceId, runs.Count, median, spread, runs.Average(r => r.EnergyWh));
    }

    public void Dispose() { lock (_gate) _db.Dispose(); }
}
