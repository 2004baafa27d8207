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
                OnnxComponent? te = null, te2 = null, unet = null, vae = null;
                try
                {
                    te = new OnnxComponent(Folder.TextEncoderPath, choice.Options, "text_encoder");
                    te2 = Folder.TextEncoder2Path is { } p2 ? new OnnxComponent(p2, choice.Options, "text_encoder_2") : null;
                    unet = new OnnxComponent(Folder.UnetPath, choice.Options, "unet");
                    vae = new OnnxComponent(Folder.VaeDecoderPath, choice.Options, "vae_decoder");
                    CheckSignatures(te, te2, unet, vae);
                    _loaded = new Loaded(te, te2, unet, vae, choice);
                }
                catch
                {
                    te?.Dispose();
                    te2?.Dispose();
                    unet?.Dispose();
                    vae?.Dispose();
                    throw;
                }
            }
            _leases++;
            return new Lease(this, _loaded);
        }
    }

    /// <summary>Each sub-model has the inputs the pipeline feeds it, and the UNet and decoder agree with the
    /// folder's latent_channels: a misplaced file (a decoder where the UNet belongs) or a wrong config gives
    /// one line that names the file, not ONNX Runtime's message halfway through a run.</summary>
    private void CheckSignatures(OnnxComponent te, OnnxComponent? te2, OnnxComponent unet, OnnxComponent vae)
    {
        void Require(OnnxComponent c, string path, params string[] inputs)
        {
            var missing = inputs.Where(i => !c.HasInput(i)).ToList();
            if (missing.Count > 0)
                throw new ModelFolderException(
                    $"{Path.GetRelativePath(Folder.Path, path)} in {Folder.Path} is not a {c.Name} export: it has no input {string.Join(", ", missing.Select(m => $"'{m}'"))} " +
                    $"(its inputs: {string.Join(", ", c.Inputs.Keys)}). A file is misplaced or the folder is not a diffusers ONNX export: re-export it.");
        }
        void Channels(OnnxComponent c, string path, string input)
        {
            var dims = c.InputDimensions(input);
            if (dims.Length == 4 && dims[1] > 0 && dims[1] != Folder.LatentChannels)
                throw new ModelFolderException(
                    $"{Path.GetRelativePath(Folder.Path, path)} in {Folder.Path} takes {dims[1]} latent channels, but vae_decoder/config.json says latent_channels {Folder.LatentChannels}: the folder's files do not belong together. Re-export it.");
        }
        Require(te, Folder.TextEncoderPath, "input_ids");
        if (te2 != null) Require(te2, Folder.TextEncoder2Path!, "input_ids");
        Require(unet, Folder.UnetPath, "sample", "timestep", "encoder_hidden_states");
        Require(vae, Folder.VaeDecoderPath, "latent_sample");
        Channels(unet, Folder.UnetPath, "sample");
        Channels(vae, Folder.VaeDecoderPath, "latent_sample");
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
