using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>Diagnostics as UTF-8 JSON, each diagnostic's bytes reused from the last time the same
/// diagnostic was written.</summary>
/// <remarks>Written by hand because of size: a file with every prompt flagged has ~10,000 diagnostics,
/// 3.8 MB. Through StreamJsonRpc's formatter every argument first becomes a JToken tree (160-310 ms for
/// that list), is then written as text (40-75 ms) and encoded; against a 50 ms budget for the whole edit.
/// An edit keeps the findings of every prompt it did not touch, with the same message string, so the
/// bytes written for that message last time are reused when the rest of the diagnostic is the same too
/// (its range moves only when lines are added or removed above it). The cache is keyed weakly by the
/// message string: it lives as long as the findings do. Pushed diagnostics go through
/// <see cref="Features.DiagnosticEncoder"/> (which uses this for findings with related locations);
/// <see cref="Hosting.ResilientMessageHandler"/> writes a pushed list (a cleared file, a failed analysis)
/// from these bytes, and <see cref="DiagnosticListConverter"/> serves every other list (pull diagnostics).</remarks>
internal static class DiagnosticJson
{
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings { NullValueHandling = NullValueHandling.Ignore });
    private static readonly ConditionalWeakTable<string, Written> Cache = new();
    private static readonly byte[] Comma = { (byte)',' };

    private sealed record Written(Diagnostic Diagnostic, byte[] Utf8);

    /// <summary>The diagnostic as UTF-8 JSON: what Newtonsoft writes for it (ignoring nulls).</summary>
    public static byte[] Utf8(Diagnostic d)
    {
        if (Cache.TryGetValue(d.Message, out var last) && SameOnTheWire(last.Diagnostic, d)) return last.Utf8;
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text) { CloseOutput = false }) Serializer.Serialize(json, d);
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        Cache.AddOrUpdate(d.Message, new Written(d, bytes));
        return bytes;
    }

    /// <summary>Each diagnostic's UTF-8 (looked up once) and the length of them all, comma-separated.</summary>
    public static (byte[][] Parts, int Length) Elements(IReadOnlyList<Diagnostic> diagnostics)
    {
        var parts = new byte[diagnostics.Count][];
        var length = Math.Max(0, parts.Length - 1); // the commas
        for (var i = 0; i < parts.Length; i++) length += (parts[i] = Utf8(diagnostics[i])).Length;
        return (parts, length);
    }

    /// <summary>The elements, comma-separated (no brackets).</summary>
    public static void WriteElements(byte[][] parts, IBufferWriter<byte> output)
    {
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) output.Write(Comma);
            output.Write(parts[i]);
        }
    }

    /// <summary>The whole publishDiagnostics notification (JSON-RPC envelope included), in UTF-8.</summary>
    public static (byte[] Head, byte[] Tail) Envelope(PublishDiagnosticsParams p) => Envelope(p.Uri, p.Version);

    /// <summary>The notification around a diagnostics array: the text before its first element and after its last.</summary>
    public static (byte[] Head, byte[] Tail) Envelope(string uri, int? version)
    {
        var head = "{\"jsonrpc\":\"2.0\",\"method\":" + JsonConvert.ToString(Methods.PublishDiagnostics) + ",\"params\":{\"uri\":" + JsonConvert.ToString(uri)
                   + (version is { } v ? ",\"version\":" + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + ",\"diagnostics\":[";
        return (Encoding.UTF8.GetBytes(head), "]}}"u8.ToArray());
    }

    /// <summary>Equal in everything that is written (records compare arrays by reference, so not Equals).</summary>
    private static bool SameOnTheWire(Diagnostic a, Diagnostic b) =>
        a.Range == b.Range && a.Severity == b.Severity && a.Code == b.Code && a.CodeDescription == b.CodeDescription && a.Source == b.Source
        && a.Message == b.Message && Same(a.Tags, b.Tags) && Same(a.RelatedInformation, b.RelatedInformation);

    private static bool Same<T>(T[]? a, T[]? b) => a == null || b == null ? a == b : a.AsSpan().SequenceEqual(b);
}

/// <summary>A diagnostics list in any other message (pull diagnostics' items): one raw JSON value from
/// <see cref="DiagnosticJson"/>'s reused bytes, so StreamJsonRpc does not build a JToken per diagnostic.</summary>
internal sealed class DiagnosticListConverter : JsonConverter<IReadOnlyList<Diagnostic>>
{
    public override void WriteJson(JsonWriter writer, IReadOnlyList<Diagnostic>? value, JsonSerializer serializer)
    {
        if (value == null) { writer.WriteNull(); return; }
        var (parts, length) = DiagnosticJson.Elements(value);
        var buffer = new ArrayBufferWriter<byte>(length + 2);
        buffer.Write("["u8);
        DiagnosticJson.WriteElements(parts, buffer);
        buffer.Write("]"u8);
        writer.WriteRawValue(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    public override IReadOnlyList<Diagnostic>? ReadJson(JsonReader reader, Type objectType, IReadOnlyList<Diagnostic>? existingValue, bool hasExistingValue, JsonSerializer serializer) =>
        serializer.Deserialize<List<Diagnostic>>(reader);
}
