using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CarbonLsp.EndToEnd.Tests;

/// <summary>Checks of the shipped editor configurations that need no editor: the LSP4IJ template,
/// the Helix snippet, and that every editor agrees with the server on settings and file names.</summary>
public class EditorConfigTests
{
    private static string Editors(params string[] parts) => Path.Combine(new[] { Clients.RepoRoot, "editors" }.Concat(parts).ToArray());

    private static JsonElement ReadJson(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing");
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        return doc.RootElement.Clone();
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", "[^/\\\\]*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase);

    private static string Rid => RuntimeInformation.RuntimeIdentifier is var rid && Regex.IsMatch(rid, "^(debian|ubuntu|alpine|fedora|rhel)")
        ? Regex.Replace(rid, "^[a-z]+[^-]*-", "linux-") : RuntimeInformation.RuntimeIdentifier;

    [Fact]
    public void Jetbrains_template_files_parse_and_have_the_required_keys()
    {
        foreach (var f in new[] { "template.json", "settings.json", "settings.schema.json", "initializationOptions.json" })
            ReadJson(Editors("jetbrains", f));
        Assert.True(File.Exists(Editors("jetbrains", "README.md")));

        var t = ReadJson(Editors("jetbrains", "template.json"));
        Assert.Equal("carbonlsp", t.GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("name").GetString()));
        var args = t.GetProperty("programArgs");
        Assert.False(string.IsNullOrWhiteSpace(args.GetProperty("default").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(args.GetProperty("windows").GetString()));

        var mappings = t.GetProperty("fileTypeMappings").EnumerateArray().ToList();
        Assert.NotEmpty(mappings);
        var patterns = mappings.SelectMany(m => m.GetProperty("fileType").GetProperty("patterns").EnumerateArray().Select(p => p.GetString()!)).ToList();
        Assert.Contains("*.prompts.json", patterns);
        foreach (var m in mappings)
        {
            Assert.False(string.IsNullOrWhiteSpace(m.GetProperty("fileType").GetProperty("name").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(m.GetProperty("languageId").GetString()));
        }
        var globs = patterns.Select(Glob).ToList();
        Assert.Contains(globs, g => g.IsMatch("campaign.prompts.json"));
        Assert.DoesNotContain(globs, g => g.IsMatch("package.json") || g.IsMatch("prompts.json.bak"));
    }

    [Fact]
    public void Jetbrains_command_starts_the_published_server_for_this_platform()
    {
        var args = ReadJson(Editors("jetbrains", "template.json")).GetProperty("programArgs");
        var windows = OperatingSystem.IsWindows();
        var key = windows ? "windows" : OperatingSystem.IsMacOS() && args.TryGetProperty("mac", out _) ? "mac"
            : !OperatingSystem.IsMacOS() && args.TryGetProperty("unix", out _) ? "unix" : "default";
        var command = args.GetProperty(key).GetString()!;
        var exeName = windows ? "carbonlsp.exe" : "carbonlsp";

        // Shape: a shell that expands the user's paths, the executable, then the `serve` verb.
        Assert.Matches(windows ? @"^cmd /c " : @"^sh -c ", command);
        Assert.Matches($@"[/\\]{Regex.Escape(exeName)}\W.*\bserve\b", command);
        if (!windows) Assert.Contains("${CARBONLSP_SERVER:-", command);

        // With a publish folder (build.ps1 publish), the executable the command names must be in it.
        var publish = Path.Combine(Clients.RepoRoot, "artifacts", "publish", Rid);
        if (Directory.Exists(publish))
        {
            var exe = Path.Combine(publish, exeName);
            Assert.True(File.Exists(exe), $"{publish} has no {exeName}, which the template starts");
            if (!windows) Assert.True((File.GetUnixFileMode(exe) & UnixFileMode.UserExecute) != 0, $"{exe} is not executable");
        }
    }

    [Fact]
    public void Jetbrains_settings_use_only_keys_and_values_the_schema_allows()
    {
        var schema = ReadJson(Editors("jetbrains", "settings.schema.json")).GetProperty("properties").GetProperty("carbonlsp");
        var settings = ReadJson(Editors("jetbrains", "settings.json")).GetProperty("carbonlsp");
        var allowed = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var p in settings.EnumerateObject()) Assert.Contains(p.Name, allowed);
        var ruleKeys = schema.GetProperty("properties").GetProperty("rules").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var p in settings.GetProperty("rules").EnumerateObject()) Assert.Contains(p.Name, ruleKeys);
        var devices = schema.GetProperty("properties").GetProperty("device").GetProperty("enum").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(settings.GetProperty("device").GetString(), devices);
        // The editors offer exactly the catalog's named devices.
        var catalog = ReadJson(Path.Combine(Clients.RepoRoot, "src", "CarbonLsp.Core", "Data", "catalog.json")).GetProperty("devices").EnumerateArray()
            .Where(d => !(d.TryGetProperty("generic", out var g) && g.GetBoolean())).Select(d => d.GetProperty("id").GetString()).Order();
        Assert.Equal(catalog, devices.Order());
        // The server's documented keys are all there.
        foreach (var k in new[] { "region", "device", "pue", "budget", "rules", "tokenizerPath", "modelsPath", "trustedModelFolders", "outputDir", "debounceMs", "inlayHints", "codeLens" })
            Assert.Contains(k, allowed);
    }

    [Fact]
    public void Vscode_settings_mirror_the_server_keys_of_the_jetbrains_schema()
    {
        var schema = ReadJson(Editors("jetbrains", "settings.schema.json")).GetProperty("properties").GetProperty("carbonlsp").GetProperty("properties");
        var expected = schema.EnumerateObject().Select(p => p.Name).ToHashSet();
        var pkg = ReadJson(Editors("vscode", "package.json"));
        var props = pkg.GetProperty("contributes").GetProperty("configuration").GetProperty("properties").EnumerateObject()
            .Select(p => p.Name).Where(n => !n.StartsWith("carbonlsp.server.") && n is not ("carbonlsp.trace.server" or "carbonlsp.statusBar")).ToList();
        // Extension-only keys (server.*, trace.server, statusBar) are not the server's. rules.* are
        // flattened in VS Code's settings UI ("carbonlsp.rules.stepsTolerance").
        var top = props.Select(n => n["carbonlsp.".Length..].Split('.')[0]).ToHashSet();
        Assert.Equal(expected.OrderBy(x => x), top.OrderBy(x => x));
        var languages = pkg.GetProperty("contributes").GetProperty("languages").EnumerateArray().ToList();
        Assert.Contains(languages, l => l.TryGetProperty("filenamePatterns", out var fp) && fp.EnumerateArray().Any(p => p.GetString() == "*.prompts.json"));
    }

    [Fact]
    public void Helix_snippet_registers_the_server_for_json()
    {
        var toml = File.ReadAllText(Editors("helix", "languages.toml"));
        Assert.Contains("[language-server.carbonlsp]", toml);
        Assert.Matches(@"(?m)^command\s*=\s*""carbonlsp""", toml);
        Assert.Matches(@"(?m)^args\s*=\s*\[\s*""serve""\s*\]", toml);
        Assert.Matches(@"(?m)^language-servers\s*=\s*\[.*""carbonlsp"".*\]", toml);
        Assert.True(File.Exists(Editors("helix", "README.md")));
    }

    [Fact]
    public void Neovim_and_emacs_configs_attach_to_prompt_files_only()
    {
        var lua = File.ReadAllText(Editors("neovim", "lua", "carbonlsp", "init.lua"));
        Assert.Contains("'*.prompts.json'", lua);
        Assert.Contains("vim.lsp.start_client", lua); // 0.7
        Assert.Contains("vim.lsp.start(", lua);       // 0.8+
        var el = File.ReadAllText(Editors("emacs", "carbonlsp.el"));
        var m = Regex.Match(el, @"\(""(\\\\\.prompts\\\\\.json\\\\')"" \. carbonlsp-prompts-mode\)");
        Assert.True(m.Success, "auto-mode-alist entry for \\.prompts\\.json\\' is missing");
        Assert.Contains("eglot-server-programs", el);
        Assert.True(File.Exists(Editors("neovim", "README.md")));
    }
}
