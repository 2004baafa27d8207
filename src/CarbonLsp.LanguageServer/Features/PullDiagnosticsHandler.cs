using CarbonLsp.LanguageServer.Protocol;
using StreamJsonRpc;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>textDocument/diagnostic: the same diagnostics as pushed ones, with result ids so an
/// unchanged document answers "unchanged".</summary>
internal sealed class PullDiagnosticsHandler(Hosting.LanguageServer server) : HandlerBase(server)
{
    [JsonRpcMethod(Methods.Diagnostic, UseSingleObjectParameterDeserialization = true)]
    public async Task<DocumentDiagnosticReport> Diagnostic(TextDocumentParams p, CancellationToken ct)
    {
        var snapshot = Snapshot(p?.TextDocument?.Uri);
        if (snapshot == null) return new DocumentDiagnosticReport("full", "none", Array.Empty<Diagnostic>());
        var resultId = $"{snapshot.Version}:{snapshot.Generation}:{snapshot.Text.Length}";
        if (p!.PreviousResultId == resultId) return new DocumentDiagnosticReport("unchanged", resultId, null);
        var items = await OnCurrentVersion(() => Server.Diagnostics.ComputeAsync(snapshot, ct)).ConfigureAwait(false);
        return new DocumentDiagnosticReport("full", resultId, items);
    }
}
