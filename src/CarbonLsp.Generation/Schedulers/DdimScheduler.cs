using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>DDIM (eta 0: deterministic). Integer timesteps; default spacing "leading".</summary>
public sealed class DdimScheduler(SchedulerConfig config) : Scheduler(config)
{
    private int _stepRatio;

    public override void SetTimesteps(int steps)
    {
        _stepRatio = Config.NumTrainTimesteps / steps;
        Timesteps = Spaced(steps, Config.TimestepSpacing ?? "leading", integer: true);
    }

    public override float[] Step(float[] modelOutput, int index, float[] sample, NumpyRandom? rng)
    {
        var t = (int)Timesteps[index];
        var prev = t - _stepRatio;
        var final = Config.SetAlphaToOne ?? true ? 1.0 : AlphasCumprod[0];
        var acp = AlphasCumprod[t];
        var acpPrev = prev >= 0 ? AlphasCumprod[prev] : final;
        var result = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            var (x0, eps) = Predict(sample[i], modelOutput[i], acp);
            if (Config.ClipSample) x0 = Math.Clamp(x0, -Config.ClipSampleRange, Config.ClipSampleRange);
            result[i] = (float)(Math.Sqrt(acpPrev) * x0 + Math.Sqrt(1 - acpPrev) * eps);
        }
        return result;
    }
}
