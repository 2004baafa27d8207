namespace CarbonLsp.Generation.Tests;

/// <summary>
/// The programmatic checks of carbon-tiny's evaluation (tools/tiny-model/README.md, "Evaluation"),
/// in C#: background from the border ring, shape colour from the pixels far from it, 4-connected
/// components, shape kind from taper and fill, position from the centroid.
/// </summary>
public static class SceneChecks
{
    public sealed record Verdict(string? Background, string? Colour, string? Shape, string? Position, int Count);

    public static Verdict Check(byte[] rgb, int width, int height, IReadOnlyDictionary<string, int[]> palette)
    {
        double Dist(int[] a, int r, int g, int b) => Math.Sqrt(Math.Pow(a[0] - r, 2) + Math.Pow(a[1] - g, 2) + Math.Pow(a[2] - b, 2));
        string Nearest(int r, int g, int b, string? except = null) =>
            palette.Where(p => p.Key != except).OrderBy(p => Dist(p.Value, r, g, b)).First().Key;
        int Median(List<int> v) { v.Sort(); return v[v.Count / 2]; }

        var ring = new List<(int, int, int)>();
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            if (x < 2 || y < 2 || x >= width - 2 || y >= height - 2)
            {
                var i = (y * width + x) * 3;
                ring.Add((rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        var background = Nearest(Median(ring.Select(p => p.Item1).ToList()), Median(ring.Select(p => p.Item2).ToList()), Median(ring.Select(p => p.Item3).ToList()));
        var bg = palette[background];
        var far = new List<int>();
        for (var p = 0; p < width * height; p++)
            if (Dist(bg, rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]) > 80) far.Add(p);
        if (far.Count < 6) return new Verdict(background, null, null, null, 0);
        var colour = Nearest(Median(far.Select(p => (int)rgb[p * 3]).ToList()), Median(far.Select(p => (int)rgb[p * 3 + 1]).ToList()), Median(far.Select(p => (int)rgb[p * 3 + 2]).ToList()), except: background);
        var fg = palette[colour];
        var mask = new bool[width * height];
        for (var p = 0; p < width * height; p++)
            mask[p] = Dist(fg, rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]) < Dist(bg, rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]);
        var seen = new bool[width * height];
        var components = new List<List<int>>();
        for (var p = 0; p < width * height; p++)
        {
            if (!mask[p] || seen[p]) continue;
            var comp = new List<int>();
            var stack = new Stack<int>();
            stack.Push(p);
            seen[p] = true;
            while (stack.Count > 0)
            {
                var q = stack.Pop();
                comp.Add(q);
                int qx = q % width, qy = q / width;
                foreach (var (nx, ny) in new[] { (qx + 1, qy), (qx - 1, qy), (qx, qy + 1), (qx, qy - 1) })
                {
                    if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
                    var n = ny * width + nx;
                    if (mask[n] && !seen[n]) { seen[n] = true; stack.Push(n); }
                }
            }
            if (comp.Count >= 6) components.Add(comp);
        }
        if (components.Count == 0) return new Verdict(background, colour, null, null, 0);
        var largest = components.OrderByDescending(c => c.Count).First();
        int minY = largest.Min(q => q / width), maxY = largest.Max(q => q / width), minX = largest.Min(q => q % width), maxX = largest.Max(q => q % width);
        var h = maxY - minY + 1;
        var band = Math.Max(1, (int)Math.Round(0.3 * h, MidpointRounding.ToEven));
        double RowWidth(int y) => largest.Count(q => q / width == y);
        var top = Enumerable.Range(minY, band).Average(RowWidth);
        var bottom = Enumerable.Range(maxY - band + 1, band).Average(RowWidth);
        var taper = bottom > 0 ? top / bottom : 1;
        var fill = largest.Count / (double)((maxX - minX + 1) * h);
        var shape = taper < 0.6 ? "triangle" : fill >= 0.87 ? "square" : "circle";
        var all = components.SelectMany(c => c).ToList();
        var dx = all.Average(q => (double)(q % width)) - 31.5;
        var dy = all.Average(q => (double)(q / width)) - 31.5;
        string? position = Math.Abs(dx) < 8 && Math.Abs(dy) < 8 ? "center"
            : Math.Abs(dx) >= 8 && Math.Abs(dy) >= 8 ? $"{(dy < 0 ? "top" : "bottom")} {(dx < 0 ? "left" : "right")}" : null;
        return new Verdict(background, colour, shape, position, components.Count);
    }
}
