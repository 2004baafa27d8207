using System.Diagnostics;

namespace CarbonLsp.Energy;

/// <summary>
/// The fallback when no counter can be read: process CPU time × power per busy core, plus the rest of
/// the machine's share over the wall time. Always labelled an estimate. Defaults: 12 W per busy core
/// (Green Algorithms' value for an unknown CPU) and 0.3725 W per GB of the process's peak memory
/// (same source).
/// </summary>
public sealed class CpuTimeEstimateMeter(double wattsPerCore = 12.0, double wattsPerGb = 0.3725) : IEnergyMeter
{
    public string Method => "estimate-cpu-time";
    public bool IsEstimate => true;

    public IEnergySession Start() => new Session(wattsPerCore, wattsPerGb);

    /// <summary>Joules for a run: CPU seconds × W/core + memory GB × W/GB × wall seconds.</summary>
    public static double Joules(TimeSpan cpu, TimeSpan wall, double memoryGb, double wattsPerCore, double wattsPerGb) =>
        cpu.TotalSeconds * wattsPerCore + memoryGb * wattsPerGb * wall.TotalSeconds;

    private sealed class Session(double wattsPerCore, double wattsPerGb) : IEnergySession
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;

        private (TimeSpan cpu, double gb) Now()
        {
            using var p = Process.GetCurrentProcess();
            return (p.TotalProcessorTime - _cpuStart, p.PeakWorkingSet64 / 1e9);
        }

        public double JoulesSoFar
        {
            get
            {
                var (cpu, gb) = Now();
                return Joules(cpu, _wall.Elapsed, gb, wattsPerCore, wattsPerGb);
            }
        }

        public EnergyReading Stop()
        {
            var (cpu, gb) = Now();
            var j = Joules(cpu, _wall.Elapsed, gb, wattsPerCore, wattsPerGb);
            return new EnergyReading(j, "estimate-cpu-time", true, _wall.Elapsed,
                $"estimate: {cpu.TotalSeconds:F2} s CPU × {wattsPerCore} W/core + {gb:F2} GB × {wattsPerGb} W/GB over {_wall.Elapsed.TotalSeconds:F2} s (Green Algorithms defaults; no energy counter readable)");
        }

        public void Dispose() { }
    }
}
