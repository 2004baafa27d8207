using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>Latent Consistency Model sampling: timesteps from the original 50-step schedule, boundary
/// scalings, fresh noise between steps; the image is decoded from the denoised estimate.</summary>
public sealed class LcmScheduler(SchedulerConfig config) : Scheduler(config)
{
    private float[]? _denoised;

    public override void SetTimesteps(int steps)
    {
        var n = Config.NumTrainTimesteps;
        var original = Config.OriginalInferenceSteps;
        var k = n / original;
        var origin = Enumerable.Range(1, original).Select(i => (double)(i * k - 1)).Reverse().ToArray();
        var t = new double[steps];
        for (var i = 0; i < steps; i++) t[i] = origin[(int)Math.Floor(i * (double)original / steps)];
        Timesteps = t;
        _denoised = null;
    }

    public override float[] Step(float[] modelOutput, int index, float[] sample, NumpyRandom? rng)
    {
        var t = (int)Timesteps[index];
        var last = index == Timesteps.Length - 1;
        var prev = last ? t : (int)Timesteps[index + 1];
        var acp = AlphasCumprod[t];
        var final = Config.SetAlphaToOne ?? true ? 1.0 : AlphasCumprod[0];
        var acpPrev = prev >= 0 && !last ? AlphasCumprod[prev] : final;
        var s = Config.TimestepScaling * t;
        var cSkip = 0.25 / (s * s + 0.25);
        var cOut = s / Math.Sqrt(s * s + 0.25);
        var denoised = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            var (x0, _) = Predict(sample[i], modelOutput[i], acp);
            if (Config.ClipSample) x0 = Math.Clamp(x0, -Config.ClipSampleRange, Config.ClipSampleRange);
            denoised[i] = (float)(cOut * x0 + cSkip * sample[i]);
        }
        _denoised = denoised;
        if (last) return denoised;
        if (rng == null) throw new InvalidOperationException("LCM needs a random generator between steps.");
        var result = new float[sample.Length];
        var a = Math.Sqrt(acpPrev);
        var b = Math.Sqrt(1 - acpPrev);
        for (var i = 0; i < sample.Length; i++) result[i] = (float)(a * denoised[i] + b * rng.NextGaussian());
        return result;
    }

    public override float[] FinalSample(float[] lastSample) => _denoised ?? lastSample;
}
