using Newtonsoft.Json.Linq;

namespace CarbonLsp.Cli.Tests;

/// <summary>The command line end to end, through the built executable.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("carbonlsp-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Good = """
        { "device": "nvidia-h100", "region": "FR",
          "prompts": [ { "id": "hero", "prompt": "a lighthouse", "model": "sdxl", "steps": 30, "guidance": 5 } ] }
        """;

    [Fact]
    public void Estimate_json_has_the_documented_shape()
    {
        var path = Write("a.prompts.json", Good);
        var r = CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var file = JObject.Parse(r.Stdout)["files"]![0]!;
        Assert.Equal(path, (string)file["path"]!);
        Assert.Empty((JArray)file["errors"]!);
        var p = file["prompts"]![0]!;
        Assert.Equal("hero", (string)p["id"]!);
        Assert.Equal("sdxl", (string)p["model"]!);
        Assert.Equal(30, (int)p["settings"]!["steps"]!);
        foreach (var key in new[] { "energyWh", "acceleratorWh", "hostWh", "co2eGrams" })
        {
            var v = p[key]!;
            Assert.True((double)v["low"]! <= (double)v["mid"]! && (double)v["mid"]! <= (double)v["high"]!, key);
        }
        Assert.Equal(56.0, (double)p["intensity"]!);
        Assert.Matches("^[A-E]$", (string)p["rating"]!);
        var finding = p["findings"]!.First(f => (string)f["code"]! == "CL105");
        Assert.Equal("information", (string)finding["severity"]!);
        Assert.Equal(1, (int)finding["range"]!["start"]!["line"]!);
        Assert.NotEmpty((JArray)finding["fixes"]![0]!["edits"]!);
        Assert.True((double)file["totals"]!["co2eGrams"]!["mid"]! > 0);
    }

    [Fact]
    public void Json_lists_file_rule_findings_under_the_prompt_they_are_about()
    {
        // CL108 (a duplicate prompt) and CL009 (a duplicate id) come from file rules; the table and SARIF
        // showed them, the JSON report dropped them.
        var path = Write("d.prompts.json", """{ "prompts": [ { "id": "a", "prompt": "a cat", "model": "sdxl", "seed": 1 }, { "id": "b", "prompt": "a cat", "model": "sdxl", "seed": 1 }, { "id": "A", "prompt": "a dog", "model": "sdxl" } ] }""");
        var file = JObject.Parse(CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json").Stdout)["files"]![0]!;
        Assert.Contains(file["prompts"]![1]!["findings"]!, f => (string)f["code"]! == "CL108");
        Assert.Contains(file["prompts"]![2]!["findings"]!, f => (string)f["code"]! == "CL009");
        Assert.Contains(file["errors"]!, f => (string)f["code"]! == "CL009");
    }

    [Fact]
    public void Token_counts_are_exact_out_of_the_box_with_the_bundled_clip_vocabulary()
    {
        var words = string.Join(" ", Enumerable.Repeat("a lighthouse on a cliff at dawn,", 12));
        var path = Write("long.prompts.json", $$"""{ "prompts": [ { "prompt": "{{words}}", "model": "sd15" } ] }""");
        var file = JObject.Parse(CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json").Stdout)["files"]![0]!;
        var finding = file["prompts"]![0]!["findings"]!.Single(f => (string)f["code"]! == "CL106");
        Assert.Contains("CLIP tokens", (string)finding["message"]!);
        Assert.DoesNotContain("approximate", (string)finding["message"]!);
    }

    /// <summary>Issue 22: `check --fix` applies the preferred fixes (as fix-all in the editor); `--dry-run` shows them and writes nothing.</summary>
    [Fact]
    public void Check_fix_applies_the_preferred_fixes_and_dry_run_only_shows_them()
    {
        var original = """
            { "device": "nvidia-h100", "region": "FR",
              "prompts": [
                { "id": "hero", "prompt": "a lighthouse at dawn", "model": "sdxl", "steps": 120 },
                { "id": "icon", "prompt": "a leaf icon", "model": "sdxl-turbo", "steps": 2, "guidance": 7.5 }
              ] }
            """;
        var path = Write("fix.prompts.json", original);
        var dry = CarbonLspProcess.Run(_dir, "check", path, "--fix", "--dry-run");
        Assert.Contains("(would apply) Fix 2 problems", dry.Stderr);
        Assert.Contains("-    { \"id\": \"hero\", \"prompt\": \"a lighthouse at dawn\", \"model\": \"sdxl\", \"steps\": 120 },", dry.Stderr);
        Assert.Contains("\"steps\": 25 },", dry.Stderr);
        Assert.Equal(original, File.ReadAllText(path));
        var fixedRun = CarbonLspProcess.Run(_dir, "check", path, "--fix");
        Assert.Equal(0, fixedRun.ExitCode);
        Assert.Contains("Fix 2 problems", fixedRun.Stderr);
        var text = File.ReadAllText(path);
        Assert.Contains("\"steps\": 25", text);
        Assert.Contains("\"guidance\": 0", text);
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        var again = CarbonLspProcess.Run(_dir, "check", path, "--fix");
        Assert.DoesNotContain("Fix ", again.Stderr);   // nothing left to fix
        Assert.Equal(2, CarbonLspProcess.Run(_dir, "estimate", path, "--dry-run").ExitCode);
    }

    /// <summary>Issue 22: `models` lists the catalog with energy per image on the device, what generate can run
    /// here (carbon-tiny ships), and the export command for the rest.</summary>
    [Fact]
    public void Models_lists_energy_per_image_what_is_installed_and_how_to_get_the_rest()
    {
        var r = CarbonLspProcess.Run(_dir, "models", "--device", "nvidia-h100", "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var root = JObject.Parse(r.Stdout);
        Assert.Equal("nvidia-h100", (string)root["device"]!);
        var models = (JArray)root["models"]!;
        var tiny = models.Single(m => (string)m["Id"]! == "carbon-tiny");
        Assert.NotNull((string?)tiny["InstalledAt"]);
        var sdxl = models.Single(m => (string)m["Id"]! == "sdxl");
        Assert.Contains("optimum-cli export onnx --model stabilityai/stable-diffusion-xl-base-1.0", (string)sdxl["HowToGet"]!);
        Assert.True((double)sdxl["WhPerImage"]! > (double)tiny["WhPerImage"]!);
        var flux = models.Single(m => (string)m["Id"]! == "flux-dev");
        Assert.False((bool)flux["Generates"]!);
        var wh = models.Select(m => (double)m["WhPerImage"]!).ToList();
        Assert.Equal(wh.Order(), wh);   // lightest first
        var table = CarbonLspProcess.Run(_dir, "models", "--device", "nvidia-h100");
        Assert.Contains("generate here", table.Stdout);
        Assert.Contains("installed", table.Stdout);
    }

    /// <summary>Issue 22: estimate and check take folders (recursively, *.prompts.json; hidden folders and
    /// node_modules skipped) and give a grand total; a folder without prompt files is said, exit 2.</summary>
    [Fact]
    public void Folders_are_searched_and_the_files_add_up_to_a_grand_total()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "team", "spring"));
        Directory.CreateDirectory(Path.Combine(_dir, "team", ".git"));
        Directory.CreateDirectory(Path.Combine(_dir, "team", "node_modules"));
        File.WriteAllText(Path.Combine(_dir, "team", "a.prompts.json"), Good);
        File.WriteAllText(Path.Combine(_dir, "team", "spring", "b.prompts.json"), Good.Replace("\"steps\": 30", "\"steps\": 60"));
        File.WriteAllText(Path.Combine(_dir, "team", ".git", "x.prompts.json"), Good);
        File.WriteAllText(Path.Combine(_dir, "team", "node_modules", "y.prompts.json"), Good);
        File.WriteAllText(Path.Combine(_dir, "team", "notes.json"), "{}");
        var json = CarbonLspProcess.Run(_dir, "estimate", Path.Combine(_dir, "team"), "--format", "json");
        Assert.Equal(0, json.ExitCode);
        var root = JObject.Parse(json.Stdout);
        var files = (JArray)root["files"]!;
        Assert.Equal(2, files.Count);
        Assert.EndsWith("a.prompts.json", (string)files[0]!["path"]!);
        Assert.EndsWith(Path.Combine("spring", "b.prompts.json"), (string)files[1]!["path"]!);
        var total = root["total"]!;
        Assert.Equal(2, (int)total["files"]!);
        Assert.Equal((double)files[0]!["totals"]!["co2eGrams"]!["mid"]! + (double)files[1]!["totals"]!["co2eGrams"]!["mid"]!, (double)total["co2eGrams"]!["mid"]!, 5);
        var table = CarbonLspProcess.Run(_dir, "check", Path.Combine(_dir, "team"));
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("All 2 files: 2 prompts, 2 images", table.Stdout);
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var empty = CarbonLspProcess.Run(_dir, "check", Path.Combine(_dir, "empty"));
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("no *.prompts.json in this folder or below it", empty.Stderr);
    }

    /// <summary>Issue 20, item 4: a run of more than 100 images shows its footprint and asks first; with no
    /// terminal to ask at, it refuses and names --yes, which runs it.</summary>
    [Fact]
    public void More_than_100_images_show_the_footprint_and_need_a_yes()
    {
        var path = Write("many.prompts.json", """{ "device": "cpu", "prompts": [ { "id": "m", "prompt": "a red circle on a blue background", "model": "carbon-tiny", "steps": 1, "images": 101, "seed": 1 } ] }""");
        var refused = CarbonLspProcess.Run(_dir, "generate", path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("this run makes 101 images: about", refused.Stderr);
        Assert.Contains("CO2e", refused.Stderr);
        Assert.Contains("add --yes to generate them without asking", refused.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "generated")));
        // --yes goes past the question without asking (a model that is not installed keeps the test from making 101 images).
        var other = Write("many-turbo.prompts.json", """{ "device": "cpu", "prompts": [ { "id": "m", "prompt": "a cat", "model": "sdxl-turbo", "images": 101, "seed": 1 } ] }""");
        var done = CarbonLspProcess.Run(_dir, "generate", other, "--yes");
        Assert.Equal(1, done.ExitCode);
        Assert.Contains("m not generated: Model \"sdxl-turbo\" is not installed", done.Stderr);
        Assert.DoesNotContain("this run makes", done.Stderr);
    }

    /// <summary>At a terminal (a pseudo-terminal from util-linux's `script`), the question is asked and "n" cancels.</summary>
    [SkippableFact]
    public void At_a_terminal_the_question_is_asked_and_no_means_nothing_is_generated()
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "util-linux's script is not installed");
        var path = Write("many.prompts.json", """{ "device": "cpu", "prompts": [ { "id": "m", "prompt": "a red circle", "model": "carbon-tiny", "steps": 1, "images": 500, "seed": 1 } ] }""");
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in new[] { "-qec", $"dotnet {CarbonLspProcess.Dll} generate {path}; echo exit=$?", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write("n\n");
        p.StandardInput.Flush();
        Assert.True(p.WaitForExit(60_000), "no exit in 60 s");
        var text = stdout.Result;
        Assert.Contains("this run makes 500 images", text);
        Assert.Contains("Generate them? [y/N]", text);
        Assert.Contains("not generated", text);
        Assert.Contains("exit=130", text);
        Assert.False(Directory.Exists(Path.Combine(_dir, "generated")));
    }

    /// <summary>Issue 20, item 5: these were exit 70 ("internal error") with ONNX Runtime's message.</summary>
    [Theory]
    [InlineData("width", "72", "tiny cannot generate 72×64: width and height must be multiples of 16")]
    [InlineData("unet", "decoder", "is not a unet export")]
    [InlineData("scheduler", "FooScheduler", "names \"FooScheduler\", which CarbonLsp cannot run")]
    public void A_request_or_model_folder_that_cannot_run_is_one_line_and_exit_1(string what, string value, string expected)
    {
        var folder = Path.Combine(_dir, "tiny");
        var source = Path.Combine(AppContext.BaseDirectory, "models", "carbon-tiny");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        if (what == "unet") File.Copy(Path.Combine(folder, "vae_decoder", "model.onnx"), Path.Combine(folder, "unet", "model.onnx"), overwrite: true);
        if (what == "scheduler")
        {
            var config = Path.Combine(folder, "scheduler", "scheduler_config.json");
            var json = JObject.Parse(File.ReadAllText(config));
            json["_class_name"] = value;
            File.WriteAllText(config, json.ToString());
        }
        var width = what == "width" ? value : "64";
        var path = Write("bad.prompts.json", $$"""{ "device": "cpu", "prompts": [ { "id": "a", "prompt": "a red circle on a blue background", "model": "./tiny", "steps": 2, "width": {{width}}, "height": 64, "seed": 1 } ] }""");
        var r = CarbonLspProcess.Run(_dir, "generate", path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);   // no stack trace
    }

    [Fact]
    public void Generate_makes_the_other_prompts_when_one_model_is_not_installed_and_says_how_to_get_it()
    {
        var path = Write("g.prompts.json", """{ "device": "cpu", "prompts": [ { "id": "turbo", "prompt": "a cat", "model": "sdxl-turbo", "seed": 1 }, { "id": "tiny", "prompt": "a small red circle on a blue background", "model": "carbon-tiny", "steps": 2, "seed": 1 } ] }""");
        var r = CarbonLspProcess.Run(_dir, "generate", path);
        Assert.Equal(1, r.ExitCode);
        Assert.True(File.Exists(Path.Combine(_dir, "generated", "tiny.png")), r.Stdout + r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "generated", "turbo.png")));
        Assert.Contains("turbo not generated", r.Stderr);
        Assert.Contains("optimum-cli export onnx --model stabilityai/sdxl-turbo", r.Stderr);
    }

    [Fact]
    public void The_table_fits_80_columns_when_COLUMNS_says_so_and_stays_wide_otherwise()
    {
        var path = Write("w.prompts.json", """{ "region": "DE", "prompts": [ { "id": "hero", "prompt": "a lighthouse at dawn, watercolour", "model": "sdxl", "steps": 80 }, { "id": "icon", "prompt": "a leaf icon", "model": "sdxl-turbo", "steps": 4, "guidance": 7.5 } ] }""");
        var narrow = CarbonLspProcess.RunWith(_dir, new Dictionary<string, string> { ["COLUMNS"] = "80" }, "estimate", path);
        Assert.Equal(0, narrow.ExitCode);
        var lines = narrow.Stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.StartsWith("hero ", StringComparison.Ordinal) && l.Contains("sdxl · 80 steps · 1024×1024", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains('│'));
        var wide = CarbonLspProcess.RunWith(_dir, new Dictionary<string, string> { ["COLUMNS"] = "160" }, "estimate", path);
        Assert.Contains(wide.Stdout.Split('\n'), l => l.Contains("│ hero", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_device_is_priced_as_a_generic_class_and_json_says_it_is_unknown()
    {
        var path = Write("a.prompts.json", """{ "device": "nvidia-rtx-3090-super", "prompts": [ { "prompt": "a cat", "model": "flux", "width": 1024, "height": 1024 } ] }""");
        var r = CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        var file = JObject.Parse(r.Stdout)["files"]![0]!;
        Assert.False((bool)file["deviceKnown"]!);
        Assert.Equal("generic-nvidia-desktop", (string)file["device"]!);
        Assert.Contains("unknown to the catalog", (string)file["deviceChoice"]!);
        Assert.Contains(file["findings"]!, f => (string)f["code"]! == "CL006");
        var p = file["prompts"]![0]!;
        Assert.False((bool)p["modelKnown"]!);
        Assert.Equal("flux-dev", (string)p["estimatedAs"]!);
        Assert.Equal("first-principles", (string)p["basis"]!);
        // A typo on the command line is refused, with a suggestion.
        var typo = CarbonLspProcess.Run(_dir, "estimate", path, "--device", "nvidia-rtx-409");
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("did you mean nvidia-rtx-4090", typo.Stderr);
    }

    [Fact]
    public void Without_a_device_the_local_one_is_detected_and_said_unless_turned_off()
    {
        var path = Write("a.prompts.json", """{ "prompts": [ { "prompt": "a cat", "model": "sd15" } ] }""");
        var detected = JObject.Parse(CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json").Stdout)["files"]![0]!;
        if (File.Exists("/proc/cpuinfo")) // this machine's CPU (or its NVIDIA GPU) names the device
            Assert.StartsWith("detected on this machine", (string)detected["deviceChoice"]!);
        var off = CarbonLspProcess.RunWith(_dir, new Dictionary<string, string> { ["CARBONLSP_DETECT_DEVICE"] = "0" }, "estimate", path, "--format", "json");
        var file = JObject.Parse(off.Stdout)["files"]![0]!;
        Assert.Equal("nvidia-rtx-4090", (string)file["device"]!);
        Assert.StartsWith("the default", (string)file["deviceChoice"]!);
        Assert.True((bool)file["deviceKnown"]!);
    }

    [Fact]
    public void A_local_model_folder_is_priced_from_its_own_configs()
    {
        // The test fixture is a tiny SD 1.5-shaped UNet (sample_size 8): not priced as a full SD 1.5.
        var folder = Path.Combine(CarbonLspProcess.RepoRoot, "tests", "models", "tiny-sd15-int32");
        var path = Write("a.prompts.json", $$"""{ "device": "nvidia-rtx-4090", "prompts": [ { "prompt": "a cat", "model": {{Newtonsoft.Json.JsonConvert.ToString(folder)}}, "steps": 20 } ] }""");
        var file = JObject.Parse(CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json").Stdout)["files"]![0]!;
        var p = file["prompts"]![0]!;
        Assert.True((bool)p["modelKnown"]!);
        Assert.Equal("first-principles", (string)p["basis"]!);
        Assert.Equal(64, (int)p["settings"]!["width"]!);
        Assert.True((double)p["acceleratorWh"]!["mid"]! < 0.01, $"a tiny UNet is not SD 1.5: {p["acceleratorWh"]}");
    }

    [Fact]
    public void Validate_writes_the_fit_the_catalog_stores()
    {
        var r = CarbonLspProcess.Run(_dir, "validate", "--write-fit");
        Assert.Equal(0, r.ExitCode);
        var fit = JObject.Parse(r.Stdout);
        Assert.InRange((double)fit["utilisation1000"]!, 0.05, 1);
        Assert.NotNull(fit["modelEfficiency"]!["sdxl"]);
    }

    [Fact]
    public void Flags_override_the_file()
    {
        var path = Write("a.prompts.json", Good);
        var r = CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json", "--region", "PL", "--device", "nvidia-a100", "--pue", "1.2");
        var file = JObject.Parse(r.Stdout)["files"]![0]!;
        Assert.Equal("PL", (string)file["region"]!);
        Assert.Equal("nvidia-a100", (string)file["device"]!);
        Assert.Equal(1.2, (double)file["pue"]!);
    }

    [Fact]
    public void Table_output_shows_prompts_totals_and_fixes()
    {
        var path = Write("a.prompts.json", Good);
        var r = CarbonLspProcess.Run(_dir, "estimate", path);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("hero", r.Stdout);
        Assert.Contains("Total 1 prompts", r.Stdout);
        Assert.Contains("fix: Switch to sdxl-turbo", r.Stdout);
        Assert.Contains("miles driven", r.Stdout);
    }

    [Fact]
    public void Sarif_is_2_1_0_with_rules_and_results()
    {
        var path = Write("a.prompts.json", Good);
        var r = CarbonLspProcess.Run(_dir, "estimate", path, "--format", "sarif");
        var log = JObject.Parse(r.Stdout);
        Assert.Equal("2.1.0", (string)log["version"]!);
        var run = log["runs"]![0]!;
        Assert.Contains(run["tool"]!["driver"]!["rules"]!, x => (string)x["id"]! == "CL105");
        var result = run["results"]!.First(x => (string)x["ruleId"]! == "CL105");
        Assert.Equal("note", (string)result["level"]!);
        Assert.Equal(2, (int)result["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!);
    }

    [Fact]
    public void Check_passes_a_clean_file_and_fails_on_errors_or_budget()
    {
        Assert.Equal(0, CarbonLspProcess.Run(_dir, "check", Write("ok.prompts.json", Good)).ExitCode);
        var broken = CarbonLspProcess.Run(_dir, "check", Write("bad.prompts.json", "{ \"prompts\": [ { \"prompt\": 1 "));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("has errors", broken.Stderr);
        var over = CarbonLspProcess.Run(_dir, "check", Write("over.prompts.json", Good.Replace("\"region\": \"FR\",", "\"region\": \"FR\", \"budget\": { \"co2eGrams\": 0.0001 },")));
        Assert.Equal(1, over.ExitCode);
        Assert.Contains("exceeds its carbon budget", over.Stderr);
    }

    [Theory]
    [InlineData("estimate")]
    [InlineData("estimate", "x.prompts.json", "--format", "xml")]
    [InlineData("estimate", "x.prompts.json", "--device", "toaster")]
    [InlineData("estimate", "x.prompts.json", "--pue", "abc")]
    [InlineData("estimate", "x.prompts.json", "--region", "XX")]
    [InlineData("frobnicate")]
    public void Bad_arguments_give_one_line_and_exit_2(params string[] args)
    {
        Write("x.prompts.json", Good);
        var r = CarbonLspProcess.Run(_dir, args);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("carbonlsp: ", lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Theory]
    [InlineData("estimate", "Germany", "did you mean DE (Germany)?")]
    [InlineData("report", "germany", "did you mean DE (Germany)?")]
    [InlineData("estimate", "US-CA", "sub-national grids are not in the catalog")]
    [InlineData("grid", "Germany", "did you mean DE (Germany)?")]
    public void A_country_written_by_name_gets_did_you_mean_to_its_code(string command, string region, string expected)
    {
        Write("x.prompts.json", Good);
        var r = command == "grid" ? CarbonLspProcess.Run(_dir, "grid", region) : CarbonLspProcess.Run(_dir, command, "x.prompts.json", "--region", region);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
    }

    [Fact]
    public void Unreadable_files_give_one_line_and_exit_2()
    {
        var r = CarbonLspProcess.Run(_dir, "check", Path.Combine(_dir, "missing.prompts.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("file not found", r.Stderr);
        // A folder is searched (issue 22); one without prompt files is said, exit 2.
        var d = CarbonLspProcess.Run(_dir, "estimate", _dir);
        Assert.Equal(2, d.ExitCode);
        Assert.Contains("no *.prompts.json in this folder or below it", d.Stderr);
    }

    [Fact]
    public void Binary_garbage_is_a_diagnostic_not_a_crash()
    {
        var path = Path.Combine(_dir, "junk.prompts.json");
        File.WriteAllBytes(path, Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 256)).ToArray());
        var r = CarbonLspProcess.Run(_dir, "estimate", path, "--format", "json");
        Assert.Equal(0, r.ExitCode);
        Assert.NotEmpty((JArray)JObject.Parse(r.Stdout)["files"]![0]!["errors"]!);
    }

    [Fact]
    public void The_examples_run()
    {
        var r = CarbonLspProcess.Run(CarbonLspProcess.RepoRoot, "estimate", "examples/campaign.prompts.json", "examples/tiny.prompts.json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("carbon-tiny", r.Stdout);
    }
}
