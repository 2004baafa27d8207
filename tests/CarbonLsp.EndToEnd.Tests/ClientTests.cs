using System.Text.RegularExpressions;

namespace CarbonLsp.EndToEnd.Tests;

/// <summary>
/// Each test runs a real client as a separate process against the real server: open the example
/// prompt file, edit it (region DE → FR, the footprint must drop), hover on "steps", apply the
/// "Use N steps" quick fix's WorkspaceEdit the way that client does, and see CL101 go.
/// The client scripts live in tests/e2e; the Neovim and Emacs ones load the shipped editors/ configs.
/// </summary>
public class ClientTests
{
    private static Dictionary<string, string> Env(Clients.Fixture f) => new()
    {
        ["CARBONLSP_REPO"] = Clients.RepoRoot,
        ["CARBONLSP_DLL"] = Clients.ServerDll,
        ["CARBONLSP_E2E_FILE"] = f.File,
        ["CARBONLSP_E2E_TIMEOUT_MS"] = "50000",
    };

    [SkippableFact]
    public void Node_protocol_client_edits_hovers_and_applies_the_quick_fix()
    {
        var node = Clients.Which("node");
        var protocol = Path.Combine(Clients.RepoRoot, "tests", "e2e", "node", "node_modules", "vscode-languageserver-protocol", "package.json");
        Clients.RequireClient(node == null ? "node is not on PATH (install Node 20)"
            : !File.Exists(protocol) ? "tests/e2e/node has no node_modules: run `npm ci --prefix tests/e2e/node`" : null);
        using var f = new Clients.Fixture();
        var r = Clients.Run(node!, new[] { Path.Combine(Clients.RepoRoot, "tests", "e2e", "node", "client.js"), f.File, "dotnet", Clients.ServerDll, "serve" }, f.Dir, Env(f));
        Clients.AssertPassed(r, "initialize", "diagnostics", "edit", "hover", "lens+symbols", "quickfix", "shutdown");
    }

    [SkippableFact]
    public void Neovim_with_the_shipped_module_edits_hovers_and_applies_the_quick_fix()
    {
        var nvim = Clients.Which("nvim");
        string? missing = nvim == null ? "nvim is not on PATH (apt-get install -y neovim)" : null;
        if (nvim != null)
        {
            var version = Clients.Run(nvim, new[] { "--version" }, Clients.RepoRoot, timeout: TimeSpan.FromSeconds(20));
            var m = Regex.Match(version.Stdout, @"NVIM v(\d+)\.(\d+)");
            if (!m.Success || (int.Parse(m.Groups[1].Value) == 0 && int.Parse(m.Groups[2].Value) < 7))
                missing = $"Neovim 0.7 or later is needed, found: {version.Stdout.Split('\n')[0]}";
        }
        Clients.RequireClient(missing);
        using var f = new Clients.Fixture();
        var script = Path.Combine(Clients.RepoRoot, "tests", "e2e", "nvim", "e2e.lua");
        var r = Clients.Run(nvim!, new[] { "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", $"luafile {script}" }, f.Dir, Env(f));
        Clients.AssertPassed(r, "attach", "diagnostics", "edit", "hover", "codelens", "quickfix", "report", "shutdown");
    }

    [SkippableFact]
    public void Emacs_eglot_with_the_shipped_mode_edits_hovers_and_applies_the_quick_fix()
    {
        var emacs = Clients.Which("emacs");
        Clients.RequireClient(emacs == null ? "emacs is not on PATH (apt-get install -y emacs-nox elpa-eglot)" : null);
        using var f = new Clients.Fixture();
        var r = Clients.Run(emacs!, new[] { "-Q", "--batch", "-l", Path.Combine(Clients.RepoRoot, "tests", "e2e", "emacs", "e2e.el") }, f.Dir, Env(f));
        if (r.ExitCode == 4 && r.Stdout.Contains("MISSING"))
            Clients.RequireClient(r.Stdout.Split('\n').First(l => l.StartsWith("MISSING")).Trim());
        Clients.AssertPassed(r, "attach", "diagnostics", "edit", "hover", "quickfix", "shutdown");
    }

    /// <summary>Issue 19, item 15: the packaged extension (with its bundled server) in a real VS Code —
    /// code-server 4.100.3 on 127.0.0.1, driven by headless Chromium — shows diagnostics, the Problems panel,
    /// lenses, the status bar and a hover, and applies the quick fix to the saved file. Screenshots go to
    /// artifacts/e2e/vscode.</summary>
    [SkippableFact]
    public void Vscode_with_the_packaged_extension_shows_diagnostics_lenses_status_and_hover_and_applies_the_quick_fix()
    {
        var node = Clients.Which("node");
        var entry = Path.Combine(Clients.RepoRoot, "tests", "e2e", "vscode", "node_modules", "code-server", "out", "node", "entry.js");
        var vsix = Path.Combine(Clients.RepoRoot, "editors", "vscode", "carbonlsp.vsix");
        var chromium = Clients.Which("chromium");
        Clients.RequireClient(node == null ? "node is not on PATH (install Node 20)"
            : !File.Exists(entry) ? "tests/e2e/vscode is not installed: run tests/e2e/vscode/install.sh"
            : !File.Exists(vsix) ? "no packaged extension: run `dotnet pwsh ./build.ps1 package`"
            : chromium == null ? "chromium is not on PATH (apt-get install -y chromium)" : null);
        using var f = new Clients.Fixture();
        var env = Env(f);
        env["CARBONLSP_E2E_VSIX"] = vsix;
        env["CHROMIUM"] = chromium!;
        env["CARBONLSP_E2E_SHOTS"] = Path.Combine(Clients.RepoRoot, "artifacts", "e2e", "vscode");
        env["CARBONLSP_E2E_TIMEOUT_MS"] = "170000";
        var r = Clients.Run(node!, new[] { Path.Combine(Clients.RepoRoot, "tests", "e2e", "vscode", "vscode.mjs") }, f.Dir, env, TimeSpan.FromSeconds(180));
        if (r.ExitCode == 4 && r.Stdout.Contains("MISSING"))
            Clients.RequireClient(r.Stdout.Split('\n').First(l => l.StartsWith("MISSING")).Trim());
        Clients.AssertPassed(r, "install-extension", "code-server", "workbench", "open", "diagnostics", "lens+status", "hover", "quickfix", "json-checks", "server-path", "report");
    }
}
