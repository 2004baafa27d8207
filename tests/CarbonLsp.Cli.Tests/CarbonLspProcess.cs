using System.Diagnostics;

namespace CarbonLsp.Cli.Tests;

/// <summary>Runs the built executable (carbonlsp.dll beside the src project's output) as a separate process.</summary>
public static class CarbonLspProcess
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Dll
    {
        get
        {
            var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var path = Path.Combine(RepoRoot, "src", "CarbonLsp", "bin", config, "net10.0", "carbonlsp.dll");
            Assert.True(File.Exists(path), $"build src/CarbonLsp first: {path} is missing");
            return path;
        }
    }

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args) => RunWith(workingDirectory, null, args);

    public static Result RunWith(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        // Standard input is a pipe, closed at once: the command sees no terminal and no answer to a question.
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("COLUMNS"); // the layout follows COLUMNS: tests say it when they mean it
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("carbonlsp did not exit in 60 s"); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CarbonLsp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CarbonLsp.sln not found");
    }
}
