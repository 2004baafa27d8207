namespace CarbonLsp.Generation.Memory;

/// <summary>The memory this process can still take: on Linux the kernel's MemAvailable, or the room left
/// under the cgroup's limit when that is smaller (containers, CI); elsewhere what .NET reports.</summary>
public static class HostMemory
{
    public static long AvailableBytes()
    {
        long? available = null;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal) && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
                    available = kb * 1024;
            if (ReadLong("/sys/fs/cgroup/memory.max") is { } max && ReadLong("/sys/fs/cgroup/memory.current") is { } current)
                available = Math.Min(available ?? long.MaxValue, Math.Max(0, max - current));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        var info = GC.GetGCMemoryInfo();
        return available ?? Math.Max(0, info.TotalAvailableMemoryBytes - info.MemoryLoadBytes);
    }

    private static long? ReadLong(string path) =>
        File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out var v) ? v : null;   // "max" means no limit

    public static string Format(long bytes) =>
        bytes >= 1L << 40 ? $"{bytes / (double)(1L << 40):#,0} TB" : bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.0} GB" : $"{bytes / (double)(1L << 20):0} MB";
}
