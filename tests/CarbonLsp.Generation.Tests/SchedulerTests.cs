using CarbonLsp.Generation.Random;
using CarbonLsp.Generation.Schedulers;

namespace CarbonLsp.Generation.Tests;

/// <summary>The schedulers against diffusers' own unit-test expectations (imagegen.md section 4):
/// the deterministic dummy sample i/768 and dummy model x·t/(t+1).</summary>
public class SchedulerTests
{
    private static float[] DummySample() => Enumerable.Range(0, 768).Select(i => i / 768f).ToArray();
    private static float[] DummyNoise() => Enumerable.Range(0, 768).Select(i => (767 - i) / 768f).ToArray();
    private static float[] Model(float[] x, double t) => x.Select(v => (float)(v * (float)t / ((float)t + 1))).ToArray();
    private static double Sum(float[] x) => x.Sum(v => Math.Abs((double)v));

    private static readonly SchedulerConfig Linear = new() { NumTrainTimesteps = 1000, BetaStart = 0.0001, BetaEnd = 0.02, BetaSchedule = "linear" };

    private static float[] Loop(Scheduler s, float[] sample, bool quirk = false)
    {
        for (var i = 0; i < s.Timesteps.Length; i++)
        {
            var input = s.ScaleModelInput(sample, i);
            if (quirk) sample = input; // diffusers' Euler test replaces the sample with the scaled one
            sample = s.Step(Model(input, s.Timesteps[i]), i, sample, null);
        }
        return sample;
    }

    [Theory]
    [InlineData("epsilon", true, 0.0001, 172.0067)]
    [InlineData("v_prediction", true, 0.0001, 52.5302)]
    [InlineData("epsilon", true, 0.01, 149.8295)]
    [InlineData("epsilon", false, 0.01, 149.0784)]
    public void Ddim_full_loop_matches_diffusers(string prediction, bool alphaToOne, double betaStart, double expectedSum)
    {
        var s = new DdimScheduler(Linear with { PredictionType = prediction, SetAlphaToOne = alphaToOne, BetaStart = betaStart, ClipSample = true });
        s.SetTimesteps(10);
        Assert.Equal(new double[] { 900, 800, 700, 600, 500, 400, 300, 200, 100, 0 }, s.Timesteps);
        Assert.Equal(expectedSum, Sum(Loop(s, DummySample())), 2);
    }

    [Fact]
    public void Ddim_steps_offset_and_trailing_spacing()
    {
        var s = new DdimScheduler(Linear with { StepsOffset = 1 });
        s.SetTimesteps(5);
        Assert.Equal(new double[] { 801, 601, 401, 201, 1 }, s.Timesteps);
        var t = new DdimScheduler(Linear with { TimestepSpacing = "trailing" });
        t.SetTimesteps(4);
        Assert.Equal(new double[] { 999, 749, 499, 249 }, t.Timesteps);
    }

    [Fact]
    public void Euler_full_loop_matches_diffusers()
    {
        var s = new EulerScheduler(Linear with { NumTrainTimesteps = 1100 }, ancestral: false);
        s.SetTimesteps(10);
        Assert.Equal(1099, s.Timesteps[0], 6);
        Assert.Equal(976.8889, s.Timesteps[1], 3);
        Assert.Equal(261.0556, s.Sigmas[0], 3);
        var sample = DummySample().Select(v => (float)(v * s.InitNoiseSigma)).ToArray();
        var result = Loop(s, sample, quirk: true);
        Assert.Equal(10.0807, Sum(result), 2);
        Assert.Equal(0.0131, Sum(result) / 768, 3);
    }

    [Fact]
    public void Euler_karras_sigmas_match_diffusers()
    {
        var s = new EulerScheduler(Linear with { NumTrainTimesteps = 1100, UseKarrasSigmas = true }, ancestral: false);
        s.SetTimesteps(10);
        Assert.Equal(140.048, s.Sigmas[1], 2);
        Assert.Equal(1035.54, s.Timesteps[1], 1);
        var sample = DummySample().Select(v => (float)(v * s.InitNoiseSigma)).ToArray();
        Assert.Equal(124.523, Sum(Loop(s, sample, quirk: true)), 0);
    }

    [Fact]
    public void Euler_init_noise_sigma_depends_on_spacing()
    {
        var sd = new SchedulerConfig { BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", StepsOffset = 1, TimestepSpacing = "leading" };
        var leading = new EulerScheduler(sd, false);
        leading.SetTimesteps(20);
        Assert.Equal(951, leading.Timesteps[0]);
        Assert.Equal(11.0736, leading.InitNoiseSigma, 3);
        var trailing = new EulerScheduler(sd with { TimestepSpacing = "trailing" }, false);
        trailing.SetTimesteps(4);
        Assert.All(new[] { 14.614641, 4.081729, 1.612886, 0.693205, 0 }.Zip(trailing.Sigmas), p => Assert.True(Math.Abs(p.First - p.Second) < 2e-4));
        Assert.True(Math.Abs(14.614641 - trailing.InitNoiseSigma) < 1e-4); // float32 schedule, as diffusers computes it
    }

    [Theory]
    [InlineData("epsilon", 0.3301)]
    [InlineData("v_prediction", 0.2251)]
    public void Dpm_solver_2m_full_loop_matches_diffusers(string prediction, double expectedMean)
    {
        var s = new DpmSolverMultistepScheduler(Linear with { PredictionType = prediction, LowerOrderFinal = false, FinalSigmasType = "sigma_min" });
        s.SetTimesteps(10);
        Assert.Equal(new double[] { 999, 899, 799, 699, 599, 500, 400, 300, 200, 100 }, s.Timesteps);
        Assert.Equal(expectedMean, Sum(Loop(s, DummySample())) / 768, 3);
    }

    [Fact]
    public void Dpm_solver_spacing_for_sd_step_counts()
    {
        var s = new DpmSolverMultistepScheduler(Linear);
        s.SetTimesteps(25);
        Assert.Equal(new double[] { 999, 959, 919 }, s.Timesteps.Take(3));
        Assert.Equal(40, s.Timesteps[^1]);
    }

    [Fact]
    public void Lcm_one_step_matches_diffusers_and_timesteps_follow_the_original_schedule()
    {
        var cfg = new SchedulerConfig { BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", ClipSample = false, SetAlphaToOne = true };
        var s = new LcmScheduler(cfg);
        s.SetTimesteps(1);
        Assert.Equal(new double[] { 999 }, s.Timesteps);
        var result = s.Step(Model(DummySample(), 999), 0, DummySample(), null);
        Assert.Equal(18.7097, Sum(result), 2);
        s.SetTimesteps(4);
        Assert.Equal(new double[] { 999, 759, 499, 259 }, s.Timesteps);
        s.SetTimesteps(8);
        Assert.Equal(new double[] { 999, 879, 759, 639, 499, 379, 259, 139 }, s.Timesteps);
    }

    [Fact]
    public void Scaled_linear_schedule_matches_the_reference_anchors()
    {
        var s = new DdimScheduler(new SchedulerConfig { BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear" });
        Assert.Equal(0.99915, s.AlphasCumprod[0], 5);
        Assert.Equal(0.27766965, s.AlphasCumprod[499], 5);
        Assert.Equal(0.00466010, s.AlphasCumprod[999], 6);
    }

    [Fact]
    public void Ancestral_and_lcm_steps_are_reproducible_with_the_same_seed()
    {
        var cfg = new SchedulerConfig { BetaStart = 0.00085, BetaEnd = 0.012, BetaSchedule = "scaled_linear", TimestepSpacing = "trailing" };
        float[] Run(uint seed)
        {
            var s = new EulerScheduler(cfg, ancestral: true);
            s.SetTimesteps(4);
            var rng = new NumpyRandom(seed);
            var x = rng.Randn(64);
            for (var i = 0; i < 4; i++) x = s.Step(Model(s.ScaleModelInput(x, i), s.Timesteps[i]), i, x, rng);
            return x;
        }
        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Unknown_schedulers_are_refused_with_the_list()
    {
        var ex = Assert.Throws<UnknownSchedulerException>(() => SchedulerFactory.Create("karras-magic", new SchedulerConfig()));
        Assert.Contains("euler, euler-a, ddim, dpm++2m, lcm", ex.Message);
        Assert.IsType<DdimScheduler>(SchedulerFactory.Create(null, new SchedulerConfig { ClassName = "PNDMScheduler" }));
    }
}
