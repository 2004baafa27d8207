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

    /// <summary>A publishDiagnostics notification is written from each diagnostic's cached UTF-8 bytes
    /// (<see cref="Protocol.DiagnosticJson"/>): with every prompt flagged it is megabytes, and the formatter
    /// would build a JToken per diagnostic, then write and encode them all, on every edit. Everything
    /// else goes through the formatter.</summary>
    // Requests this side sent and whose answer has not come: a response to anything else is a stray (a
    // client that answers twice, or a made-up id) and is dropped, where StreamJsonRpc would end the session.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RequestId, byte> _awaiting = new();

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

    /// <summary>An encoded notification, copied into the pipe in spans of up to a megabyte: the pipe's default
    /// 4 KB segments made a thousand writes to stdout for one message.</summary>
    private void WriteEncoded(Protocol.EncodedPublishDiagnostics encoded)
    {
        using var _ = encoded; // its pooled segments go back once written
        var writer = Writer ?? throw new ObjectDisposedException(nameof(ResilientMessageHandler));
        var body = encoded.Body;
        writer.Write(System.Text.Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
        foreach (var segment in body)
        {
            var remaining = segment.Span;
            while (!remaining.IsEmpty)
            {
                var span = writer.GetSpan(Math.Min(remaining.Length, 1 << 20));
                var n = Math.Min(span.Length, remaining.Length);
                remaining[..n].CopyTo(span);
                writer.Advance(n);
                remaining = remaining[n..];
            }
        }
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            JsonRpcMessage? message;
            try
            {
                message = await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
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
}
