using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>didOpen, didChange, didClose, didSave. These write the document store and must stay
/// synchronous (no await): StreamJsonRpc keeps arrival order only up to a handler's first await.
/// Notifications before initialize are dropped, as the spec asks.</summary>
internal sealed class TextDocumentSyncHandler(Hosting.LanguageServer server)
{
    [JsonRpcMethod(Methods.DidOpen, UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams p)
    {
        if (!server.IsInitialized || p?.TextDocument?.Uri is not { } uri || !DocumentStore.IsPromptFile(uri)) return;
        var snapshot = server.Documents.Open(uri, p.TextDocument.Version, p.TextDocument.Text ?? string.Empty);
        server.Diagnostics.Schedule(snapshot, immediate: true);
        server.MemoryTrim?.Touch();
    }

    [JsonRpcMethod(Methods.DidChange, UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams p)
    {
        if (!server.IsInitialized || p?.TextDocument?.Uri is not { } uri || p.ContentChanges == null) return;
        var snapshot = server.Documents.Change(uri, p.TextDocument.Version, p.ContentChanges);
        if (snapshot != null) server.Diagnostics.Schedule(snapshot, immediate: false);
        server.MemoryTrim?.Touch();
    }

    [JsonRpcMethod(Methods.DidClose, UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams p)
    {
        if (!server.IsInitialized || p?.TextDocument?.Uri is not { } uri) return;
        if (server.Documents.Close(uri)) server.Diagnostics.Clear(uri);
        server.MemoryTrim?.Touch();
    }

    [JsonRpcMethod(Methods.DidSave, UseSingleObjectParameterDeserialization = true)]
    public void DidSave(Newtonsoft.Json.Linq.JToken? p) { }
}
