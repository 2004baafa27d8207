using CarbonLsp.LanguageServer.Hosting;

namespace CarbonLsp.LanguageServer.Tests;

/// <summary>Issue 18: the idle trim runs once a quiet period after the last change, never while changes come.</summary>
public sealed class IdleMemoryTrimTests
{
    [Fact]
    public async Task Trims_once_after_the_changes_stop_and_never_sooner_than_the_delay_after_a_change()
    {
        // Timing-proof on a loaded machine: whatever the scheduler does, every trim must come at least the delay
        // after the last change before it, there is one per quiet period, and none without a change.
        var delay = TimeSpan.FromMilliseconds(200);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var touches = new List<TimeSpan>();
        var trims = new List<TimeSpan>();
        using var trim = new IdleMemoryTrim(delay, () => { lock (trims) trims.Add(clock.Elapsed); });
        await Task.Delay(300);
        lock (trims) Assert.Empty(trims);                          // nothing changed: nothing to give back
        for (var i = 0; i < 20; i++)
        {
            lock (trims) touches.Add(clock.Elapsed);
            trim.Touch();
            await Task.Delay(20);
        }
        await Wait.Until(() => { lock (trims) return trims.Count > 0 && clock.Elapsed - touches[^1] > delay * 3; });
        lock (trims)
        {
            foreach (var t in trims)
                Assert.True(t - touches.Last(x => x <= t) >= delay - TimeSpan.FromMilliseconds(15), $"a trim {(t - touches.Last(x => x <= t)).TotalMilliseconds} ms after a change");
            Assert.True(trims.Count(t => t > touches[^1]) == 1, "one trim after the last change");
        }
        var count = trims.Count;
        await Task.Delay(delay * 2);
        lock (trims) Assert.Equal(count, trims.Count);             // no change, no trim
    }

    [Fact]
    public async Task A_full_pass_over_a_large_text_trims_at_once_but_not_again_within_the_interval()
    {
        var trims = 0;
        using var trim = new IdleMemoryTrim(TimeSpan.FromHours(1), () => Interlocked.Increment(ref trims), fullPassInterval: TimeSpan.FromMilliseconds(300));
        trim.AfterFullPass(IdleMemoryTrim.LargeTextChars - 1);     // a small file: not worth a pause
        Assert.Equal(0, trims);
        trim.AfterFullPass(IdleMemoryTrim.LargeTextChars);
        Assert.Equal(1, trims);                                     // at once, on the caller's thread
        trim.AfterFullPass(IdleMemoryTrim.LargeTextChars * 4);     // a file left broken parses whole on every keystroke
        Assert.Equal(1, trims);
        await Task.Delay(400);
        trim.AfterFullPass(IdleMemoryTrim.LargeTextChars);
        Assert.Equal(2, trims);
    }

    [Theory]
    [InlineData(null, 5000)]
    [InlineData("250", 250)]
    [InlineData("0", null)]
    [InlineData("off", null)]
    public void The_delay_comes_from_the_environment(string? value, int? ms)
    {
        var delay = IdleMemoryTrim.ConfiguredDelay(name => name == IdleMemoryTrim.DelayVariable ? value : null);
        Assert.Equal(ms, delay?.TotalMilliseconds is { } d ? (int)d : null);
    }
}
