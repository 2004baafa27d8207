using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CarbonLsp.Energy;

/// <summary>The local hardware's own name and how it was read, e.g. ("NVIDIA GeForce RTX 3090", "NVML").</summary>
public sealed record HardwareName(string Name, string Method);

/// <summary>
/// Finds what this machine would generate on: the first NVIDIA GPU (NVML's device name), else an Apple
/// chip (sysctl on macOS), else the CPU's model name (/proc/cpuinfo on Linux, the registry's
/// PROCESSOR_IDENTIFIER environment on Windows). Reads only local system information, once per
/// process; never throws. CARBONLSP_DETECT_DEVICE=0 turns it off.
/// </summary>
public static class HardwareProbe
{
    private static readonly Lazy<HardwareName?> s_local = new(Detect);
    private static readonly Lazy<HardwareName?> s_cpu = new(DetectCpu);

    /// <summary>What an analysis that names no device is priced on (null when detection is turned off).</summary>
    public static HardwareName? Local => Environment.GetEnvironmentVariable("CARBONLSP_DETECT_DEVICE") == "0" ? null : s_local.Value;

    /// <summary>The CPU (or Apple chip) alone, whatever GPU there is: what a CPU run's energy belongs to.</summary>
    public static HardwareName? Cpu => s_cpu.Value;

    private static HardwareName? Detect()
    {
        try
        {
            if (NvmlMeter.TryCreate() is { } gpu && !string.IsNullOrWhiteSpace(gpu.DeviceName)) return new HardwareName(gpu.DeviceName, "NVML");
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or ExternalException)
        {
        }
        return s_cpu.Value;
    }

    private static HardwareName? DetectCpu()
    {
        try
        {
            if (OperatingSystem.IsMacOS() && Sysctl("machdep.cpu.brand_string") is { } chip) return new HardwareName(chip, "sysctl");
            if (OperatingSystem.IsLinux() && CpuInfoModel(File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : null) is { } cpu)
                return new HardwareName(cpu, "/proc/cpuinfo");
            if (OperatingSystem.IsWindows() && Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") is { Length: > 0 } id)
                return new HardwareName(id, "PROCESSOR_IDENTIFIER");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException
                                       or System.ComponentModel.Win32Exception or InvalidOperationException or ExternalException)
        {
        }
        return null;
    }

    /// <summary>The "model name" line of /proc/cpuinfo (x86), or "Model"/"Hardware" on Arm boards.</summary>
    public static string? CpuInfoModel(string? cpuinfo)
    {
        if (cpuinfo == null) return null;
        foreach (var key in new[] { "model name", "Model", "Hardware" })
            foreach (var line in cpuinfo.Split('\n'))
            {
                var colon = line.IndexOf(':');
                if (colon > 0 && line[..colon].Trim() == key && line[(colon + 1)..].Trim() is { Length: > 0 } value) return value;
            }
        return null;
    }

    private static string? Sysctl(string key)
    {
        using var p = Process.Start(new ProcessStartInfo("sysctl", $"-n {key}") { RedirectStandardOutput = true, UseShellExecute = false });
        if (p == null) return null;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit(2000);
        return text.Length > 0 ? text : null;
    }
}
