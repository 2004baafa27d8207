using CarbonLsp.Energy;

namespace CarbonLsp.Generation.Tests;

public class EnergyTests
{
    [Fact]
    public void Rapl_reads_package_domains_from_a_fake_sysfs_and_handles_wraparound()
    {
        var root = Directory.CreateTempSubdirectory("rapl-").FullName;
        try
        {
            void Domain(string name, string label, double energy, double max)
            {
                var d = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
                File.WriteAllText(Path.Combine(d, "name"), label + "\n");
                File.WriteAllText(Path.Combine(d, "energy_uj"), energy.ToString(System.Globalization.CultureInfo.InvariantCulture));
                File.WriteAllText(Path.Combine(d, "max_energy_range_uj"), max.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            Domain("intel-rapl:0", "package-0", 262_143_000_000, 262_143_999_999);
            Domain("intel-rapl:0:0", "core", 5, 100); // a sub-domain: inside the package, not added again
            Domain("intel-rapl:1", "package-1", 1_000_000, 262_143_999_999);
            var meter = RaplMeter.TryCreate(root, TimeSpan.FromHours(1))!;
            Assert.Equal(new[] { "package-0", "package-1" }, meter.DomainNames);
            var session = meter.Start();
            // Package 0 wraps: 262,143,000,000 → 500,000 µJ through the maximum; package 1 adds 2 J.
            File.WriteAllText(Path.Combine(root, "intel-rapl:0", "energy_uj"), "500000");
            File.WriteAllText(Path.Combine(root, "intel-rapl:1", "energy_uj"), "3000000");
            var reading = session.Stop();
            Assert.Equal((262_143_999_999 - 262_143_000_000 + 500_000 + 2_000_000) / 1e6, reading.Joules, 6);
            Assert.False(reading.IsEstimate);
            Assert.Equal("rapl", reading.Method);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void Rapl_is_unavailable_without_readable_counters() => Assert.Null(RaplMeter.TryCreate("/nonexistent/powercap"));

    [Fact]
    public void Wraparound_delta()
    {
        Assert.Equal(5, RaplMeter.Delta(10, 15, 100));
        Assert.Equal(15, RaplMeter.Delta(90, 5, 100));
    }

    private sealed class RecordedGpu(ulong[]? energyMj, uint[] powerMw) : IGpuPowerSource
    {
        private int _e, _p;
        public string Name => "Recorded GPU";
        public bool TryGetEnergyMillijoules(out ulong mj)
        {
            mj = energyMj == null ? 0 : energyMj[Math.Min(_e++, energyMj.Length - 1)];
            return energyMj != null;
        }
        public bool TryGetPowerMilliwatts(out uint mw)
        {
            mw = powerMw[Math.Min(_p++, powerMw.Length - 1)];
            return true;
        }
    }

    [Fact]
    public void Nvml_uses_the_energy_counter_when_the_gpu_has_one()
    {
        // Start reads the counter once, stop once: 12,500 mJ apart.
        var meter = new NvmlMeter(new RecordedGpu(new ulong[] { 1_000_000, 1_012_500 }, new uint[] { 300_000 }));
        var reading = meter.Start().Stop();
        Assert.Equal(12.5, reading.Joules, 6);
        Assert.Contains("counter", reading.Detail);
    }

    [Fact]
    public void Nvml_integrates_sampled_power_when_there_is_no_counter()
    {
        // Trapezoids over a recorded trace: (100+150)/2 × 0.1 + (150+200)/2 × 0.1 = 30 J.
        Assert.Equal(30.0, NvmlMeter.Integrate(new[] { (0.0, 100.0), (0.1, 150.0), (0.2, 200.0) }), 6);
        var meter = new NvmlMeter(new RecordedGpu(null, new uint[] { 200_000 }), TimeSpan.FromMilliseconds(10));
        var session = meter.Start();
        Thread.Sleep(200);
        var reading = session.Stop();
        Assert.InRange(reading.Joules, 200 * 0.15, 200 * 1.0); // ≈ 200 W × elapsed
        Assert.Contains("sampled", reading.Detail);
    }

    [Fact]
    public void The_cpu_time_estimate_is_labelled_and_follows_its_formula()
    {
        Assert.Equal(2 * 12 + 4 * 0.3725 * 10, CpuTimeEstimateMeter.Joules(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), 4, 12, 0.3725), 9);
        var reading = new CpuTimeEstimateMeter().Start().Stop();
        Assert.True(reading.IsEstimate);
        Assert.StartsWith("estimate", reading.Detail);
    }
}
