using Microsoft.ML.OnnxRuntime;

namespace CarbonLsp.Generation.Models;

/// <summary>
/// The sessions of one model folder, created on first use and released after an idle time, so a
/// language server holds no gigabytes while the designer types. Thread-safe: a lease keeps the
/// sessions alive while a generation runs.
/// </summary>
public sealed class ModelSessions : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeSpan _idle;
    private readonly string? _provider;
    private Loaded? _loaded;
    private int _leases;
    private Timer? _timer;

    public ModelSessions(ModelFolder folder, TimeSpan idleRelease, string? provider = null)
    {
        Folder = folder;
        _idle = idleRelease;
        _provider = provider;
    }

    public ModelFolder Folder { get; }
    public bool IsLoaded { get { lock (_gate) return _loaded != null; } }

    public sealed record Loaded(OnnxComponent TextEncoder, OnnxComponent? TextEncoder2, OnnxComponent Unet, OnnxComponent VaeDecoder, ExecutionProviders.Choice Provider) : IDisposable
    {
        public void Dispose()
        {
            TextEncoder.Dispose();
            TextEncoder2?.Dispose();
            Unet.Dispose();
            VaeDecoder.Dispose();
            Provider.Options.Dispose();
        }
    }

    /// <summary>Loads the sessions if needed and holds them until the lease is disposed.</summary>
    public Lease Acquire()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_loaded == null)
            {
                var choice = ExecutionProviders.Create(_provider);
                OnnxComponent? te = null, te2 = null, unet = null;
                try
                {
                    te = new OnnxComponent(Folder.TextEncoderPath, choice.Options, "text_encoder");
                    te2 = Folder.TextEncoder2Path is { } p2 ? new OnnxComponent(p2, choice.Options, "text_encoder_2") : null;
                    unet = new OnnxComponent(Folder.UnetPath, choice.Options, "unet");
                    var vae = new OnnxComponent(Folder.VaeDecoderPath, choice.Options, "vae_decoder");
                    _loaded = new Loaded(te, te2, unet, vae, choice);
                }
                catch
                {
                    te?.Dispose();
                    te2?.Dispose();
                    unet?.Dispose();
                    throw;
                }
            }
            _leases++;
            return new Lease(this, _loaded);
        }
    }

    private void Release()
    {
        lock (_gate)
        {
            if (--_leases > 0 || _loaded == null) return;
            if (_idle <= TimeSpan.Zero) { Unload(); return; }
            _timer = new Timer(_ => { lock (_gate) if (_leases == 0) Unload(); }, null, _idle, Timeout.InfiniteTimeSpan);
        }
    }

    private void Unload()
    {
        _loaded?.Dispose();
        _loaded = null;
        _timer?.Dispose();
        _timer = null;
    }

    public void Dispose()
    {
        lock (_gate) Unload();
    }

    public sealed class Lease(ModelSessions owner, Loaded loaded) : IDisposable
    {
        private int _disposed;
        public Loaded Sessions => loaded;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Release();
        }
    }
}
