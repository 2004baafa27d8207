using System.Diagnostics;
using System.Text;

/// <summary>
/// Wraps the stream a server writes to and notes the moment each <c>textDocument/publishDiagnostics</c>
/// message has wholly arrived, before the client's JSON-RPC library parses it. The benchmark reports
/// both this (the server's latency: the bytes are at the editor) and the moment the client library
/// handed the parsed message over. Framing is LSP's: "Content-Length: N" headers, a blank line, N bytes
/// of body.
/// </summary>
/// <remarks>A publishDiagnostics message is handed to the client library as a stand-in that keeps only
/// its version (all the benchmark reads): with every prompt of a 10,000-prompt file flagged the message is
/// 4.7 MB, and the library's parse of it into a JToken tree took ~600 ms of the machine's two cores per
/// message, slowing the very server it measured (issue 18: its "arrived" read 298-547 ms where a client
/// that only reads the bytes saw 36-40 ms). What an editor spends parsing them is measured by the node
/// bench (bench/node-client, vscode-jsonrpc). Every other message passes unchanged.</remarks>
sealed class ArrivalClock(Stream inner, Stopwatch watch) : Stream
{
    private static readonly byte[] PublishMethod = Encoding.ASCII.GetBytes("\"textDocument/publishDiagnostics\"");
    private static readonly byte[] VersionKey = Encoding.ASCII.GetBytes("\"version\":");
    private readonly List<byte> _header = new();
    private readonly object _gate = new();
    private readonly List<(int? Version, double At)> _arrivals = new();
    private byte[] _body = Array.Empty<byte>();
    private int _bodyLength;
    private int _bodyFilled = -1; // -1: reading a header
    private readonly Queue<byte[]> _out = new(); // whole messages (header and body) for the client library
    private ReadOnlyMemory<byte> _current;

    /// <summary>When the first publication for <paramref name="version"/> or later arrived; for servers
    /// that send no version, the first publication after <paramref name="after"/>.</summary>
    public double? ArrivalOf(int version, double after)
    {
        lock (_gate)
            foreach (var (v, at) in _arrivals)
                if (v is { } n ? n >= version : at >= after) return at;
        return null;
    }

    // The server's output is read a megabyte at a time, whatever the client library asks for (it reads in
    // small pieces): the arrival is then the server's, not this client's reading loop.
    private readonly byte[] _in = new byte[1 << 20];

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (true)
        {
            if (TakeOut(buffer.AsSpan(offset, count)) is var n and > 0) return n;
            var read = inner.Read(_in, 0, _in.Length);
            if (read == 0) return 0;
            Observe(_in.AsSpan(0, read));
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TakeOut(buffer.Span) is var n and > 0) return n;
            var read = await inner.ReadAsync(_in, cancellationToken).ConfigureAwait(false);
            if (read == 0) return 0;
            Observe(_in.AsSpan(0, read));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int TakeOut(Span<byte> into)
    {
        if (_current.IsEmpty && _out.Count > 0) _current = _out.Dequeue();
        var n = Math.Min(into.Length, _current.Length);
        _current.Span[..n].CopyTo(into);
        _current = _current[n..];
        return n;
    }

    private void Pass(byte[] body)
    {
        _out.Enqueue(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        _out.Enqueue(body);
    }

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
                    // One body buffer, grown when needed and reused: a new 4.7 MB array per message kept this
                    // process's collector busy on the cores the server needs.
                    _bodyLength = ContentLength(Encoding.ASCII.GetString(_header.ToArray()));
                    if (_body.Length < _bodyLength) _body = new byte[_bodyLength];
                    _bodyFilled = 0;
                    _header.Clear();
                }
                continue;
            }
            var take = Math.Min(data.Length, _bodyLength - _bodyFilled);
            data[..take].CopyTo(_body.AsSpan(_bodyFilled));
            _bodyFilled += take;
            data = data[take..];
            if (_bodyFilled == _bodyLength)
            {
                var body = _body.AsSpan(0, _bodyLength);
                var at = watch.Elapsed.TotalMilliseconds;
                if (body.IndexOf(PublishMethod) >= 0)
                {
                    var version = VersionIn(body);
                    lock (_gate) _arrivals.Add((version, at));
                    Pass(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{"
                                                + (version is { } v ? $"\"version\":{v}," : "") + "\"diagnostics\":[]}}"));
                }
                else Pass(body.ToArray());
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
    private static int? VersionIn(ReadOnlySpan<byte> body)
    {
        var i = body.LastIndexOf(VersionKey);
        if (i < 0) return null;
        var j = i + VersionKey.Length;
        while (j < body.Length && body[j] == ' ') j++;
        var start = j;
        while (j < body.Length && body[j] >= '0' && body[j] <= '9') j++;
        return j > start ? int.Parse(Encoding.ASCII.GetString(body[start..j]), System.Globalization.CultureInfo.InvariantCulture) : null;
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
