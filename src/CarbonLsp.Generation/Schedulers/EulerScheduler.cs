using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>Euler (and, with <c>ancestral</c>, Euler Ancestral): sigma-space steps; fractional timesteps
/// interpolated on the training sigmas; default spacing "linspace".</summary>
public sealed class EulerScheduler(SchedulerConfig config, bool ancestral) : Scheduler(config)
{
    private double[] _sigmas = Array.Empty<double>();

    public bool Ancestral => ancestral;
    public override bool FractionalTimesteps => true;
    public double[] Sigmas => _sigmas;

    public override double InitNoiseSigma
    {
        get
        {
            var max = _sigmas.Length == 0 ? 1 : _sigmas.Max();
            return (Config.TimestepSpacing ?? "linspace") is "linspace" or "trailing" ? max : Math.Sqrt(max * max + 1);
        }
    }

    public override void SetTimesteps(int steps)
    {
        var spacing = Config.TimestepSpacing ?? "linspace";
        Timesteps = Spaced(steps, spacing, integer: false);
        var n = Config.NumTrainTimesteps;
        var trainSigmas = new double[n];
        for (var i = 0; i < n; i++) trainSigmas[i] = Math.Sqrt((1 - AlphasCumprod[i]) / AlphasCumprod[i]);
        var sigmas = new double[steps + 1];
        for (var i = 0; i < steps; i++)
        {
            var t = Timesteps[i];
            var lo = (int)Math.Floor(t);
            var hi = Math.Min(lo + 1, n - 1);
            var w = t - lo;
            sigmas[i] = trainSigmas[lo] * (1 - w) + trainSigmas[hi] * w;
        }
        if (Config.UseKarrasSigmas)
        {
            const double rho = 7.0;
            var max = sigmas[0];
            var min = sigmas[steps - 1];
            var logTrain = trainSigmas.Select(s => Math.Log(s)).ToArray();
            for (var i = 0; i < steps; i++)
            {
                var f = steps == 1 ? 0 : (double)i / (steps - 1);
                sigmas[i] = Math.Pow(Math.Pow(max, 1 / rho) + f * (Math.Pow(min, 1 / rho) - Math.Pow(max, 1 / rho)), rho);
                Timesteps[i] = SigmaToT(sigmas[i], logTrain);
            }
        }
        sigmas[steps] = Config.FinalSigmasType == "sigma_min" ? trainSigmas[0] : 0.0;
        _sigmas = sigmas;
    }

    private static double SigmaToT(double sigma, double[] logSigmas)
    {
        var ls = Math.Log(sigma);
        var lo = 0;
        for (var i = 0; i < logSigmas.Length; i++) if (logSigmas[i] <= ls) lo = i;
        lo = Math.Min(lo, logSigmas.Length - 2);
        var w = Math.Clamp((logSigmas[lo] - ls) / (logSigmas[lo] - logSigmas[lo + 1]), 0, 1);
        return (1 - w) * lo + w * (lo + 1);
    }

    public override float[] ScaleModelInput(float[] sample, int index)
    {
        var s = _sigmas[index];
        var k = (float)(1 / Math.Sqrt(s * s + 1));
        var result = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++) result[i] = sample[i] * k;
        return result;
    }

    public override float[] Step(float[] modelOutput, int index, float[] sample, NumpyRandom? rng)
    {
        var sigma = _sigmas[index];
        var next = _sigmas[index + 1];
        double sigmaUp = 0, sigmaDown = next;
        if (ancestral)
        {
            sigmaUp = Math.Sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
            sigmaDown = Math.Sqrt(next * next - sigmaUp * sigmaUp);
        }
        var result = new float[sample.Length];
        for (var i = 0; i < sample.Length; i++)
        {
            double x = sample[i], e = modelOutput[i];
            var x0 = Config.PredictionType switch
            {
                "epsilon" => x - sigma * e,
                "v_prediction" => e * (-sigma / Math.Sqrt(sigma * sigma + 1)) + x / (sigma * sigma + 1),
                "sample" => e,
                var other => throw new NotSupportedException($"prediction_type \"{other}\" is not supported."),
            };
            var d = (x - x0) / sigma;
            result[i] = (float)(x + d * (sigmaDown - sigma));
        }
        if (ancestral && sigmaUp > 0)
        {
            if (rng == null) throw new InvalidOperationException("Euler Ancestral needs a random generator.");
            for (var i = 0; i < result.Length; i++) result[i] += (float)(rng.NextGaussian() * sigmaUp);
        }
        return result;
    }
}
