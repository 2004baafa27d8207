using System.Buffers;
using Newtonsoft.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>
/// LSP framing (Content-Length headers) that answers a malformed message body — bad JSON, or JSON
/// that is not JSON-RPC — with a parse error (-32700, id null) and goes on reading, where
/// StreamJsonRpc would close the connection, however many come; and that drops a response to a request
/// this server never sent (StreamJsonRpc ends the session on one). A broken header cannot be
/// resynchronised and still ends the session.
/// </summary>
internal sealed class ResilientMessageHandler : HeaderDelimitedMessageHandler
{
    private readonly ServerLog _log;

    public ResilientMessageHandler(Stream sendingStream, Stream receivingStream, IJsonRpcMessageFormatter formatter, ServerLog log)
        : base(sendingStream, receivingStream, formatter) => _log = log;

    // Requests this side sent and whose answer has not come: a response to anything else is a stray (a
    // client that answers twice, or a made-up id) and is dropped, where StreamJsonRpc would end the session.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RequestId, byte> _awaiting = new();

    /// <summary>A publishDiagnostics notification is written from each diagnostic's cached UTF-8 bytes
    /// (<see cref="Protocol.DiagnosticJson"/>): with every prompt flagged it is megabytes, and the formatter
    /// would build a JToken per diagnostic, then write and encode them all, on every edit. Everything
    /// else goes through the formatter.</summary>
    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcRequest { IsResponseExpected: true } sent) _awaiting.TryAdd(sent.RequestId, 0);
        if (content is JsonRpcRequest { IsNotification: true, Method: Protocol.Methods.PublishDiagnostics, Arguments: Protocol.EncodedPublishDiagnostics encoded })
        {
            WriteEncoded(encoded);
            return;
        }
        if (content is not JsonRpcRequest { IsNotification: true, Method: Protocol.Methods.PublishDiagnostics, Arguments: Protocol.PublishDiagnosticsParams p })
        {
            base.Write(content, cancellationToken);
            return;
        }
        var writer = Writer ?? throw new ObjectDisposedException(nameof(ResilientMessageHandler));
        var (head, tail) = Protocol.DiagnosticJson.Envelope(p);
        var (parts, elements) = Protocol.DiagnosticJson.Elements(p.Diagnostics);
        var length = head.Length + elements + tail.Length;
        writer.Write(System.Text.Encoding.ASCII.GetBytes($"Content-Length: {length}\r\n\r\n"));
        writer.Write(head);
        Protocol.DiagnosticJson.WriteElements(parts, writer);
        writer.Write(tail);
    }

    /// <summary>An encoded notification, written straight into the pipe (no copy of its own first).</summary>
    private void WriteEncoded(Protocol.EncodedPublishDiagnostics encoded)
    {
        var writer = Writer ?? throw new ObjectDisposedException(nameof(ResilientMessageHandler));
        writer.Write(System.Text.Encoding.ASCII.GetBytes($"Content-Length: {encoded.Length}\r\n\r\n"));
        encoded.WriteTo(writer);
    }

    /// <summary>The largest message read (32 MiB, documented in docs/reliability.md): a prompt file of 10,000
    /// prompts is 1.3 MB. A larger body is skipped as it streams in, never held, and answered with an error.</summary>
    public const long MaxMessageBytes = 32L * 1024 * 1024;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            JsonRpcMessage? message;
            try
            {
                var (handled, own) = await ReadUnusualAsync(cancellationToken).ConfigureAwait(false);
                if (handled && own == null) continue;
                message = handled ? own : await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            // A body that is not JSON, or JSON that is not a JSON-RPC message: answered, and the next one is
            // read (however many come). Stream and framing failures are not caught: they cannot be skipped.
            catch (Exception ex) when (ex is JsonException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException
                                       && ex is not ObjectDisposedException)
            {
                _log.Warning($"malformed message skipped: {ex.Message}");
                var error = new JsonRpcError
                {
                    RequestId = RequestId.Null,
                    Error = new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.ParseError, Message = $"Parse error: {ex.Message}" },
                };
                await WriteAsync(error, cancellationToken).ConfigureAwait(false);
                continue;
            }
            var answered = message switch
            {
                JsonRpcResult r => r.RequestId,
                JsonRpcError e => e.RequestId,
                _ => (RequestId?)null,
            };
            if (answered is { } id && !_awaiting.TryRemove(id, out _))
            {
                _log.Warning($"a response to a request this server did not send (id {(id.IsNull ? "null" : id.ToString())}) was ignored");
                // The handler keeps a response's bytes until JsonRpc says it is done with them; it never sees this one.
                if (this is StreamJsonRpc.Reflection.IJsonRpcMessageBufferManager buffers) buffers.DeserializationComplete(message!);
                continue;
            }
            return message;
        }
    }

    /// <summary>Looks at the next message's header without consuming it. The usual header (one
    /// "Content-Length: N" line) with a body under <see cref="LargeMessageBytes"/> is left to the base handler:
    /// (false, null); a larger one within <see cref="MaxMessageBytes"/> is read here: (true, message). A body above the limit is discarded as it arrives and answered with InvalidRequest:
    /// (true, null). A header LSP allows that StreamJsonRpc does not read (the field name in another case,
    /// spaces around the value, a Content-Type line first: the fuzz tests found the session ended on
    /// "content-length") is read here, its body deserialized by the formatter: (true, message). A header that
    /// cannot be read at all is left to the base handler, which reports it.</summary>
    private async ValueTask<(bool Handled, JsonRpcMessage? Message)> ReadUnusualAsync(CancellationToken cancellationToken)
    {
        var reader = Reader ?? throw new ObjectDisposedException(nameof(ResilientMessageHandler));
        long length;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var scan = new SequenceReader<byte>(buffer);
            if (!scan.TryReadTo(out ReadOnlySequence<byte> header, "\r\n\r\n"u8, advancePastDelimiter: true))
            {
                if (result.IsCompleted || buffer.Length > 8192) { reader.AdvanceTo(buffer.Start); return (false, null); }
                reader.AdvanceTo(buffer.Start, buffer.End); // wait for more of the header
                continue;
            }
            var text = System.Text.EncodingExtensions.GetString(System.Text.Encoding.ASCII, header);
            length = ContentLength(text);
            var usual = length >= 0 && text == $"Content-Length: {length}";
            if (length < 0 || (usual && length < LargeMessageBytes)) { reader.AdvanceTo(buffer.Start); return (false, null); }
            reader.AdvanceTo(scan.Position);
            break;
        }
        if (length <= MaxMessageBytes) return (true, await ReadBodyAsync(reader, length, cancellationToken).ConfigureAwait(false));
        var left = length;
        while (left > 0)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var take = Math.Min(left, result.Buffer.Length);
            reader.AdvanceTo(result.Buffer.GetPosition(take));
            left -= take;
            if (result.IsCompleted && left > 0) throw new EndOfStreamException("the stream ended inside a message that was too large");
        }
        var message = $"A message of {length:N0} bytes was not read: the limit is {MaxMessageBytes / (1024 * 1024)} MiB.";
        _log.Warning(message);
        await WriteAsync(new JsonRpcError
        {
            RequestId = RequestId.Null,
            Error = new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidRequest, Message = message },
        }, cancellationToken).ConfigureAwait(false);
        return (true, null);
    }

    /// <summary>Bodies from this size on (a didOpen of a file of a few thousand prompts) are read here, into
    /// buffers of their own: see <see cref="DeserializeUnpooled"/>.</summary>
    public const long LargeMessageBytes = 512 * 1024;

    /// <summary>A body of <paramref name="length"/> bytes, deserialized by the formatter (which copies what it
    /// keeps, so the bytes are released at once); a body that is not a message throws after it was consumed.</summary>
    private async ValueTask<JsonRpcMessage> ReadBodyAsync(System.IO.Pipelines.PipeReader reader, long length, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length >= length)
            {
                var body = result.Buffer.Slice(0, length);
                try { return length >= LargeMessageBytes && Formatter is JsonMessageFormatter json ? DeserializeUnpooled(json, body) : Formatter.Deserialize(body); }
                finally { reader.AdvanceTo(body.End); }
            }
            if (result.IsCompleted) throw new EndOfStreamException("the stream ended inside a message");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>The formatter reads a body with a character buffer from the shared pool that grows to the
    /// longest string in it: the text of a 1.3 MB file made it an 8 MB array, which the pool then kept for the
    /// whole session (issue 18, memory). A large body is read here instead, the same way (the formatter's
    /// reader settings, then the formatter's own JToken path) but with buffers nobody keeps.</summary>
    private static JsonRpcMessage DeserializeUnpooled(JsonMessageFormatter formatter, ReadOnlySequence<byte> body)
    {
        var serializer = formatter.JsonSerializer;
        using var text = new StreamReader(Nerdbank.Streams.StreamExtensions.AsStream(body), formatter.Encoding, detectEncodingFromByteOrderMarks: false);
        using var json = new JsonTextReader(text)
        {
            DateParseHandling = serializer.DateParseHandling, DateTimeZoneHandling = serializer.DateTimeZoneHandling,
            FloatParseHandling = serializer.FloatParseHandling, Culture = serializer.Culture, MaxDepth = serializer.MaxDepth,
        };
        return formatter.Deserialize(Newtonsoft.Json.Linq.JToken.ReadFrom(json));
    }

    private static long ContentLength(string header)
    {
        foreach (var line in header.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line[(colon + 1)..].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                return n;
        }
        return -1;
    }
}
