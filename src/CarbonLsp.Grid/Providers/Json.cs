using System.Globalization;
using Newtonsoft.Json.Linq;

namespace CarbonLsp.Grid.Providers;

/// <summary>Reading provider JSON strictly: a field that is missing or of another type is a clear error
/// naming the provider and the field, never a null reference deep inside.</summary>
internal static class Json
{
    public static JToken Field(JToken? parent, string name, string provider) =>
        parent is JObject o && o[name] is { Type: not JTokenType.Null } v ? v
            : throw new GridProviderException($"{provider} answered without \"{name}\" where its documented shape has it.");

    public static double Number(JToken? parent, string name, string provider) =>
        Field(parent, name, provider) is JValue { Type: JTokenType.Integer or JTokenType.Float } v && double.IsFinite((double)v) && (double)v >= 0 ? (double)v
            : throw new GridProviderException($"{provider} answered with \"{name}\" that is not a non-negative number.");

    public static DateTimeOffset Time(JToken? parent, string name, string provider)
    {
        var token = Field(parent, name, provider);
        if (token.Type == JTokenType.Date) return token.Value<DateTime>() is var d && d.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(d, TimeSpan.Zero) : new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero);
        if (token.Type == JTokenType.String && DateTimeOffset.TryParse((string)token!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t;
        throw new GridProviderException($"{provider} answered with \"{name}\" that is not a time: {token.ToString(Newtonsoft.Json.Formatting.None)}.");
    }

    public static JArray Array(JToken? parent, string name, string provider) =>
        Field(parent, name, provider) as JArray ?? throw new GridProviderException($"{provider} answered with \"{name}\" that is not a list.");

    /// <summary>The interval each point covers: up to the next point, the last as long as the one before (or an hour).</summary>
    public static List<Core.Grid.IntensityPoint> Steps(List<(DateTimeOffset At, double Value)> points, TimeSpan? fixedDuration = null)
    {
        points.Sort((a, b) => a.At.CompareTo(b.At));
        var result = new List<Core.Grid.IntensityPoint>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var duration = fixedDuration
                ?? (i + 1 < points.Count ? points[i + 1].At - points[i].At : i > 0 ? points[i].At - points[i - 1].At : TimeSpan.FromHours(1));
            if (duration > TimeSpan.Zero) result.Add(new Core.Grid.IntensityPoint(points[i].At, duration, points[i].Value));
        }
        return result;
    }
}
