using System.Diagnostics;
using System.Globalization;
using System.Text;
using CarbonLsp.Tests.Shared;

namespace CarbonLsp.Cli.Tests;

/// <summary>Issue 21 on the command line: `grid` with a provider (a loopback server in the UK Carbon Intensity
/// API's shape) and without one, and `generate --when cleanest` waiting for the window, recording the forecast
/// intensity it used, and cancelled cleanly while it waits.</summary>
public sealed class GridCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carbonlsp-grid-").FullName;
    private readonly LoopbackServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Half an hour at 400 g/kWh from now, then <paramref name="cleanAfter"/> later a long stretch at 100.</summary>
    private void Forecast(TimeSpan cleanAfter)
    {
        _server.Respond = _ =>
        {
            var now = DateTimeOffset.UtcNow;
            string T(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var body = $$"""
                { "data": [ { "from": "{{T(now.AddMinutes(-5))}}", "to": "{{T(now + cleanAfter)}}", "intensity": { "forecast": 400, "actual": null, "index": "high" } },
                            { "from": "{{T(now + cleanAfter)}}", "to": "{{T(now.AddHours(3))}}", "intensity": { "forecast": 100, "actual": null, "index": "low" } } ] }
                """;
            return new LoopbackServer.Reply(200, body);
        };
    }

    private string[] Uk(params string[] args) => args.Concat(new[] { "--grid-provider", "uk", "--grid-url", _server.BaseUrl.ToString() }).ToArray();

    private string TinyFile() => Write("t.prompts.json", """{ "device": "cpu", "region": "GB", "prompts": [ { "id": "c", "prompt": "a red circle on a blue background", "model": "carbon-tiny", "steps": 2, "seed": 1 } ] }""");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Grid_shows_now_the_forecast_and_the_cleanest_window()
    {
        Forecast(TimeSpan.FromHours(1));
        var r = CarbonLspProcess.Run(_dir, Uk("grid", "GB", "--duration", "20m"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("GB annual average", r.Stdout);
        Assert.Contains("GB now 400 g/kWh (UK Carbon Intensity API", r.Stdout);
        Assert.Contains("Forecast, g/kWh", r.Stdout);
        Assert.Contains("Cleanest 20 min within 8 h:", r.Stdout);
        Assert.Contains("at 100 g/kWh, −75 % CO2e against starting now (400 g/kWh)", r.Stdout);
        Assert.All(_server.Requests, q => Assert.StartsWith("/intensity/", q.PathAndQuery));
    }

    [Fact]
    public void Without_a_provider_grid_says_it_uses_the_annual_average_and_asks_nothing()
    {
        var r = CarbonLspProcess.Run(_dir, "grid", "DE");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("DE annual average", r.Stdout);
        Assert.Contains("no grid provider is configured", r.Stdout);
        Assert.Empty(_server.Requests);
        var bad = CarbonLspProcess.Run(_dir, "grid", "DE", "--within", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--within takes a duration like 10m", bad.Stderr);
    }

    [Fact]
    public void A_provider_that_fails_is_a_sentence_and_the_annual_average()
    {
        _server.Respond = _ => new LoopbackServer.Reply(503, "{}");
        var r = CarbonLspProcess.Run(_dir, Uk("grid", "GB"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("UK Carbon Intensity API answered HTTP 503", r.Stdout);
        Assert.Contains("Estimates use the annual average above.", r.Stdout);
    }

    [Fact]
    public void Generate_when_cleanest_waits_for_the_window_and_records_the_forecast_it_used()
    {
        Forecast(TimeSpan.FromSeconds(3));
        var watch = Stopwatch.StartNew();
        var r = CarbonLspProcess.Run(_dir, Uk("generate", TinyFile(), "--when", "cleanest", "--within", "1h"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("waiting for the cleanest window at", r.Stderr);
        Assert.Contains("75 % less CO2e than now", r.Stderr);
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(2), $"it did not wait: {watch.Elapsed}");
        var png = Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(_dir, "generated", "c.png")));
        Assert.Contains("\"IntensityGramsPerKWh\":100.0", png);
        Assert.Contains("\"IntensityKind\":\"forecast\"", png);
        Assert.Contains("UK Carbon Intensity API, GB, forecast for", png);
    }

    [Fact]
    public void Generate_when_cleanest_without_a_forecast_says_why_and_runs_now()
    {
        var r = CarbonLspProcess.Run(_dir, "generate", TinyFile(), "--when", "cleanest");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("no provider is configured", r.Stderr);
        Assert.True(File.Exists(Path.Combine(_dir, "generated", "c.png")));
        Assert.Contains("\"IntensityKind\":\"annual-average\"", Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(_dir, "generated", "c.png"))));
    }

    /// <summary>Whether SIGINT (2) is in this process's ignored set (/proc/self/status, SigIgn: a hex mask).</summary>
    private static bool SigIntIgnored()
    {
        var line = File.Exists("/proc/self/status") ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) : null;
        return line != null && (ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << 1)) != 0;
    }

    [SkippableFact]
    public void Ctrl_c_while_waiting_cancels_cleanly_and_generates_nothing()
    {
        Skip.If(OperatingSystem.IsWindows(), "SIGINT is sent with kill(1)");
        Forecast(TimeSpan.FromMinutes(20));
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = _dir };
        foreach (var a in new[] { CarbonLspProcess.Dll }.Concat(Uk("generate", TinyFile(), "--when", "cleanest", "--within", "1h"))) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = new StringBuilder();
        var waiting = new TaskCompletionSource();
        p.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); if (e.Data?.Contains("waiting for the cleanest window") == true) waiting.TrySetResult(); };
        p.BeginErrorReadLine();
        _ = p.StandardOutput.ReadToEndAsync();
        Assert.True(waiting.Task.Wait(TimeSpan.FromSeconds(30)), $"it never said it waits:\n{stderr}");
        // Ctrl+C's SIGINT, unless this process ignores it (a shell starts background jobs so, and the child
        // inherits it: CI's harness may); then SIGTERM, which the command handles the same way.
        Process.Start("kill", new[] { SigIntIgnored() ? "-TERM" : "-INT", p.Id.ToString(CultureInfo.InvariantCulture) })!.WaitForExit();
        Assert.True(p.WaitForExit(15_000), "it did not stop on Ctrl+C");
        p.WaitForExit();
        Assert.Equal(130, p.ExitCode);
        lock (stderr) Assert.Contains("cancelled while waiting for the cleanest window; nothing was generated", stderr.ToString());
        Assert.False(Directory.Exists(Path.Combine(_dir, "generated")));
    }
}
