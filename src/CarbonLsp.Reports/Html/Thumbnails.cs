using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;

namespace CarbonLsp.Reports.Html;

/// <summary>Small JPEG thumbnails as data URIs, so the report is one file that needs nothing when opened and
/// stays small with thousands of runs (a 160-pixel thumbnail is 3-8 kB; a full 512-pixel PNG 300 kB).</summary>
public static class Thumbnails
{
    public const int Size = 160;

    /// <summary>The thumbnail, or null with the reason (missing, outside the workspace, not an image).</summary>
    public static string? DataUri(string path, string workspace, out string? problem)
    {
        problem = null;
        var full = Path.GetFullPath(path);
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(workspace)) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal)) { problem = "outside the workspace: not read"; return null; }
        if (!File.Exists(full)) { problem = "missing on disk"; return null; }
        try
        {
            var info = new FileInfo(full);
            if (info.Length > 64L * 1024 * 1024) { problem = "over 64 MB: not read"; return null; }
            using var image = Image.Load(full);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(Size, Size), Mode = ResizeMode.Max }));
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream, new JpegEncoder { Quality = 72 });
            return "data:image/jpeg;base64," + Convert.ToBase64String(stream.ToArray());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or UnknownImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            problem = $"not readable as an image ({ex.GetType().Name})";
            return null;
        }
    }
}
