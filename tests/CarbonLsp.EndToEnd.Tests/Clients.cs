using System.Diagnostics;
using System.Text;

// Each client test starts processes (a client and the server); on two cores they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace CarbonLsp.EndToEnd.Tests;

/// <summary>Paths, client discovery and process running shared by the end-to-end tests.</summary>
public static class Clients
{
    /// <summary>Set in CI: a missing client fails the test instead of skipping it.</summary>
    public static bool Required => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CARBONLSP_REQUIRE_CLIENTS"));

    /// <summary>How long one client run may take before the test fails.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string RepoRoot { get; } = FindRoot();

    public static string ServerDll
    {
        get
        {
            var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var path = Path.Combine(RepoRoot, "src", "CarbonLsp", "bin", config, "net10.0", "carbonlsp.dll");
            Assert.True(File.Exists(path), $"build src/CarbonLsp first: {path} is missing");
            return path;
        }
    }

    /// <summary>Skips (or, under CARBONLSP_REQUIRE_CLIENTS, fails) when <paramref name="missing"/> is not null.</summary>
    public static void RequireClient(string? missing)
    {
        if (missing == null) return;
        if (Required) Assert.Fail($"client missing (CARBONLSP_REQUIRE_CLIENTS is set): {missing}");
        Skip.If(true, $"skipped: {missing}");
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? Which(string name)
    {
        var exts = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", ".bat", "" } : new[] { "" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var ext in exts)
            {
                var candidate = Path.Combine(dir, name + ext);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>A fresh folder holding a copy of an example prompt file; deleted on dispose.</summary>
    public sealed class Fixture : IDisposable
    {
        public string Dir { get; } = Path.Combine(Path.GetTempPath(), "carbonlsp-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        public string File { get; }

        public Fixture(string example = "campaign.prompts.json")
        {
            Directory.CreateDirectory(Dir);
            File = Path.Combine(Dir, example);
            System.IO.File.Copy(Path.Combine(RepoRoot, "examples", example), File);
        }

        public void Dispose()
        {
            try { Directory.Delete(Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
    {
        public override string ToString() => $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Tail(Stderr, 6000)}";
    }

    /// <summary>Runs a program to completion; kills its whole process tree and fails the test past <see cref="Timeout"/>.</summary>
    public static Result Run(string program, IEnumerable<string> args, string workingDirectory, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = workingDirectory, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var sw = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        p.Start();
        p.StandardInput.Close();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var limit = timeout ?? Timeout;
        if (!p.WaitForExit(limit))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit(5000);
            Assert.Fail($"{Path.GetFileName(program)} hung: killed after {limit.TotalSeconds:F0} s\n--- stdout ---\n{stdout}\n--- stderr ---\n{Tail(stderr.ToString(), 6000)}");
        }
        p.WaitForExit(); // drains the asynchronous readers
        lock (stdout) lock (stderr) return new Result(p.ExitCode, stdout.ToString(), stderr.ToString(), sw.Elapsed);
    }

    /// <summary>Fails with the whole transcript unless the run passed and printed every step.</summary>
    public static void AssertPassed(Result r, params string[] steps)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var step in steps)
            Assert.True(r.Stdout.Contains($"ok {step} "), $"step '{step}' missing\n{r}");
    }

    private static string Tail(string s, int n) => s.Length <= n ? s : "…" + s[^n..];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CarbonLsp.sln not found");
    }
}
