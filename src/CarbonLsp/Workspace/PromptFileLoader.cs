using System.Text;

namespace CarbonLsp.Workspace;

/// <summary>Reads prompt files for the command line: UTF-8 (a BOM is fine), with a size limit so a
/// wrong argument cannot exhaust memory. Failures are returned as messages, never thrown.</summary>
public static class PromptFileLoader
{
    public const long MaxBytes = 64L * 1024 * 1024;

    public static bool TryRead(string path, out string text, out string error)
    {
        text = string.Empty;
        error = string.Empty;
        try
        {
            var info = new FileInfo(path);
            if (Directory.Exists(path)) { error = $"{path}: is a directory; give a *.prompts.json file."; return false; }
            if (!info.Exists) { error = $"{path}: file not found."; return false; }
            if (info.Length > MaxBytes) { error = $"{path}: {info.Length / (1024 * 1024)} MB is over the {MaxBytes / (1024 * 1024)} MB limit for a prompt file."; return false; }
            text = File.ReadAllText(path, new UTF8Encoding(false));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException or NotSupportedException)
        {
            error = $"{path}: cannot be read ({ex.Message.TrimEnd('.')}).";
            return false;
        }
    }
}
