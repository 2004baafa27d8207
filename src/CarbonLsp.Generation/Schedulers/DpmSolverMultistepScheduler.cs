using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>DPM-Solver++ (2M, midpoint): second-order multistep in data-prediction form. Integer
/// timesteps with its own spacing (diffusers' DPMSolverMultistepScheduler).</summary>
public sealed class DpmSolverMultistepScheduler(SchedulerConfig config) : Scheduler(config)
{
    private double[] _sigmas = Array.Empty<double>();
    private float[]? _previousX0;
    private int _lowerOrderSteps;

    public double[] Sigmas => _sigmas;

    public override void SetTimesteps(int steps)
    {
        var n = Config.NumTrainTimesteps;
        var spacing = Config.TimestepSpacing ?? "linspace";
        var t = new double[steps];
        switch (spacing)
        {
            case "linspace":
                // linspace(0, n - 1, steps + 1).round() reversed, last dropped
                for (var i = 0; i < steps; i++) t[i] = Math.Round((n - 1) * (double)(steps - i) / steps, MidpointRounding.ToEven);
                break;
            case "leading":
                var ratio = n / (steps + 1);
                for (var i = 0; i < steps; i++) t[i] = (steps - i) * ratio + Config.StepsOffset;
                break;
            case "trailing":
                t = Spaced(steps, "trailing", integer: true);
                break;
            default:
                throw new NotSupportedException($"timestep_spacing \"{spacing}\" is not supported.");
        }
        Timesteps = t;
        _sigmas = new double[steps + 1];
        for (var i = 0; i < steps; i++) _sigmas[i] = SigmaAt(t[i]);
        _sigmas[steps] = Config.FinalSigmasType == "sigma_min" ? SigmaAt(0) : 0.0;
        _previousX0 = null;
        _lowerOrderSteps = 0;
    }

    private static (double Alpha, double Sigma) AlphaSigma(double sigma)
    {
        var alpha = 1 / Math.Sqrt(sigma * sigma + 1);
        return (alpha, sigma * alpha);
    }

    private static double Lambda(double sigma)
    {
        var (a, s) = AlphaSigma(sigma);
        return Math.Log(a) - Math.Log(s);
    }

    public override float[] Step(float[] modelOutput, int index, float[] sample, NumpyRandom? rng)
    {
        var steps = Timesteps.Length;
        var sigmaCur = _sigmas[index];
        var (alphaCur, sigmaTCur) = AlphaSigma(sigmaCur);
        var x0 = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            x0[i] = Config.PredictionType switch
            {
                "epsilon" => (float)((sample[i] - sigmaTCur * modelOutput[i]) / alphaCur),
                "v_prediction" => (float)(alphaCur * sample[i] - sigmaTCur * modelOutput[i]),
                "sample" => modelOutput[i],
                var other => throw new NotSupportedException($"prediction_type \"{other}\" is not supported."),
            };
        }
        var sigmaNext = _sigmas[index + 1];
        var lowerOrderFinal = index == steps - 1 && (Config.LowerOrderFinal && steps < 15 || Config.FinalSigmasType == "zero");
        var firstOrder = _previousX0 == null || _lowerOrderSteps < 1 || lowerOrderFinal;
        var result = new float[sample.Length];
        if (sigmaNext == 0)
        {
            // Final sigma zero: the update reduces exactly to the data prediction.
            Array.Copy(x0, result, x0.Length);
        }
        else
        {
            var (alphaNext, sigmaTNext) = AlphaSigma(sigmaNext);
            var h = Lambda(sigmaNext) - Lambda(sigmaCur);
            var expm = Math.Exp(-h) - 1;
            if (firstOrder)
            {
                for (var i = 0; i < sample.Length; i++)
                    result[i] = (float)(sigmaTNext / sigmaTCur * sample[i] - alphaNext * expm * x0[i]);
            }
            else
            {
                var h0 = Lambda(sigmaCur) - Lambda(_sigmas[index - 1]);
                var r0 = h0 / h;
                for (var i = 0; i < sample.Length; i++)
                {
                    double d0 = x0[i], d1 = (x0[i] - _previousX0![i]) / r0;
                    result[i] = (float)(sigmaTNext / sigmaTCur * sample[i] - alphaNext * expm * d0 - 0.5 * alphaNext * expm * d1);
                }
            }
        }
        _previousX0 = x0;
        _lowerOrderSteps++;
        return result;
    }
}
