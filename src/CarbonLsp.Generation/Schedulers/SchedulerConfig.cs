using Newtonsoft.Json.Linq;

using CarbonLsp.Generation.Random;

namespace CarbonLsp.Generation.Schedulers;

/// <summary>The fields of diffusers' scheduler_config.json that the algorithms use, with diffusers' defaults.</summary>
public sealed record SchedulerConfig
{
    public string ClassName { get; init; } = "EulerDiscreteScheduler";
    public int NumTrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.0001;
    public double BetaEnd { get; init; } = 0.02;
    public string BetaSchedule { get; init; } = "linear";
    public string PredictionType { get; init; } = "epsilon";
    /// <summary>"leading", "trailing" or "linspace"; null means the algorithm's own default.</summary>
    public string? TimestepSpacing { get; init; }
    public int StepsOffset { get; init; }
    public bool? SetAlphaToOne { get; init; }
    public bool ClipSample { get; init; } = true;
    public double ClipSampleRange { get; init; } = 1.0;
    public int OriginalInferenceSteps { get; init; } = 50;
    public double TimestepScaling { get; init; } = 10.0;
    public bool UseKarrasSigmas { get; init; }
    public bool LowerOrderFinal { get; init; } = true;
    public string FinalSigmasType { get; init; } = "zero";

    public static SchedulerConfig FromJson(JObject j)
    {
        var d = new SchedulerConfig();
        string S(string k, string def) => j[k] is JValue { Type: JTokenType.String } v ? (string)v! : def;
        double D(string k, double def) => j[k] is JValue { Type: JTokenType.Float or JTokenType.Integer } v ? (double)v : def;
        bool B(string k, bool def) => j[k] is JValue { Type: JTokenType.Boolean } v ? (bool)v : def;
        var config = new SchedulerConfig
        {
            ClassName = S("_class_name", d.ClassName),
            NumTrainTimesteps = (int)D("num_train_timesteps", d.NumTrainTimesteps),
            BetaStart = D("beta_start", d.BetaStart),
            BetaEnd = D("beta_end", d.BetaEnd),
            BetaSchedule = S("beta_schedule", d.BetaSchedule),
            PredictionType = S("prediction_type", d.PredictionType),
            TimestepSpacing = j["timestep_spacing"] is JValue { Type: JTokenType.String } ts ? (string)ts! : null,
            StepsOffset = (int)D("steps_offset", 0),
            SetAlphaToOne = j["set_alpha_to_one"] is JValue { Type: JTokenType.Boolean } sa ? (bool)sa : null,
            ClipSample = B("clip_sample", d.ClipSample),
            ClipSampleRange = D("clip_sample_range", d.ClipSampleRange),
            OriginalInferenceSteps = (int)D("original_inference_steps", d.OriginalInferenceSteps),
            TimestepScaling = D("timestep_scaling", d.TimestepScaling),
            UseKarrasSigmas = B("use_karras_sigmas", false),
            LowerOrderFinal = B("lower_order_final", true),
            FinalSigmasType = S("final_sigmas_type", "zero"),
        };
        config.Check();
        return config;
    }

    /// <summary>Values the algorithms cannot work with (a division by zero, an empty schedule) are refused
    /// here with the field's name, not found later as an index error in the middle of a run.</summary>
    private void Check()
    {
        if (NumTrainTimesteps is < 1 or > 100_000)
            throw new InvalidDataException($"num_train_timesteps must be a whole number from 1 to 100000 (1000 in Stable Diffusion), not {NumTrainTimesteps}.");
        if (StepsOffset < 0 || StepsOffset >= NumTrainTimesteps)
            throw new InvalidDataException($"steps_offset must be from 0 to num_train_timesteps - 1 ({NumTrainTimesteps - 1}), not {StepsOffset}.");
        if (!(BetaStart > 0 && BetaStart < 1) || !(BetaEnd > 0 && BetaEnd < 1) || BetaStart > BetaEnd)
            throw new InvalidDataException($"beta_start and beta_end must lie between 0 and 1 with beta_start <= beta_end (0.00085 and 0.012 in Stable Diffusion), not {BetaStart} and {BetaEnd}.");
        if (OriginalInferenceSteps < 1)
            throw new InvalidDataException($"original_inference_steps must be at least 1, not {OriginalInferenceSteps}.");
    }
}
