using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;
using CarbonLsp.Core.Text;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>
/// One version of an open document, immutable. Its analysis is computed once, on the thread pool,
/// the first time anyone asks (a request or the diagnostics publisher), and shared. The analysis
/// depends on the settings generation too: a configuration change makes new snapshots.
/// A snapshot made by an edit remembers the last analysed snapshot before it and the change since
/// (several edits composed into one), so its analysis can re-parse and re-analyse only the edited
/// prompt; it lets go of that snapshot once analysed, so versions never chain up in memory.
/// When a newer version replaces it (an edit, a close, new settings), the store supersedes it: an
/// analysis still running for it stops at its next cancellation check, readers still waiting get
/// <see cref="AnalysisSupersededException"/> (ContentModified for a request), and its incremental base
/// stays with it, so the next version still analyses only the edited prompt.
/// </summary>
public sealed class DocumentSnapshot
{
    private readonly Lazy<Task<DocumentAnalysis>> _analysis;
    private readonly CancellationTokenSource _superseded = new();

    private DocumentSnapshot? _base;
    private readonly TextChange? _sinceBase;

    public DocumentSnapshot(string uri, int version, SourceText text, AnalysisService service, DocumentSnapshot? previous = null, TextChange? change = null)
    {
        Uri = uri;
        Version = version;
        Text = text;
        Generation = service.Generation;
        if (previous != null && change is { } c && previous.Generation == Generation)
        {
            // Skip over versions nobody analysed (a burst of keystrokes): compose their changes.
            // previous._base is cleared by its analysis on a pool thread: read it once, with a barrier.
            if (previous.IsAnalysed) (_base, _sinceBase) = (previous, c);
            else if (Volatile.Read(ref previous._base) is { } older && previous._sinceBase is { } earlier) (_base, _sinceBase) = (older, earlier.Then(c));
        }
        _analysis = new Lazy<Task<DocumentAnalysis>>(() => Task.Run(() =>
        {
            var before = Volatile.Read(ref _base);
            var previousAnalysis = before is { IsAnalysed: true } ? before._analysis.Value.Result : null;
            var analysis = service.Analyze(this, previousAnalysis, _sinceBase, _superseded.Token);
            Volatile.Write(ref _base, null); // analysed: the base is no longer needed (a cancelled analysis keeps it for the next version)
            return analysis;
        }), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Uri { get; }
    public int Version { get; }
    /// <summary>The text, in pieces shared with the versions before and after (an edit copies one piece).</summary>
    public SourceText Text { get; }
    public long Generation { get; }

    public async Task<DocumentAnalysis> GetAnalysisAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _analysis.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && Superseded)
        {
            throw new AnalysisSupersededException(Uri, Version);
        }
    }

    /// <summary>True once a newer version replaced this one.</summary>
    public bool Superseded => _superseded.IsCancellationRequested;

    /// <summary>Called by the store when a newer version replaces this one: stops its analysis if still running.</summary>
    internal void Supersede() => _superseded.Cancel();

    public bool IsAnalysed => _analysis.IsValueCreated && _analysis.Value.IsCompletedSuccessfully;

    /// <summary>The document model without the analysis (cheap: parse only), for requests that need no estimate.</summary>
    public PromptDocument Document => IsAnalysed ? _analysis.Value.Result.Document : PromptDocument.Parse(Text);
}

/// <summary>The analysis of a version that a newer version replaced before it finished: ask again for
/// the current one (LSP: ContentModified).</summary>
public sealed class AnalysisSupersededException(string uri, int version)
    : OperationCanceledException($"{uri} changed (version {version} was replaced) before its analysis finished.");
