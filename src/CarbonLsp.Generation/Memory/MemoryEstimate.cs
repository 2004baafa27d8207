using CarbonLsp.Generation.Models;

namespace CarbonLsp.Generation.Memory;

/// <summary>
/// The memory a request needs at its peak beyond the loaded weights, from the model's configs, before
/// anything is allocated (issue 20, item 4: 8192×8192 on the CPU grew past 3.6 GB in 25 s and on).
///
/// Three parts, each the tensors ONNX Runtime holds at once, float32:
/// - self-attention at the UNet's highest-resolution attention block: a score matrix and its softmax,
///   batch × heads × N² each, N the latent positions there. Exports write attention as MatMul + Softmax,
///   so it is quadratic in the pixel count and dominates large sizes;
/// - the UNet's convolutions at its first level: about eight feature maps of its first channel count
///   (the skip connections are held until the up path);
/// - the VAE decoder's last block at full resolution: about four maps of its first channel count.
/// The UNet and the decoder run one after the other, so the peak is the larger; times 1.15 for what the
/// sum leaves out. Fitted on carbon-tiny at 256², 512² and 1024² with guidance (peak RSS minus the 64²
/// run: 0.114, 1.34, 18.6 GB; estimate 0.092, 1.29, 20.0), and checked on a size it was not fitted to:
/// 1024×512 without guidance measured 2.59 GB, estimated 2.53 GB (MemoryEstimateTests, docs/reliability.md).
/// Exports that fuse attention (a memory-efficient kernel) need less; the estimate errs on that side.
/// </summary>
public static class MemoryEstimate
{
    private const double Slack = 1.15;
    private const long BytesPerValue = 4;

    public sealed record Need(long AttentionBytes, long UnetBytes, long DecoderBytes)
    {
        public long PeakBytes => (long)(Slack * Math.Max(AttentionBytes + UnetBytes, DecoderBytes));
    }

    /// <summary>The need of one image of width × height with the UNet batch (2 with classifier-free guidance).</summary>
    public static Need For(ModelFolder folder, int width, int height, int batch)
    {
        var shape = folder.Unet;
        var latentW = (double)width / folder.VaeScaleFactor;
        var latentH = (double)height / folder.VaeScaleFactor;
        double attention = 0;
        if (shape.FirstAttentionLevel is { } level)
        {
            var n = latentW / (1 << level) * (latentH / (1 << level));
            attention = 2.0 * batch * shape.HeadsAt(level) * n * n * BytesPerValue;
        }
        var unet = 8.0 * batch * shape.FirstChannels * latentW * latentH * BytesPerValue;
        var decoder = 4.0 * folder.DecoderFirstChannels * width * height * BytesPerValue;
        return new Need(Saturate(attention), Saturate(unet), Saturate(decoder));
    }

    private static long Saturate(double bytes) => bytes >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)bytes;

    /// <summary>The largest size of the same aspect ratio (multiples of the folder's size multiple) whose
    /// peak fits in <paramref name="availableBytes"/>; null when not even the smallest does.</summary>
    public static (int Width, int Height)? LargestFitting(ModelFolder folder, int width, int height, int batch, long availableBytes)
    {
        var m = folder.SizeMultiple;
        (int, int) At(double scale) => (Math.Max(m, (int)(width * scale / m) * m), Math.Max(m, (int)(height * scale / m) * m));
        bool Fits((int W, int H) s) => For(folder, s.W, s.H, batch).PeakBytes <= availableBytes;
        if (!Fits(At(0))) return null;
        double lo = 0, hi = 1;
        for (var i = 0; i < 40; i++)
        {
            var mid = (lo + hi) / 2;
            if (Fits(At(mid))) lo = mid; else hi = mid;
        }
        return At(lo);
    }
}
