namespace CarbonLsp.Reports;

/// <summary>Writes a text file next to its target and renames it over: a crash leaves the old file or the new,
/// never half of one (reports, prompt files fixed by `check --fix`).</summary>
public static class AtomicText
{
    public static void Write(string path, string text)
    {
        var temp = path + ".carbonlsp.tmp";
        File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }
}
