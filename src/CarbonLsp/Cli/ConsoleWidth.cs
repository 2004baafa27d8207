using System.Globalization;

namespace CarbonLsp.Cli;

/// <summary>How wide to lay out text: COLUMNS when it is set (a terminal's own, or a pipe's, as `COLUMNS=80
/// carbonlsp estimate … | less`), else the terminal's width, else a wide default when piped (a log keeps the
/// wide table).</summary>
public static class ConsoleWidth
{
    public static int For(int terminalWidth, bool redirected, int piped = 160)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns is >= 20 and <= 1000)
            return columns;
        return redirected ? piped : terminalWidth;
    }
}
