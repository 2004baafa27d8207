using CarbonLsp.Generation.Runs;

namespace CarbonLsp.LanguageServer.Features.Generation;

/// <summary>
/// One generation service (ONNX sessions, run ledger, reuse index) per workspace root, made on first
/// use and kept until the server stops. Roots never share or replace each other's service: a
/// diagnostics pass or a code action for a file in root B must not dispose root A's sessions and
/// ledger while A generates, and an image found for a file is always looked up in that file's root.
/// </summary>
internal sealed class GenerationRegistry(Func<string, GenerationOptions> optionsFor, Action<GenerationService>? created = null) : IDisposable
{
    private sealed class Root(GenerationService service)
    {
        public GenerationService Service { get; } = service;
        public ReuseIndex? Reuse { get; set; }
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, Root> _roots = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>The service of a root, made on first use.</summary>
    public GenerationService For(string root) => RootOf(root).Service;

    /// <summary>The service of a root if one was made already (never makes one: for cheap lookups).</summary>
    public GenerationService? Existing(string root)
    {
        lock (_gate) return _roots.TryGetValue(root, out var r) ? r.Service : null;
    }

    /// <summary>The reuse index of a root's ledger, made on first use.</summary>
    public ReuseIndex ReuseFor(string root)
    {
        var r = RootOf(root);
        lock (_gate) return r.Reuse ??= new ReuseIndex(r.Service);
    }

    public int Count
    {
        get { lock (_gate) return _roots.Count; }
    }

    private Root RootOf(string root)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_roots.TryGetValue(root, out var r)) return r;
            _roots[root] = r = new Root(new GenerationService(optionsFor(root)));
            created?.Invoke(r.Service);
            return r;
        }
    }

    public void Dispose()
    {
        List<Root> all;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            all = _roots.Values.ToList();
            _roots.Clear();
        }
        foreach (var r in all) r.Service.Dispose();
    }
}
