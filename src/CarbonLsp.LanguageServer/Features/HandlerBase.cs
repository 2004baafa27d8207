using CarbonLsp.Core.Analysis;
using CarbonLsp.LanguageServer.Documents;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>What read-only handlers share: the lifecycle gate and the snapshot, taken before any await.</summary>
internal abstract class HandlerBase(Hosting.LanguageServer server)
{
    protected Hosting.LanguageServer Server { get; } = server;

    /// <summary>The current snapshot of a document, or null when it is not open (or not ours).</summary>
    protected DocumentSnapshot? Snapshot(string? uri)
    {
        Server.EnsureServing();
        return uri == null ? null : Server.Documents.Get(uri);
    }

    /// <summary>The analysis of the snapshot a request took. When a newer version replaced it meanwhile,
    /// the request answers ContentModified (LSP 3.17): the client asks again on the current text.</summary>
    protected static async Task<DocumentAnalysis?> AnalysisAsync(DocumentSnapshot? snapshot, CancellationToken ct) =>
        snapshot == null ? null : await OnCurrentVersion(() => snapshot.GetAnalysisAsync(ct)).ConfigureAwait(false);

    /// <summary>Runs work that reads a snapshot's analysis; a superseded snapshot answers ContentModified.</summary>
    protected static async Task<T> OnCurrentVersion<T>(Func<Task<T>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (AnalysisSupersededException ex)
        {
            throw new StreamJsonRpc.LocalRpcException(ex.Message) { ErrorCode = Protocol.ErrorCodes.ContentModified };
        }
    }
}
