using System.Collections.Concurrent;
using CarbonLsp.Core.Text;
using CarbonLsp.LanguageServer.Protocol;

namespace CarbonLsp.LanguageServer.Documents;

/// <summary>
/// The open documents. Writers (open, change, close) run synchronously on the RPC dispatch order, so
/// edits apply strictly in arrival order; readers take the current snapshot, which never changes.
/// </summary>
public sealed class DocumentStore
{
    private readonly ConcurrentDictionary<string, DocumentSnapshot> _documents = new(StringComparer.Ordinal);
    private readonly AnalysisService _service;

    public DocumentStore(AnalysisService service) => _service = service;

    /// <summary>A document is ours when its name ends in .prompts.json, whatever languageId the client sends.</summary>
    public static bool IsPromptFile(string uri)
    {
        var path = uri.Split('?', '#')[0];
        return path.EndsWith(".prompts.json", StringComparison.OrdinalIgnoreCase)
               || Uri.UnescapeDataString(path).EndsWith(".prompts.json", StringComparison.OrdinalIgnoreCase);
    }

    public DocumentSnapshot Open(string uri, int version, string text)
    {
        var fresh = new DocumentSnapshot(uri, version, SourceText.From(text), _service);
        if (_documents.TryGetValue(uri, out var old)) old.Supersede();
        return _documents[uri] = fresh;
    }

    /// <summary>Applies content changes in order: each range is in the coordinates of the text left by the previous one.</summary>
    public DocumentSnapshot? Change(string uri, int? version, IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        if (!_documents.TryGetValue(uri, out var current)) return null;
        var text = current.Text;
        TextChange? total = null; // all the changes as one, for an incremental analysis; null after a full replacement
        var whole = false;
        foreach (var change in changes)
        {
            if (change.Range == null) { text = SourceText.From(change.Text ?? string.Empty); whole = true; continue; }
            // The current snapshot's line index serves the first change (it is usually the only one).
            var lines = ReferenceEquals(text, current.Text) && current.IsAnalysed ? current.Document.Lines : new LineIndex(text);
            var start = lines.GetOffset(new TextPosition(change.Range.Start.Line, change.Range.Start.Character));
            var end = lines.GetOffset(new TextPosition(change.Range.End.Line, change.Range.End.Character));
            if (end < start) (start, end) = (end, start);
            var inserted = change.Text ?? string.Empty;
            text = text.Replace(start, end, inserted); // copies the piece the change is in, not the whole text
            var step = new TextChange(start, end, start + inserted.Length);
            total = total is { } t ? t.Then(step) : step;
        }
        var next = _documents[uri] = new DocumentSnapshot(uri, version ?? current.Version + 1, text, _service, current, whole ? null : total);
        current.Supersede(); // after the next version took what it needs from it (its incremental base)
        return next;
    }

    public bool Close(string uri)
    {
        if (!_documents.TryRemove(uri, out var closed)) return false;
        closed.Supersede();
        return true;
    }

    public DocumentSnapshot? Get(string uri) => _documents.TryGetValue(uri, out var s) ? s : null;

    public IReadOnlyCollection<DocumentSnapshot> All => _documents.Values.ToArray();

    /// <summary>After a configuration change: the same texts, analysed under the new settings.</summary>
    public IReadOnlyList<DocumentSnapshot> Refresh()
    {
        var result = new List<DocumentSnapshot>();
        foreach (var (uri, s) in _documents.ToArray())
        {
            var fresh = new DocumentSnapshot(uri, s.Version, s.Text, _service);
            _documents[uri] = fresh;
            s.Supersede();
            result.Add(fresh);
        }
        return result;
    }
}
