using System.CommandLine;
using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Estimation;
using CarbonLsp.Generation.Runs;
using CarbonLsp.Workspace;
using Newtonsoft.Json;
using Spectre.Console;

namespace CarbonLsp.Cli;

/// <summary>`carbonlsp models`: the catalog's models with each one's energy per image on this device (its
/// recommended steps, native size and guidance), whether it is installed for `generate`, and how to get it
/// (issue 22).</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var device = new Option<string?>("--device") { Description = "Price on this device (default: the detected one, as estimate does)." };
        var models = new Option<string?>("--models") { Description = "Folder with ONNX model folders named after catalog ids." };
        var format = new Option<string?>("--format") { Description = "table (default) or json." };
        var command = new Command("models", "The catalog's models: energy per image on this device, installed or how to get them.") { device, models, format };
        command.SetAction(r => Run(r.GetValue(device), r.GetValue(models), r.GetValue(format) ?? "table"));
        return command;
    }

    private sealed record Row(string Id, string Name, string Tier, int Steps, int Width, int Height, double Guidance, double WhPerImage, double Co2ePerImage,
                              bool Generates, string? InstalledAt, string? HowToGet);

    private static int Run(string? deviceName, string? modelsPath, string format)
    {
        if (format is not ("table" or "json")) throw new UsageException($"--format takes table or json, not '{format}'.");
        var analyzer = new DocumentAnalyzer();
        var catalog = analyzer.Catalog;
        if (deviceName != null && catalog.DeviceResolver.Resolve(deviceName) is { Known: false })
            throw new UsageException($"unknown device '{deviceName}'. Known: {string.Join(", ", catalog.Devices.Where(d => !d.Generic).Select(d => d.Id))}.");
        // The device and region as `estimate` would choose them for an empty file.
        var env = analyzer.Analyze("{ \"prompts\": [] }", new AnalysisOptions { Overrides = new Core.Analysis.Environment(Device: deviceName), DetectedDevice = LocalDevice.Detected });
        var locator = new ModelLocator(ModelLocator.DefaultDirectories(modelsPath), catalog);
        var cwd = Directory.GetCurrentDirectory();
        var rows = catalog.Models.Where(m => m.BaseModel == null || m.Id == "carbon-tiny").Select(m =>
        {
            var f = analyzer.Estimator.Estimate(new EstimateRequest(m, env.Device, m.RecommendedSteps, m.NativeWidth, m.NativeHeight, m.DefaultGuidance, Precision.Fp16), env.Region.GramsPerKWh, env.Pue);
            // The local generator runs UNet pipelines (SD 1.x/2.x, SDXL, LCM, turbo, carbon-tiny); transformer models are estimated only.
            var generates = m.Architecture != Core.Catalog.ModelArchitecture.Transformer;
            var at = generates ? locator.Installed(m, cwd) : null;
            return new Row(m.Id, m.Name, m.Tier.Name(), m.RecommendedSteps, m.NativeWidth, m.NativeHeight, m.DefaultGuidance, f.WhPerImage, f.Co2eGrams.Mid / Math.Max(1, f.Images),
                generates, at, generates && at == null ? locator.HowToGet(m.Id, m) : null);
        }).OrderBy(r => r.WhPerImage).ToList();
        if (format == "json")
        {
            Console.Out.WriteLine(JsonConvert.SerializeObject(new { device = env.Device.Id, region = env.Region.Code, models = rows }, Formatting.Indented));
            return CommandLine.ExitOk;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        console.Profile.Width = ConsoleWidth.For(console.Profile.Width, Console.IsOutputRedirected);
        console.MarkupLine($"Energy per image on [bold]{Markup.Escape(env.Device.Name)}[/] ({Markup.Escape(env.DeviceChoice.Explanation)}); CO2e at {env.Region.GramsPerKWh:0} g/kWh ({Markup.Escape(env.Region.Name)}) and PUE {env.Pue:0.##}; each at its recommended steps, native size and guidance.");
        var table = new Table().AddColumns("model", "steps, size", "per image", "generate here");
        foreach (var r in rows)
            table.AddRow(Markup.Escape($"{r.Id}"), Markup.Escape($"{r.Steps}, {r.Width}×{r.Height}"),
                Markup.Escape($"{Units.Wh(r.WhPerImage)}, {Units.Grams(r.Co2ePerImage)}"), !r.Generates ? "estimate only" : r.InstalledAt != null ? "[green]installed[/]" : "not installed");
        console.Write(table);
        foreach (var r in rows.Where(r => r.HowToGet != null)) console.MarkupLine($"[bold]{Markup.Escape(r.Id)}[/]: {Markup.Escape(r.HowToGet!)}");
        return CommandLine.ExitOk;
    }
}
