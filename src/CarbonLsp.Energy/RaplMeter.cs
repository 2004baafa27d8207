using System.Diagnostics;
using System.Globalization;

namespace CarbonLsp.Energy;

/// <summary>
/// Linux RAPL through powercap: the package domains' energy_uj counters (µJ), which wrap at
/// max_energy_range_uj. Sampled every few seconds so a wrap is never missed twice in one interval.
/// The sysfs root is a parameter so tests run against fake trees. Reading energy_uj needs root on
/// kernels since 5.10; when it cannot be read this meter is not available.
/// </summary>
public sealed class RaplMeter : IEnergyMeter
{
    private readonly IReadOnlyList<Domain> _domains;
    private readonly TimeSpan _sampleEvery;

    private sealed record Domain(string Name, string EnergyFile, double MaxRangeMicrojoules);

    private RaplMeter(IReadOnlyList<Domain> domains, TimeSpan sampleEvery)
    {
        _domains = domains;
        _sampleEvery = sampleEvery;
    }

    public string Method => "rapl";
    public bool IsEstimate => false;
    public IReadOnlyList<string> DomainNames => _domains.Select(d => d.Name).ToArray();

    /// <summary>The package-level domains under <paramref name="root"/> (default /sys/class/powercap), or null when none is readable.</summary>
    public static RaplMeter? TryCreate(string root = "/sys/class/powercap", TimeSpan? sampleEvery = null)
    {
        try
        {
            if (!Directory.Exists(root)) return null;
            var domains = new List<Domain>();
            foreach (var dir in Directory.GetDirectories(root, "intel-rapl:*").Order())
            {
                if (Path.GetFileName(dir).Count(c => c == ':') != 1) continue; // sub-domains (core, dram) are inside packages
                var energy = Path.Combine(dir, "energy_uj");
                var max = Path.Combine(dir, "max_energy_range_uj");
                if (!File.Exists(energy) || ReadMicrojoules(energy) is null) continue;
                var name = File.Exists(Path.Combine(dir, "name")) ? File.ReadAllText(Path.Combine(dir, "name")).Trim() : Path.GetFileName(dir);
                domains.Add(new Domain(name, energy, File.Exists(max) && ReadMicrojoules(max) is { } m ? m : (double)uint.MaxValue));
            }
            return domains.Count == 0 ? null : new RaplMeter(domains, sampleEvery ?? TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    internal static double? ReadMicrojoules(string file)
    {
        try { return double.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Energy between two counter readings of a counter that wraps at <paramref name="max"/>.</summary>
    public static double Delta(double start, double end, double max) => end >= start ? end - start : max - start + end;

    public IEnergySession Start() => new Session(this);

    private sealed class Session : IEnergySession
    {
        private readonly RaplMeter _meter;
        private readonly double[] _last;
        private readonly double[] _total;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Timer _timer;
        private readonly object _gate = new();

        public Session(RaplMeter meter)
        {
            _meter = meter;
            _last = meter._domains.Select(d => ReadMicrojoules(d.EnergyFile) ?? 0).ToArray();
            _total = new double[_last.Length];
            _timer = new Timer(_ => Sample(), null, meter._sampleEvery, meter._sampleEvery);
        }

        private void Sample()
        {
            lock (_gate)
            {
                for (var i = 0; i < _last.Length; i++)
                {
                    if (ReadMicrojoules(_meter._domains[i].EnergyFile) is not { } now) continue;
                    _total[i] += Delta(_last[i], now, _meter._domains[i].MaxRangeMicrojoules);
                    _last[i] = now;
                }
            }
        }

        public double JoulesSoFar
        {
            get
            {
                Sample();
                lock (_gate) return _total.Sum() / 1e6;
            }
        }

        public EnergyReading Stop()
        {
            _timer.Dispose();
            Sample();
            lock (_gate)
                return new EnergyReading(_total.Sum() / 1e6, "rapl", false, _watch.Elapsed,
                    $"RAPL powercap, {string.Join(" + ", _meter._domains.Select(d => d.Name))} (CPU package; GPU, RAM outside the package and PSU not included)");
        }

        public void Dispose() => _timer.Dispose();
    }
}
