using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace CarbonLsp.LanguageServer.Hosting;

/// <summary>JsonRpc with LSP's error conventions: params of the wrong shape answer InvalidParams (-32602);
/// an exception inside a handler answers that request with RequestFailed (-32803) and a plain message — no
/// stack trace on the wire — and is logged; the server goes on.</summary>
internal sealed class CarbonJsonRpc : JsonRpc
{
    private readonly ServerLog _log;

    public CarbonJsonRpc(IJsonRpcMessageHandler handler, ServerLog log) : base(handler) => _log = log;

    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var inner = exception is System.Reflection.TargetInvocationException { InnerException: { } ie } ? ie : exception;
        if (inner is LocalRpcException local)
            return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)local.ErrorCode, Message = local.Message, Data = local.ErrorData };
        // Params that do not have the protocol's shape ("line": "a", "textDocument": 5) fail in the deserializer,
        // before the handler runs: LSP calls that InvalidParams.
        if (inner is Newtonsoft.Json.JsonException)
            return new JsonRpcError.ErrorDetail { Code = JsonRpcErrorCode.InvalidParams, Message = $"{request.Method}: invalid params: {inner.Message}" };
        _log.Error($"{request.Method} failed: {inner.GetType().Name}: {inner.Message}\n{inner.StackTrace}");
        return new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)Protocol.ErrorCodes.RequestFailed, Message = $"{request.Method} failed: {inner.Message}" };
    }
}
