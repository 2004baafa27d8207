using System.Diagnostics;
using System.Text;

/// <summary>
/// Wraps the stream a server writes to and notes the moment each <c>textDocument/publishDiagnostics</c>
/// message has wholly arrived, before the client's JSON-RPC library parses it. The benchmark reports
/// both this (the server's latency: the bytes are at the editor) and the moment the client library
/// handed the parsed message over (which adds this .NET client's parsing, dispatch and collections).
/// Framing is LSP's: "Content-Length: N" headers, a blank line, N bytes of body.
/// </summary>
sealed class ArrivalClock(Stream inner, Stopwatch watch) : Stream
{
    private static readonly byte[] PublishMethod = Encoding.ASCII.GetBytes("\"textDocument/publishDiagnostics\"");
    private static readonly byte[] VersionKey = Encoding.ASCII.GetBytes("\"version\":");
    private readonly List<byte> _header = new();
    private readonly object _gate = new();
    private readonly List<(int? Version, double At)> _arrivals = new();
    private byte[] _body = Array.Empty<byte>();
    private int _bodyFilled = -1; // -1: reading a header

    /// <summary>When the first publication for <paramref name="version"/> or later arrived; for servers
    /// that send no version, the first publication after <paramref name="after"/>.</summary>
    public double? ArrivalOf(int version, double after)
    {
        lock (_gate)
            foreach (var (v, at) in _arrivals)
                if (v is { } n ? n >= version : at >= after) return at;
        return null;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        Observe(buffer.AsSpan(offset, n));
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_bodyFilled < 0)
            {
                _header.Add(data[0]);
                data = data[1..];
                var h = _header.Count;
                if (h >= 4 && _header[h - 4] == '\r' && _header[h - 3] == '\n' && _header[h - 2] == '\r' && _header[h - 1] == '\n')
                {
                    _body = new byte[ContentLength(Encoding.ASCII.GetString(_header.ToArray()))];
                    _bodyFilled = 0;
                    _header.Clear();
                }
                continue;
            }
            var take = Math.Min(data.Length, _body.Length - _bodyFilled);
            data[..take].CopyTo(_body.AsSpan(_bodyFilled));
            _bodyFilled += take;
            data = data[take..];
            if (_bodyFilled == _body.Length)
            {
                var at = watch.Elapsed.TotalMilliseconds;
                if (_body.AsSpan().IndexOf(PublishMethod) >= 0)
                    lock (_gate) _arrivals.Add((VersionIn(_body), at));
                _bodyFilled = -1;
            }
        }
    }

    private static int ContentLength(string header)
    {
        foreach (var line in header.Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        throw new InvalidDataException("a message without Content-Length");
    }

    /// <summary>The params' version (the last "version": in the body: diagnostics themselves carry none).</summary>
    private static int? VersionIn(byte[] body)
    {
        var i = body.AsSpan().LastIndexOf(VersionKey);
        if (i < 0) return null;
        var j = i + VersionKey.Length;
        while (j < body.Length && body[j] == ' ') j++;
        var start = j;
        while (j < body.Length && body[j] >= '0' && body[j] <= '9') j++;
        return j > start ? int.Parse(Encoding.ASCII.GetString(body, start, j - start), System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
