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

    protected static async Task<DocumentAnalysis?> AnalysisAsync(DocumentSnapshot? snapshot, CancellationToken ct) =>
        snapshot == null ? null : await snapshot.GetAnalysisAsync(ct).ConfigureAwait(false);
}
