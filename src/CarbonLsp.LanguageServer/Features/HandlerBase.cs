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

    /// <summary>The analysis of the snapshot a request took. When new settings replaced it meanwhile (the same
    /// version of the text), the request is served by the snapshot that replaced it: its positions still hold,
    /// and a client does not ask again after ContentModified for every request (VS Code drops a code lens or
    /// inlay hint request so answered until the next edit). When a newer version of the text replaced it, the
    /// request answers ContentModified (LSP 3.17): the client asks again on the current text.</summary>
    protected Task<DocumentAnalysis?> AnalysisAsync(DocumentSnapshot? snapshot, CancellationToken ct) =>
        AnalysisOfCurrentVersion(snapshot, Server.Documents.Get, ct);

    internal static async Task<DocumentAnalysis?> AnalysisOfCurrentVersion(DocumentSnapshot? snapshot, Func<string, DocumentSnapshot?> current, CancellationToken ct)
    {
        for (var attempt = 0; snapshot != null; attempt++)
        {
            try
            {
                return await snapshot.GetAnalysisAsync(ct).ConfigureAwait(false);
            }
            catch (AnalysisSupersededException ex)
            {
                // Settings can change several times in a row (a client pushes them, then answers the pull): a few tries.
                if (attempt < 8 && current(snapshot.Uri) is { } now && now.Version == snapshot.Version && !ReferenceEquals(now, snapshot))
                {
                    snapshot = now;
                    continue;
                }
                throw new StreamJsonRpc.LocalRpcException(ex.Message) { ErrorCode = Protocol.ErrorCodes.ContentModified };
            }
        }
        return null;
    }

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
