using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CarbonLsp.Energy;

/// <summary>One GPU's readings; the real one calls NVML, tests replay recorded samples.</summary>
public interface IGpuPowerSource
{
    string Name { get; }
    /// <summary>Total energy since the driver loaded, mJ (Volta and newer); false when unsupported.</summary>
    bool TryGetEnergyMillijoules(out ulong millijoules);
    /// <summary>Board power, mW.</summary>
    bool TryGetPowerMilliwatts(out uint milliwatts);
}

/// <summary>
/// NVIDIA GPUs through NVML: the total-energy counter where the GPU has one (difference of mJ), else
/// board power sampled at 10 Hz and integrated. libnvidia-ml / nvml.dll is loaded at run time, so
/// nothing NVIDIA is needed to build, and machines without it simply have no NVML meter. Board
/// energy only: CPU, RAM and power-supply losses are not in it.
/// </summary>
public sealed class NvmlMeter : IEnergyMeter
{
    private readonly IGpuPowerSource _gpu;
    private readonly TimeSpan _interval;

    public NvmlMeter(IGpuPowerSource gpu, TimeSpan? sampleInterval = null)
    {
        _gpu = gpu;
        _interval = sampleInterval ?? TimeSpan.FromMilliseconds(100);
    }

    public string Method => "nvml";
    public bool IsEstimate => false;
    public string DeviceName => _gpu.Name;
    public bool HasEnergyCounter => _gpu.TryGetEnergyMillijoules(out _);

    public static NvmlMeter? TryCreate(int deviceIndex = 0) => NvmlLibrary.TryOpen(deviceIndex) is { } gpu ? new NvmlMeter(gpu) : null;

    public IEnergySession Start() => new Session(this);

    /// <summary>Trapezoidal integral of power samples (seconds, watts), in joules.</summary>
    public static double Integrate(IReadOnlyList<(double Seconds, double Watts)> samples)
    {
        double joules = 0;
        for (var i = 1; i < samples.Count; i++)
            joules += (samples[i].Seconds - samples[i - 1].Seconds) * (samples[i].Watts + samples[i - 1].Watts) / 2;
        return joules;
    }

    private sealed class Session : IEnergySession
    {
        private readonly NvmlMeter _meter;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly ulong _startMj;
        private readonly bool _counter;
        private readonly List<(double, double)> _samples = new();
        private readonly Timer? _timer;

        public Session(NvmlMeter meter)
        {
            _meter = meter;
            _counter = meter._gpu.TryGetEnergyMillijoules(out _startMj);
            if (!_counter)
            {
                Sample();
                _timer = new Timer(_ => Sample(), null, meter._interval, meter._interval);
            }
        }

        private void Sample()
        {
            if (_meter._gpu.TryGetPowerMilliwatts(out var mw))
                lock (_samples) _samples.Add((_watch.Elapsed.TotalSeconds, mw / 1000.0));
        }

        public double JoulesSoFar
        {
            get
            {
                if (_counter && _meter._gpu.TryGetEnergyMillijoules(out var now)) return (now - _startMj) / 1000.0;
                lock (_samples) return Integrate(_samples);
            }
        }

        public EnergyReading Stop()
        {
            _timer?.Dispose();
            if (_counter && _meter._gpu.TryGetEnergyMillijoules(out var end))
                return new EnergyReading((end - _startMj) / 1000.0, "nvml", false, _watch.Elapsed, $"NVML total-energy counter, {_meter._gpu.Name} (GPU board only)");
            Sample();
            lock (_samples)
                return new EnergyReading(Integrate(_samples), "nvml", false, _watch.Elapsed,
                    $"NVML board power sampled {_samples.Count}× and integrated, {_meter._gpu.Name} (GPU board only)");
        }

        public void Dispose() => _timer?.Dispose();
    }
}

/// <summary>The few NVML entry points we need, bound at run time with NativeLibrary.</summary>
internal sealed unsafe class NvmlLibrary : IGpuPowerSource
{
    private readonly IntPtr _device;
    private readonly delegate* unmanaged<IntPtr, ulong*, int> _energy;
    private readonly delegate* unmanaged<IntPtr, uint*, int> _power;

    private NvmlLibrary(IntPtr device, string name, delegate* unmanaged<IntPtr, ulong*, int> energy, delegate* unmanaged<IntPtr, uint*, int> power)
    {
        _device = device;
        Name = name;
        _energy = energy;
        _power = power;
    }

    public string Name { get; }

    public static NvmlLibrary? TryOpen(int index)
    {
        IntPtr lib = IntPtr.Zero;
        foreach (var candidate in new[] { "libnvidia-ml.so.1", "libnvidia-ml.so", "nvml.dll", @"C:\Windows\System32\nvml.dll" })
            if (NativeLibrary.TryLoad(candidate, out lib)) break;
        if (lib == IntPtr.Zero) return null;
        try
        {
            var init = (delegate* unmanaged<int>)NativeLibrary.GetExport(lib, "nvmlInit_v2");
            if (init() != 0) return null;
            var byIndex = (delegate* unmanaged<uint, IntPtr*, int>)NativeLibrary.GetExport(lib, "nvmlDeviceGetHandleByIndex_v2");
            IntPtr device;
            if (byIndex((uint)index, &device) != 0) return null;
            var getName = (delegate* unmanaged<IntPtr, byte*, uint, int>)NativeLibrary.GetExport(lib, "nvmlDeviceGetName");
            var buffer = stackalloc byte[96];
            var name = getName(device, buffer, 96) == 0 ? Marshal.PtrToStringAnsi((IntPtr)buffer) ?? "NVIDIA GPU" : "NVIDIA GPU";
            return new NvmlLibrary(device, name,
                (delegate* unmanaged<IntPtr, ulong*, int>)NativeLibrary.GetExport(lib, "nvmlDeviceGetTotalEnergyConsumption"),
                (delegate* unmanaged<IntPtr, uint*, int>)NativeLibrary.GetExport(lib, "nvmlDeviceGetPowerUsage"));
        }
        catch (EntryPointNotFoundException) { return null; }
    }

    public bool TryGetEnergyMillijoules(out ulong millijoules)
    {
        ulong v;
        var ok = _energy(_device, &v) == 0;
        millijoules = v;
        return ok;
    }

    public bool TryGetPowerMilliwatts(out uint milliwatts)
    {
        uint v;
        var ok = _power(_device, &v) == 0;
        milliwatts = v;
        return ok;
    }
}
