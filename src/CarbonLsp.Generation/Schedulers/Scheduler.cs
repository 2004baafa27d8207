using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>
/// A diffusion sampler over flat float arrays (any batch and shape: every operation is element-wise).
/// The pipeline calls <see cref="SetTimesteps"/>, scales the initial noise by <see cref="InitNoiseSigma"/>,
/// then for each index i: model input = <see cref="ScaleModelInput"/>, model output, <see cref="Step"/>.
/// Math follows diffusers (imagegen.md section 3); the noise schedule is computed in float32 as diffusers does.
/// </summary>
public abstract class Scheduler
{
    protected Scheduler(SchedulerConfig config)
    {
        Config = config;
        var n = config.NumTrainTimesteps;
        Betas = new double[n];
        for (var i = 0; i < n; i++)
        {
            var f = n == 1 ? 0 : (double)i / (n - 1);
            Betas[i] = config.BetaSchedule switch
            {
                "scaled_linear" => Square(Math.Sqrt(config.BetaStart) + f * (Math.Sqrt(config.BetaEnd) - Math.Sqrt(config.BetaStart))),
                "linear" => config.BetaStart + f * (config.BetaEnd - config.BetaStart),
                var other => throw new NotSupportedException($"beta_schedule \"{other}\" is not supported (linear, scaled_linear)."),
            };
        }
        AlphasCumprod = new double[n];
        float acp = 1f;
        for (var i = 0; i < n; i++)
        {
            acp *= (float)(1.0 - (float)Betas[i]);
            AlphasCumprod[i] = acp;
        }
    }

    private static double Square(double x) => x * x;

    public SchedulerConfig Config { get; }
    public double[] Betas { get; }
    public double[] AlphasCumprod { get; }
    public double[] Timesteps { get; protected set; } = Array.Empty<double>();
    public virtual double InitNoiseSigma => 1.0;
    /// <summary>True when the UNet should receive the timestep as a float (Euler keeps fractional timesteps).</summary>
    public virtual bool FractionalTimesteps => false;

    public abstract void SetTimesteps(int steps);

    public virtual float[] ScaleModelInput(float[] sample, int index) => sample;

    /// <summary>One denoising step from index <paramref name="index"/>; returns the previous sample.</summary>
    public abstract float[] Step(float[] modelOutput, int index, float[] sample, NumpyRandom? rng);

    /// <summary>What to decode after the last step (LCM decodes its denoised estimate).</summary>
    public virtual float[] FinalSample(float[] lastSample) => lastSample;

    protected double SigmaAt(double t) => Math.Sqrt((1 - AlphasCumprod[(int)t]) / AlphasCumprod[(int)t]);

    /// <summary>The timesteps for <paramref name="steps"/> under a spacing, as diffusers' DDIM/Euler/LCM compute them.</summary>
    protected double[] Spaced(int steps, string spacing, bool integer)
    {
        var n = Config.NumTrainTimesteps;
        var t = new double[steps];
        switch (spacing)
        {
            case "leading":
                var ratio = n / steps;
                for (var i = 0; i < steps; i++) t[i] = (steps - 1 - i) * ratio + Config.StepsOffset;
                break;
            case "trailing":
                var r = (double)n / steps;
                for (var i = 0; i < steps; i++) t[i] = Math.Round(n - i * r, MidpointRounding.ToEven) - 1;
                break;
            case "linspace":
                for (var i = 0; i < steps; i++)
                {
                    var v = steps == 1 ? 0 : (n - 1) * (double)(steps - 1 - i) / (steps - 1);
                    t[i] = integer ? Math.Round(v, MidpointRounding.ToEven) : v;
                }
                break;
            default:
                throw new NotSupportedException($"timestep_spacing \"{spacing}\" is not supported (leading, trailing, linspace).");
        }
        // steps_offset can push the first timestep one past the schedule when steps ≈ training steps.
        for (var i = 0; i < t.Length; i++) t[i] = Math.Clamp(t[i], 0, n - 1);
        return t;
    }

    /// <summary>x0 and the noise estimate from the model output, for the prediction type.</summary>
    protected (double X0, double Eps) Predict(double x, double output, double alphaProd)
    {
        var beta = 1 - alphaProd;
        return Config.PredictionType switch
        {
            "epsilon" => ((x - Math.Sqrt(beta) * output) / Math.Sqrt(alphaProd), output),
            "v_prediction" => (Math.Sqrt(alphaProd) * x - Math.Sqrt(beta) * output, Math.Sqrt(alphaProd) * output + Math.Sqrt(beta) * x),
            "sample" => (output, (x - Math.Sqrt(alphaProd) * output) / Math.Sqrt(beta)),
            var other => throw new NotSupportedException($"prediction_type \"{other}\" is not supported."),
        };
    }
}
