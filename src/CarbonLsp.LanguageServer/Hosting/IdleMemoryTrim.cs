namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>
/// Gives memory back once the user stops typing (issue 18). While edits come, the GC keeps the free space it
/// will need again (that is what keeps an edit under 50 ms); a few seconds after the last document change it runs
/// one aggressive, compacting collection that returns the free space to the system: with a 10,000-prompt file
/// the server sat at 203-213 MB resident after a burst of edits, most of it GC slack around a 57-70 MB live
/// heap (docs/perf.md). One collection per quiet period, never during typing; the delay is
/// CARBONLSP_IDLE_TRIM_MS (default 5000; 0 turns it off).
/// A full pass over a large file (opening it, new settings) is the other time: it leaves tens of megabytes of
/// dead parse and analysis state in gen 2, under everything typing adds next, so the same collection runs as
/// soon as its diagnostics are out (<see cref="AfterFullPass"/>), at most once per <see cref="FullPassInterval"/>.
/// </summary>
public sealed class IdleMemoryTrim : IDisposable
{
    public const string DelayVariable = "CARBONLSP_IDLE_TRIM_MS";
    private readonly Timer _timer;
    private readonly TimeSpan _delay;
    private readonly Action _trim;
    private int _pending;
    private long _lastTouch;
    private long _lastFullPassTrim = long.MinValue;
    private readonly long _fullPassInterval;

    /// <summary>Texts shorter than this (in UTF-16 code units, ~2,000 prompts) leave too little behind to be worth a pause.</summary>
    public const int LargeTextChars = 256 * 1024;
    /// <summary>The least time between two trims after full passes: a file left broken is parsed whole on every
    /// keystroke, and a compaction (~60 ms for a 10,000-prompt file) per keystroke would be felt.</summary>
    public static readonly TimeSpan FullPassInterval = TimeSpan.FromSeconds(30);

    /// <param name="trim">What a quiet period runs (tests count it); by default an aggressive blocking compaction.</param>
    public IdleMemoryTrim(TimeSpan delay, Action? trim = null, TimeSpan? fullPassInterval = null)
    {
        _delay = delay;
        _fullPassInterval = (long)(fullPassInterval ?? FullPassInterval).TotalMilliseconds;
        _trim = trim ?? (() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
        _timer = new Timer(_ => Fire(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The delay from the environment: CARBONLSP_IDLE_TRIM_MS, default 5 s; null when turned off.</summary>
    public static TimeSpan? ConfiguredDelay(Func<string, string?>? environment = null)
    {
        var text = (environment ?? Environment.GetEnvironmentVariable)(DelayVariable);
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(5);
        return int.TryParse(text, out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null;
    }

    /// <summary>A document changed: the quiet period starts again.</summary>
    public void Touch()
    {
        Volatile.Write(ref _lastTouch, Environment.TickCount64);
        Volatile.Write(ref _pending, 1);
        try { _timer.Change(_delay, Timeout.InfiniteTimeSpan); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>The diagnostics of a full analysis of a <paramref name="chars"/>-character text were just sent:
    /// trims now when the text is large and the last such trim was long enough ago. Runs on the caller's thread.</summary>
    public void AfterFullPass(int chars)
    {
        if (chars < LargeTextChars) return;
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastFullPassTrim);
        if (last != long.MinValue && now - last < _fullPassInterval) return;
        if (Interlocked.CompareExchange(ref _lastFullPassTrim, now, last) != last) return; // another thread took it
        _trim();
    }

    private void Fire()
    {
        // A timer callback can run late, after a newer change re-armed it: then the quiet period is not over.
        var quiet = Environment.TickCount64 - Volatile.Read(ref _lastTouch);
        if (quiet < (long)_delay.TotalMilliseconds)
        {
            try { _timer.Change(TimeSpan.FromMilliseconds(_delay.TotalMilliseconds - quiet), Timeout.InfiniteTimeSpan); }
            catch (ObjectDisposedException) { }
            return;
        }
        if (Interlocked.Exchange(ref _pending, 0) == 0) return;
        _trim();
    }

    public void Dispose() => _timer.Dispose();
}
