using System.Collections.Concurrent;
using CarbonLsp.LanguageServer.Documents;
using CarbonLsp.LanguageServer.Protocol;
using Newtonsoft.Json;

namespace CarbonLsp.LanguageServer.Features;

/// <summary>
/// Push diagnostics: at once after a pause, debounced within a burst of edits, sent only when they
/// changed, cleared on close. Clients that pull (textDocument/diagnostic) get nothing pushed. A failure analysing one document becomes
/// one diagnostic, never a dead server.
/// </summary>
public sealed class DiagnosticsPublisher : IDisposable
{
    private readonly Hosting.LanguageServer _server;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _pending = new();
    private readonly ConcurrentDictionary<string, string> _lastSent = new();
    private readonly ConcurrentDictionary<string, long> _lastEdit = new();

    public DiagnosticsPublisher(Hosting.LanguageServer server) => _server = server;

    public void Schedule(DocumentSnapshot snapshot, bool immediate)
    {
        if (_server.Client.SupportsPullDiagnostics) return;
        var cts = new CancellationTokenSource();
        CancellationTokenSource? old = null;
        _pending.AddOrUpdate(snapshot.Uri, cts, (_, prev) => { old = prev; return cts; });
        old?.Cancel(); // a newer edit supersedes the pending publish (and stops its analysis)
        var delay = immediate ? 0 : DelayFor(snapshot.Uri);
        _ = Task.Run(() => PublishAsync(snapshot, delay, cts.Token));
    }

    /// <summary>Leading edge plus trailing debounce: an edit after a quiet spell is analysed at once
    /// (the designer paused: show the result now); edits closer together than the debounce are
    /// coalesced, and only the last of the burst is analysed, once it has been quiet that long.</summary>
    private int DelayFor(string uri)
    {
        var debounce = _server.Analysis.Settings.DebounceMs;
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var seen = _lastEdit.TryGetValue(uri, out var previous);
        _lastEdit[uri] = now;
        return !seen || System.Diagnostics.Stopwatch.GetElapsedTime(previous, now).TotalMilliseconds >= debounce ? 0 : debounce;
    }

    private async Task PublishAsync(DocumentSnapshot snapshot, int delay, CancellationToken ct)
    {
        try
        {
            if (delay > 0) await Task.Delay(delay, ct).ConfigureAwait(false);
            // Encoded straight from the findings (DiagnosticEncoder); a failed analysis is one diagnostic.
            object message;
            string fingerprint;
            Core.Analysis.DocumentAnalysis? analysis = null;
            try
            {
                analysis = await snapshot.GetAnalysisAsync(ct).ConfigureAwait(false);
                var encoded = DiagnosticEncoder.Encode(snapshot.Uri, snapshot.Version, analysis, _server.Client);
                (message, fingerprint) = (encoded, encoded.Fingerprint);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var failed = Failure(snapshot, ex);
                (message, fingerprint) = (new PublishDiagnosticsParams(snapshot.Uri, snapshot.Version, failed), "failed:" + Fingerprint(failed));
            }
            // Only the newest snapshot of a document may publish.
            if (ct.IsCancellationRequested || !ReferenceEquals(_server.Documents.Get(snapshot.Uri), snapshot)
                || (_lastSent.TryGetValue(snapshot.Uri, out var last) && last == fingerprint))
                return;
            _lastSent[snapshot.Uri] = fingerprint;
            await _server.NotifyAsync(Methods.PublishDiagnostics, message).ConfigureAwait(false);
            if (analysis?.Document is { Edit: null } whole) _server.MemoryTrim?.AfterFullPass(whole.Source.Length);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            _server.Log.Error($"publishing diagnostics for {snapshot.Uri} failed: {ex.Message}");
        }
    }

    /// <summary>A cheap identity of a diagnostics list (what an editor would show).</summary>
    private static string Fingerprint(IReadOnlyList<Diagnostic> diagnostics)
    {
        var hash = new HashCode();
        foreach (var d in diagnostics)
        {
            hash.Add(d.Code);
            hash.Add(d.Message);
            hash.Add(d.Severity);
            hash.Add(d.Range.Start.Line);
            hash.Add(d.Range.Start.Character);
            hash.Add(d.Range.End.Line);
            hash.Add(d.Range.End.Character);
            hash.Add(d.Tags?.Length ?? 0);
            hash.Add(d.RelatedInformation?.Length ?? 0);
        }
        return $"{diagnostics.Count}:{hash.ToHashCode()}";
    }

    /// <summary>The diagnostics of a snapshot; shared with pull diagnostics.</summary>
    public async Task<IReadOnlyList<Diagnostic>> ComputeAsync(DocumentSnapshot snapshot, CancellationToken ct)
    {
        try
        {
            var analysis = await snapshot.GetAnalysisAsync(ct).ConfigureAwait(false);
            var diagnostics = analysis.Findings.Select(f => Convert.ToDiagnostic(snapshot.Uri, analysis.Document, f, _server.Client)).ToList();
            return diagnostics;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Failure(snapshot, ex);
        }
    }

    private IReadOnlyList<Diagnostic> Failure(DocumentSnapshot snapshot, Exception ex)
    {
        _server.Log.Error($"analysing {snapshot.Uri} failed: {ex}");
        return new[]
        {
            new Diagnostic
            {
                Range = new Protocol.Range(new Position(0, 0), new Position(0, 0)), Severity = DiagnosticSeverity.Error, Code = Core.Rules.FindingCodes.AnalysisFailed,
                Message = $"CarbonLsp could not analyse this file: {ex.Message}",
            },
        };
    }

    public void Clear(string uri)
    {
        if (_pending.TryRemove(uri, out var cts)) cts.Cancel();
        _lastSent.TryRemove(uri, out _);
        _lastEdit.TryRemove(uri, out _);
        if (!_server.Client.SupportsPullDiagnostics)
            _ = _server.NotifyAsync(Methods.PublishDiagnostics, new PublishDiagnosticsParams(uri, null, Array.Empty<Diagnostic>()));
    }

    public void Dispose()
    {
        foreach (var cts in _pending.Values) cts.Cancel();
    }
}
