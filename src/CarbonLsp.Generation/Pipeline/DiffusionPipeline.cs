using System.Diagnostics;
using CarbonLsp.Generation.Memory;
using CarbonLsp.Generation.Models;
using CarbonLsp.Generation.Random;
using CarbonLsp.Generation.Schedulers;
using Microsoft.ML.OnnxRuntime;

namespace CarbonLsp.Generation.Pipeline;

/// <summary>
/// Text-to-image with a diffusers ONNX folder, as diffusers' ONNX pipelines do it (imagegen.md
/// section 2): CLIP tokens → text encoder(s) → noise from the seed → the scheduler's loop over the
/// UNet with classifier-free guidance → VAE decoder → RGB. Image i of a prompt uses seed + i, so each
/// image can be reproduced alone. Cancellation is checked between steps and stops a running step
/// through RunOptions.Terminate.
/// </summary>
public sealed class DiffusionPipeline
{
    private readonly ModelSessions _sessions;

    public DiffusionPipeline(ModelSessions sessions) => _sessions = sessions;

    public ModelFolder Folder => _sessions.Folder;
    public ModelSessions Sessions => _sessions;

    public GenerationResult Generate(GenerationRequest request, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = _sessions.Folder;
        Validate(request, folder);
        var loadWatch = Stopwatch.StartNew();
        using var lease = _sessions.Acquire();
        var s = lease.Sessions;
        var loading = loadWatch.Elapsed;
        CheckMemory(request, folder, s.Provider.Provider, request.Guidance > 1 && !s.Unet.HasInput("timestep_cond") ? 2 : 1);
        var schedulerName = SchedulerFactory.Resolve(request.Scheduler, folder.Scheduler);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        var lcm = s.Unet.HasInput("timestep_cond");
        var cfg = request.Guidance > 1 && !lcm;
        var text = Stopwatch.StartNew();
        var cond = Encode(s, folder, request, cfg, runOptions, cancellationToken);
        var textTime = text.Elapsed;
        var images = new List<GeneratedImage>();
        var denoise = TimeSpan.Zero;
        var decode = TimeSpan.Zero;
        var unetCalls = 0;
        var unetTime = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        for (var image = 0; image < request.Images; image++)
        {
            var seed = request.Seed + image;
            var scheduler = SchedulerFactory.Create(schedulerName, folder.Scheduler);
            scheduler.SetTimesteps(request.Steps);
            var h = request.Height / folder.VaeScaleFactor;
            var w = request.Width / folder.VaeScaleFactor;
            var c = folder.LatentChannels;
            var rng = new NumpyRandom((uint)(seed & 0xFFFFFFFF));
            var latents = rng.Randn(c * h * w);
            var sigma = (float)scheduler.InitNoiseSigma;
            for (var i = 0; i < latents.Length; i++) latents[i] *= sigma;
            var watch = Stopwatch.StartNew();
            for (var step = 0; step < scheduler.Timesteps.Length; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var input = scheduler.ScaleModelInput(latents, step);
                var noise = RunUnet(ref unetTime, folder, s.Unet, input, scheduler.Timesteps[step], scheduler.FractionalTimesteps, cond, cfg, request.Guidance, new long[] { 1, c, h, w }, runOptions, cancellationToken);
                unetCalls++;
                latents = scheduler.Step(noise, step, latents, rng);
                var done = image * scheduler.Timesteps.Length + step + 1;
                var all = request.Images * scheduler.Timesteps.Length;
                var elapsed = total.Elapsed;
                progress?.Report(new GenerationProgress(image, request.Images, step + 1, scheduler.Timesteps.Length, elapsed,
                    TimeSpan.FromTicks((long)(elapsed.Ticks / (double)done * (all - done)))));
            }
            denoise += watch.Elapsed;
            cancellationToken.ThrowIfCancellationRequested();
            var decodeWatch = Stopwatch.StartNew();
            latents = scheduler.FinalSample(latents);
            images.Add(Decode(s.VaeDecoder, latents, folder, new long[] { 1, c, h, w }, seed, runOptions, cancellationToken));
            decode += decodeWatch.Elapsed;
        }
        return new GenerationResult(images, new PhaseTimings(textTime, denoise, decode, loading), s.Provider.Provider, s.Provider.Reason, schedulerName, unetCalls) { UnetRunTime = unetTime };
    }

    public static void Validate(GenerationRequest r, ModelFolder folder)
    {
        var multiple = folder.SizeMultiple;
        if (r.Width <= 0 || r.Height <= 0 || r.Width % multiple != 0 || r.Height % multiple != 0)
            throw new ArgumentException($"{folder.Name} cannot generate {r.Width}×{r.Height}: width and height must be multiples of {multiple} " +
                $"(the latent space is {folder.VaeScaleFactor}× smaller{(multiple > Math.Max(8, folder.VaeScaleFactor) ? $" and its UNet halves it {System.Numerics.BitOperations.Log2((uint)(multiple / folder.VaeScaleFactor))} times" : "")}). " +
                $"Use e.g. {Round(r.Width, multiple)}×{Round(r.Height, multiple)}.");
        if (r.Steps < Core.Documents.SettingRanges.Steps.Min || r.Steps > Core.Documents.SettingRanges.Steps.Max)
            throw new ArgumentException($"Steps must be {Core.Documents.SettingRanges.Steps.Min} to {Core.Documents.SettingRanges.Steps.Max}, not {r.Steps}.");
        if (r.Images < 1) throw new ArgumentException("Images must be at least 1.");
        SchedulerFactory.Create(r.Scheduler, folder.Scheduler); // throws for unknown names and classes
    }

    /// <summary>On the CPU, refuses a request whose estimated peak (<see cref="MemoryEstimate"/>) is more than
    /// the machine has free, before allocating it, with the largest size of the same aspect that fits. GPU
    /// runs keep ONNX Runtime's own out-of-memory error, made readable in RunUnet. CARBONLSP_MEMORY_CHECK=off
    /// skips it (the estimate errs high for exports with fused attention).</summary>
    private static void CheckMemory(GenerationRequest r, ModelFolder folder, string provider, int batch)
    {
        if (provider != "cpu" || string.Equals(System.Environment.GetEnvironmentVariable("CARBONLSP_MEMORY_CHECK"), "off", StringComparison.OrdinalIgnoreCase)) return;
        var need = MemoryEstimate.For(folder, r.Width, r.Height, batch).PeakBytes;
        var available = HostMemory.AvailableBytes();
        if (need <= available) return;
        var fits = MemoryEstimate.LargestFitting(folder, r.Width, r.Height, batch, available);
        throw new InsufficientMemoryException(
            $"{folder.Name} at {r.Width}×{r.Height} needs about {HostMemory.Format(need)} of memory at its peak{(batch == 2 ? " (with guidance, two passes per step)" : "")}, " +
            $"and this machine has {HostMemory.Format(available)} free. " +
            (fits is { } f ? $"The largest size of this shape that fits: {f.Width}×{f.Height}; generate there and upscale. " : "Not even the smallest size fits: close other programs. ") +
            "(An estimate from the model's configs; CARBONLSP_MEMORY_CHECK=off runs it anyway.)");
    }

    /// <summary>What is left after Validate and the folder's checks: the export itself cannot run this
    /// request (a size its graph does not handle, a damaged file). One line with the component, the size and
    /// ONNX Runtime's first line, as a model problem (exit 1), not an internal error.</summary>
    private static ModelFolderException RunFailed(ModelFolder folder, OnnxComponent component, long[] shape, OnnxRuntimeException ex) =>
        new($"The {component.Name} of {folder.Name} failed at {shape[3] * folder.VaeScaleFactor}×{shape[2] * folder.VaeScaleFactor}: {ex.Message.Split('\n')[0].Trim()}. " +
            $"The export may not handle this size (try the model's native size) or is damaged (re-export it).", ex);

    private static int Round(int v, int m) => Math.Max(m, (int)Math.Round(v / (double)m) * m);

    /// <summary>Text conditioning: [uncond; cond] along the batch when guidance is on.</summary>
    private sealed record Conditioning(TensorData Hidden, TensorData? Pooled, TensorData? TimeIds);

    private static Conditioning Encode(ModelSessions.Loaded s, ModelFolder folder, GenerationRequest r, bool cfg, RunOptions ro, CancellationToken ct)
    {
        var texts = cfg ? new[] { r.NegativePrompt, r.Prompt } : new[] { r.Prompt };
        var batch = texts.Length;
        var zeroUncond = cfg && folder.ForceZerosForEmptyPrompt && string.IsNullOrEmpty(r.NegativePrompt);
        (float[] hidden, int dim, float[]? pooled, int pooledDim) Run(OnnxComponent encoder, Core.Tokenization.ClipTokenizer tokenizer, bool penultimate)
        {
            ct.ThrowIfCancellationRequested();
            var ids = texts.SelectMany(t => tokenizer.Encode(t)).ToArray();
            Dictionary<string, TensorResult> outputs;
            try { outputs = encoder.Run(new Dictionary<string, TensorData> { ["input_ids"] = TensorData.Of(ids, batch, tokenizer.MaxLength) }, ro); }
            catch (OnnxRuntimeException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
            catch (OnnxRuntimeException ex)
            {
                throw new ModelFolderException($"The {encoder.Name} of {folder.Name} failed: {ex.Message.Split('\n')[0].Trim()}. The export does not match its tokenizer ({tokenizer.MaxLength} tokens) or is damaged: re-export it.", ex);
            }
            TensorResult hidden;
            if (penultimate && outputs.Keys.Where(k => k.StartsWith("hidden_states.")).Select(k => int.Parse(k["hidden_states.".Length..])).DefaultIfEmpty(-1).Max() is var last && last >= 1)
                hidden = outputs[$"hidden_states.{last - 1}"];
            else
                hidden = outputs.TryGetValue("last_hidden_state", out var lh) ? lh : outputs[encoder.OutputNames[0]];
            // The pooled output of SDXL's second encoder is its 2-D output (text_embeds).
            var pooled = outputs.Values.FirstOrDefault(v => v.Shape.Length == 2);
            return (hidden.Values, (int)hidden.Shape[^1], pooled?.Values, pooled == null ? 0 : (int)pooled.Shape[^1]);
        }

        var (h1, d1, _, _) = Run(s.TextEncoder, folder.Tokenizer, penultimate: s.TextEncoder2 != null);
        if (s.TextEncoder2 == null)
        {
            if (zeroUncond) Array.Clear(h1, 0, h1.Length / 2);
            return new Conditioning(TensorData.Of(h1, batch, folder.Tokenizer.MaxLength, d1), null, null);
        }
        var (h2, d2, pooled, pd) = Run(s.TextEncoder2, folder.Tokenizer2!, penultimate: true);
        var seq = folder.Tokenizer.MaxLength;
        var joined = new float[batch * seq * (d1 + d2)];
        for (var b = 0; b < batch; b++)
        for (var t = 0; t < seq; t++)
        {
            Array.Copy(h1, (b * seq + t) * d1, joined, (b * seq + t) * (d1 + d2), d1);
            Array.Copy(h2, (b * seq + t) * d2, joined, (b * seq + t) * (d1 + d2) + d1, d2);
        }
        pooled ??= new float[batch * pd];
        if (zeroUncond)
        {
            Array.Clear(joined, 0, joined.Length / 2);
            Array.Clear(pooled, 0, pooled.Length / 2);
        }
        var ids6 = new float[] { r.Height, r.Width, 0, 0, r.Height, r.Width };
        var timeIds = Enumerable.Repeat(ids6, batch).SelectMany(x => x).ToArray();
        return new Conditioning(TensorData.Of(joined, batch, seq, d1 + d2), TensorData.Of(pooled, batch, pd), TensorData.Of(timeIds, batch, 6));
    }

    private static float[] RunUnet(ref TimeSpan sessionTime, ModelFolder folder, OnnxComponent unet, float[] latents, double t, bool fractional, Conditioning cond, bool cfg, double guidance, long[] shape, RunOptions ro, CancellationToken ct)
    {
        var batch = cfg ? 2 : 1;
        float[] sample;
        if (cfg)
        {
            sample = new float[latents.Length * 2];
            Array.Copy(latents, sample, latents.Length);
            Array.Copy(latents, 0, sample, latents.Length, latents.Length);
        }
        else sample = latents;
        var sampleShape = new[] { (long)batch, shape[1], shape[2], shape[3] };
        var inputs = new Dictionary<string, TensorData>
        {
            ["sample"] = TensorData.Of(sample, sampleShape),
            ["encoder_hidden_states"] = cond.Hidden,
            ["timestep"] = Timestep(unet, fractional ? t : Math.Round(t), batch),
        };
        if (cond.Pooled is { } pooled) inputs["text_embeds"] = pooled;
        if (cond.TimeIds is { } ids) inputs["time_ids"] = ids;
        if (unet.HasInput("timestep_cond")) inputs["timestep_cond"] = GuidanceEmbedding(guidance, unet.InputDimensions("timestep_cond")[^1], batch);
        Dictionary<string, TensorResult> outputs;
        var watch = Stopwatch.StartNew();
        try { outputs = unet.Run(inputs, ro); }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
        catch (OnnxRuntimeException ex) when (ex.Message.Contains("memory", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("allocate", StringComparison.OrdinalIgnoreCase))
        {
            throw new InsufficientMemoryException($"The model does not fit the device's memory at {shape[3] * folder.VaeScaleFactor}×{shape[2] * folder.VaeScaleFactor} ({ex.Message.Split('\n')[0]}). Use a smaller size, an fp16 export, a lighter model, or the CPU.", ex);
        }
        catch (OnnxRuntimeException ex) { throw RunFailed(folder, unet, shape, ex); }
        sessionTime += watch.Elapsed;
        var output = outputs.Values.First().Values;
        if (!cfg) return output;
        var n = latents.Length;
        var result = new float[n];
        for (var i = 0; i < n; i++) result[i] = (float)(output[i] + guidance * (output[n + i] - output[i]));
        return result;
    }

    /// <summary>The timestep in the form the graph declares: a scalar, a single value, or one per batch item.</summary>
    private static TensorData Timestep(OnnxComponent unet, double t, int batch)
    {
        var dims = unet.InputDimensions("timestep");
        if (dims.Length == 0) return TensorData.Scalar(t);
        var count = dims[0] == 1 ? 1 : batch;
        return new TensorData(Enumerable.Repeat(t, count).ToArray(), new long[] { count });
    }

    /// <summary>LCM's guidance embedding: w = (g − 1)·1000, sinusoidal, [sin…, cos…] (imagegen.md 2.1).</summary>
    internal static TensorData GuidanceEmbedding(double guidance, int dim, int batch)
    {
        var w = (guidance - 1) * 1000;
        var half = dim / 2;
        var emb = new float[dim];
        for (var k = 0; k < half; k++)
        {
            var freq = Math.Exp(-k * Math.Log(10000) / (half - 1));
            emb[k] = (float)Math.Sin(w * freq);
            emb[half + k] = (float)Math.Cos(w * freq);
        }
        return TensorData.Of(Enumerable.Repeat(emb, batch).SelectMany(x => x).ToArray(), batch, dim);
    }

    private static GeneratedImage Decode(OnnxComponent vae, float[] latents, ModelFolder folder, long[] shape, long seed, RunOptions ro, CancellationToken ct)
    {
        var scaled = new float[latents.Length];
        var k = (float)(1 / folder.VaeScalingFactor);
        for (var i = 0; i < latents.Length; i++) scaled[i] = latents[i] * k;
        TensorResult output;
        try { output = vae.Run(new Dictionary<string, TensorData> { ["latent_sample"] = TensorData.Of(scaled, shape) }, ro).Values.First(); }
        catch (OnnxRuntimeException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
        catch (OnnxRuntimeException ex) { throw RunFailed(folder, vae, shape, ex); }
        var height = (int)output.Shape[2];
        var width = (int)output.Shape[3];
        var plane = width * height;
        var rgb = new byte[plane * 3];
        for (var p = 0; p < plane; p++)
        for (var ch = 0; ch < 3; ch++)
        {
            var v = Math.Clamp(output.Values[ch * plane + p] / 2f + 0.5f, 0f, 1f);
            rgb[p * 3 + ch] = (byte)Math.Round(v * 255f, MidpointRounding.ToEven);
        }
        return new GeneratedImage(rgb, width, height, seed);
    }
}
