using CarbonLsp.Core.Analysis;
using CarbonLsp.Core.Documents;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>
/// One version of an open document, immutable. Its analysis is computed once, on the thread pool,
/// the first time anyone asks (a request or the diagnostics publisher), and shared. The analysis
/// depends on the settings generation too: a configuration change makes new snapshots.
/// </summary>
public sealed class DocumentSnapshot
{
    private readonly Lazy<Task<DocumentAnalysis>> _analysis;

    public DocumentSnapshot(string uri, int version, string text, AnalysisService service)
    {
        Uri = uri;
        Version = version;
        Text = text;
        Generation = service.Generation;
        _analysis = new Lazy<Task<DocumentAnalysis>>(() => Task.Run(() => service.Analyze(this)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Uri { get; }
    public int Version { get; }
    public string Text { get; }
    public long Generation { get; }

    public Task<DocumentAnalysis> GetAnalysisAsync(CancellationToken cancellationToken) => _analysis.Value.WaitAsync(cancellationToken);

    public bool IsAnalysed => _analysis.IsValueCreated && _analysis.Value.IsCompletedSuccessfully;

    /// <summary>The document model without the analysis (cheap: parse only), for requests that need no estimate.</summary>
    public PromptDocument Document => IsAnalysed ? _analysis.Value.Result.Document : PromptDocument.Parse(Text);
}
