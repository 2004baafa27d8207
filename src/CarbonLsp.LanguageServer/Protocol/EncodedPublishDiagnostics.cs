using System.Buffers;
using System.Buffers.Text;
using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Protocol;

/// <summary>A whole publishDiagnostics notification ready to be written as UTF-8 JSON (the JSON-RPC envelope
/// included): each diagnostic's encoded text without its range, and the range's four numbers. Built by
/// <see cref="Features.DiagnosticEncoder"/>; <see cref="Hosting.ResilientMessageHandler"/> writes it straight
/// into the output pipe (<see cref="WriteTo"/>), its length known beforehand (<see cref="Length"/>).</summary>
/// <remarks>With every prompt of a 10,000-prompt file flagged the notification is 4-5 MB, sent on every edit:
/// building <see cref="Diagnostic"/> objects and serialising them cost more than the analysis. It is not
/// first written into a buffer of its own either: that was a second 4.7 MB copy per edit, and 5 MB more of
/// pooled arrays held between edits (issue 18, memory during a burst of edits). The parts are shared: the
/// text of a diagnostic is the same array for every diagnostic with the same message.</remarks>
[JsonConverter(typeof(EncodedPublishDiagnosticsConverter))]
public sealed class EncodedPublishDiagnostics
{
    internal const int NoRange = -1;
    private readonly byte[] _head;
    private readonly byte[] _tail;
    // Per diagnostic: its text (the whole diagnostic when _ranges[4i] is NoRange, else the diagnostic after
    // its range: everything from the first property after "range" to the closing brace), and its range.
    private readonly byte[][] _parts;
    private readonly int[] _ranges;

    internal EncodedPublishDiagnostics(string uri, int? version, byte[][] parts, int[] ranges, string fingerprint)
    {
        Uri = uri;
        Version = version;
        (_head, _tail) = DiagnosticJson.Envelope(uri, version);
        _parts = parts;
        _ranges = ranges;
        Fingerprint = fingerprint;
        var counter = new CountingSink();
        Write(ref counter);
        Length = counter.Count;
    }

    public string Uri { get; }
    public int? Version { get; }
    /// <summary>How many diagnostics the notification carries.</summary>
    public int Count => _parts.Length;
    /// <summary>Equal for two notifications that say the same (to skip resending an unchanged list).</summary>
    public string Fingerprint { get; }
    /// <summary>The length in bytes of the whole message body.</summary>
    public long Length { get; }

    /// <summary>Writes the whole JSON-RPC message body, in spans of 64 KB (the pipe's default 4 KB segments made
    /// a thousand writes to stdout for one message; with megabyte spans the shared pool kept seven megabyte
    /// arrays between edits).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        var sink = new ChunkSink(output);
        Write(ref sink);
        sink.Flush();
    }

    /// <summary>The body as one array (tests, tracers).</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>((int)Length);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // One writer for both the length and the bytes, so the Content-Length cannot disagree with the body.
    private void Write<TSink>(ref TSink sink) where TSink : struct, ISink
    {
        sink.Write(_head);
        for (var i = 0; i < _parts.Length; i++)
        {
            if (i > 0) sink.Write(","u8);
            var part = _parts[i];
            var r = 4 * i;
            if (_ranges[r] == NoRange)
            {
                sink.Write(part);
                continue;
            }
            sink.Write("{\"range\":{\"start\":{\"line\":"u8);
            sink.WriteInt(_ranges[r]);
            sink.Write(",\"character\":"u8);
            sink.WriteInt(_ranges[r + 1]);
            sink.Write("},\"end\":{\"line\":"u8);
            sink.WriteInt(_ranges[r + 2]);
            sink.Write(",\"character\":"u8);
            sink.WriteInt(_ranges[r + 3]);
            sink.Write("}},"u8);
            sink.Write(part.AsSpan(1)); // the tail without its opening brace
        }
        sink.Write(_tail);
    }

    /// <summary>The "params" object alone, for any writer other than the message handler (a tracer).</summary>
    internal string ParamsJson()
    {
        var text = System.Text.Encoding.UTF8.GetString(ToArray());
        var start = text.IndexOf("\"params\":", StringComparison.Ordinal) + "\"params\":".Length;
        return text[start..^1];
    }

    private interface ISink
    {
        void Write(ReadOnlySpan<byte> bytes);
        void WriteInt(int value);
    }

    private struct CountingSink : ISink
    {
        public long Count;
        public void Write(ReadOnlySpan<byte> bytes) => Count += bytes.Length;
        public void WriteInt(int value)
        {
            Span<byte> digits = stackalloc byte[11];
            Utf8Formatter.TryFormat(value, digits, out var written);
            Count += written;
        }
    }

    private struct ChunkSink : ISink
    {
        private const int ChunkBytes = 64 * 1024; // what the pool keeps between edits is a few arrays this size
        private readonly IBufferWriter<byte> _output;
        private Memory<byte> _chunk;
        private int _used;

        public ChunkSink(IBufferWriter<byte> output) => (_output, _chunk, _used) = (output, Memory<byte>.Empty, 0);

        public void Write(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_used == _chunk.Length) Next(1);
                var n = Math.Min(bytes.Length, _chunk.Length - _used);
                bytes[..n].CopyTo(_chunk.Span[_used..]);
                _used += n;
                bytes = bytes[n..];
            }
        }

        public void WriteInt(int value)
        {
            if (_chunk.Length - _used < 11) Next(11);
            Utf8Formatter.TryFormat(value, _chunk.Span[_used..], out var written);
            _used += written;
        }

        private void Next(int atLeast)
        {
            Flush();
            _chunk = _output.GetMemory(Math.Max(atLeast, ChunkBytes));
        }

        public void Flush()
        {
            if (_used > 0) _output.Advance(_used);
            (_chunk, _used) = (Memory<byte>.Empty, 0);
        }
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
