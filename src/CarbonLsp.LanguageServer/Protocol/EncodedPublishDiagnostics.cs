using System.Buffers;
using Nerdbank.Streams;
using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>A whole publishDiagnostics notification already encoded as UTF-8 JSON (the JSON-RPC envelope
/// included), in pooled segments of up to a megabyte. Built by <see cref="Features.DiagnosticEncoder"/>;
/// <see cref="Hosting.ResilientMessageHandler"/> writes it as it is and then returns the segments to the pool.</summary>
/// <remarks>With every prompt of a 10,000-prompt file flagged the notification is megabytes, sent on every
/// edit: building <see cref="Diagnostic"/> objects and serialising them cost more than the analysis.</remarks>
[JsonConverter(typeof(EncodedPublishDiagnosticsConverter))]
public sealed class EncodedPublishDiagnostics : IDisposable
{
    private Sequence<byte>? _body;

    internal EncodedPublishDiagnostics(string uri, int? version, int count, Sequence<byte> body, string fingerprint)
    {
        Uri = uri;
        Version = version;
        Count = count;
        _body = body;
        Fingerprint = fingerprint;
    }

    public string Uri { get; }
    public int? Version { get; }
    /// <summary>How many diagnostics the notification carries.</summary>
    public int Count { get; }
    /// <summary>Equal for two notifications that say the same (to skip resending an unchanged list).</summary>
    public string Fingerprint { get; }

    /// <summary>The whole JSON-RPC message body.</summary>
    public ReadOnlySequence<byte> Body => (_body ?? throw new ObjectDisposedException(nameof(EncodedPublishDiagnostics))).AsReadOnlySequence;

    /// <summary>The "params" object alone, for any writer other than the message handler (a tracer).</summary>
    internal string ParamsJson()
    {
        var text = System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, Body);
        var start = text.IndexOf("\"params\":", StringComparison.Ordinal) + "\"params\":".Length;
        return text[start..^1];
    }

    public void Dispose()
    {
        var body = Interlocked.Exchange(ref _body, null);
        body?.Dispose();
    }
}

internal sealed class EncodedPublishDiagnosticsConverter : JsonConverter<EncodedPublishDiagnostics>
{
    public override void WriteJson(JsonWriter writer, EncodedPublishDiagnostics? value, JsonSerializer serializer)
    {
        if (value == null) writer.WriteNull();
        else writer.WriteRawValue(value.ParamsJson());
    }

    public override EncodedPublishDiagnostics? ReadJson(JsonReader reader, Type objectType, EncodedPublishDiagnostics? existingValue, bool hasExistingValue, JsonSerializer serializer) =>
        throw new NotSupportedException("an encoded notification is only ever written");
}
