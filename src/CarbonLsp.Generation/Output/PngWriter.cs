using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CarbonLsp.Generation.Output;

/// <summary>Writes PNGs atomically (a temporary file in the same folder, then a rename), with an
/// AUTOMATIC1111-style "parameters" text chunk other tools read, and a "carbonlsp" chunk holding the
/// full JSON record.</summary>
public static class PngWriter
{
    public const string ParametersKey = "parameters";
    public const string RecordKey = "carbonlsp";

    public static void Write(string path, byte[] rgb, int width, int height, string parameters, string recordJson)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb, width, height);
        var png = image.Metadata.GetPngMetadata();
        png.TextData.Add(new PngTextData(ParametersKey, parameters, string.Empty, string.Empty));
        png.TextData.Add(new PngTextData(RecordKey, recordJson, string.Empty, string.Empty));
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                image.Save(stream, new PngEncoder { ColorType = PngColorType.Rgb, TextCompressionThreshold = int.MaxValue });
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>A1111's layout: prompt, "Negative prompt: …", then "Key: value, …" on the last line.</summary>
    public static string Parameters(string prompt, string negative, int steps, string sampler, double guidance, long seed, int width, int height, string model,
        double? energyWh, double? co2eGrams, string? energyMethod)
    {
        var inv = CultureInfo.InvariantCulture;
        var line = $"Steps: {steps}, Sampler: {sampler}, CFG scale: {guidance.ToString(inv)}, Seed: {seed}, Size: {width}x{height}, Model: {model}";
        if (energyWh is { } e) line += $", Energy: {e.ToString("0.######", inv)} Wh";
        if (co2eGrams is { } g) line += $", CO2e: {g.ToString("0.######", inv)} g";
        if (energyMethod != null) line += $", Energy method: {energyMethod}";
        line += ", Generator: CarbonLsp";
        var text = prompt;
        if (!string.IsNullOrEmpty(negative)) text += "\nNegative prompt: " + negative;
        return text + "\n" + line;
    }

    /// <summary>Reads the text chunks back (for tests and for "Open image").</summary>
    public static IReadOnlyDictionary<string, string> ReadText(string path)
    {
        using var image = Image.Load(path);
        return image.Metadata.GetPngMetadata().TextData.ToDictionary(t => t.Keyword, t => t.Value);
    }
}
