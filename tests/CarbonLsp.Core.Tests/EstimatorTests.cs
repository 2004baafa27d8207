using CarbonLsp.Core.Catalog;
using CarbonLsp.Core.Estimation;

namespace CarbonLsp.Core.Tests;

public class EstimatorTests
{
    private static readonly ModelCatalog Catalog = ModelCatalog.Default;
    private static readonly FootprintEstimator Estimator = new(Catalog);
    private static readonly DeviceSpec H100 = Catalog.FindDevice("nvidia-h100")!;
    private static readonly DeviceSpec Rtx4090 = Catalog.FindDevice("nvidia-rtx-4090")!;

    private static Footprint Est(string model, int steps = 25, int? size = null, double? guidance = null, Precision precision = Precision.Fp16, int images = 1, DeviceSpec? device = null, double intensity = 400, double pue = 1)
    {
        var m = Catalog.FindModel(model)!;
        return Estimator.Estimate(new EstimateRequest(m, device ?? H100, steps, size ?? m.NativeWidth, size ?? m.NativeHeight, guidance ?? m.DefaultGuidance, precision, images), intensity, pue);
    }

    [Fact]
    public void Denoising_energy_is_linear_in_steps()
    {
        var a = Est("sdxl", 20).Phases.DenoisingWh;
        var b = Est("sdxl", 40).Phases.DenoisingWh;
        Assert.Equal(2, b / a, 6);
    }

    [Fact]
    public void Classifier_free_guidance_roughly_doubles_a_big_models_denoising()
    {
        // ML.ENERGY v2, SDXL on H100: batch 2 costs 869 J per image against 969 J at batch 1, so
        // doubling the denoiser's batch (what guidance does) costs about 1.8x, not 2x. The device model
        // (fitted at batch 1 and 8) gives about 1.5x: a prediction 16% under, kept visible here.
        var withCfg = Est("sdxl", guidance: 5).Phases.DenoisingWh;
        var without = Est("sdxl", guidance: 1).Phases.DenoisingWh;
        Assert.InRange(withCfg / without, 1.4, 2.0);
    }

    [Fact]
    public void Embedded_guidance_never_doubles()
    {
        Assert.Equal(Est("flux-dev", guidance: 3.5).EnergyWh.Mid, Est("flux-dev", guidance: 1).EnergyWh.Mid, 9);
    }

    [Fact]
    public void Energy_scales_with_images_and_pixels()
    {
        Assert.Equal(4 * Est("sd15").EnergyWh.Mid, Est("sd15", images: 4).EnergyWh.Mid, 9);
        // Bertazzini et al. 2025: doubling the resolution costs 1.3x to 4.7x the energy.
        Assert.InRange(Est("sd15", size: 1024).EnergyWh.Mid / Est("sd15", size: 512).EnergyWh.Mid, 1.3, 4.7);
    }

    [Fact]
    public void Fp32_costs_more_than_fp16()
    {
        var ratio = Est("sdxl", precision: Precision.Fp32).AcceleratorWh.Mid / Est("sdxl", precision: Precision.Fp16).AcceleratorWh.Mid;
        Assert.InRange(ratio, 2.0, 3.0);
    }

    [Fact]
    public void Carbon_is_energy_times_pue_times_intensity()
    {
        var f = Est("sdxl", intensity: 300, pue: 1.5);
        Assert.Equal(f.EnergyWh.Mid / 1000 * 1.5 * 300, f.Co2eGrams.Mid, 9);
        Assert.Equal(f.EnergyWh.Low / 1000 * 1.5 * 300, f.Co2eGrams.Low, 9);
    }

    [Fact]
    public void Splits_accelerator_and_host_and_shows_a_range()
    {
        var f = Est("sdxl", device: Rtx4090);
        Assert.Equal(f.AcceleratorWh.Mid + f.HostWh.Mid, f.EnergyWh.Mid, 9);
        Assert.True(f.HostWh.Mid > 0);
        Assert.True(f.EnergyWh.Low < f.EnergyWh.Mid && f.EnergyWh.Mid < f.EnergyWh.High);
        Assert.True(f.Phases.DenoisingWh > f.Phases.DecodingWh && f.Phases.DecodingWh > f.Phases.TextEncodingWh);
    }

    [Fact]
    public void Transfers_across_devices_as_the_published_measurements_do()
    {
        // ML.ENERGY: per image at batch 1, an A100 uses about 0.98-1.16x an H100's energy and a B200
        // 0.82-1.03x: small models on big GPUs wait on launches, so the peak-TFLOPS ratio (3.2x, 0.44x)
        // says little. The device model transfers time and power apart.
        foreach (var model in new[] { "sdxl", "sd15", "sd3-medium", "ssd-1b" })
            Assert.InRange(Est(model, device: Catalog.FindDevice("nvidia-a100")).AcceleratorWh.Mid / Est(model).AcceleratorWh.Mid, 0.85, 1.35);
        foreach (var model in new[] { "flux-dev", "sd35-large", "pixart-sigma", "hunyuan-dit" })
            Assert.InRange(Est(model, device: Catalog.FindDevice("nvidia-b200")).AcceleratorWh.Mid / Est(model).AcceleratorWh.Mid, 0.75, 1.15);
        // A device without measurements of its own shows a wider range than one with them.
        Assert.True(Est("sdxl", device: Rtx4090).EnergyWh.High / Est("sdxl", device: Rtx4090).EnergyWh.Mid > Est("sdxl").EnergyWh.High / Est("sdxl").EnergyWh.Mid);
    }

    [Fact]
    public void Small_models_on_big_gpus_draw_far_below_tdp()
    {
        // ML.ENERGY v2: SDXL-Turbo at batch 1 on an H100 averages about 212 W of 700 W.
        var m = Catalog.FindModelById("sdxl-turbo")!;
        var r = new EstimateRequest(m, H100, 25, 512, 512, 5, Precision.Fp16);
        var p = Estimator.Predict(r);
        Assert.InRange(p.TotalJ / p.Seconds, 150, 350);
    }

    [Fact]
    public void Puts_the_seed_claim_right_1000_sdxl_images_match_about_4_miles()
    {
        // Power Hungry Processing: SDXL, 1,000 images, 1,594 g CO2e ≈ 4.1 miles (not one image).
        var miles = Estimator.ToEquivalents(11_490, 1_594).MilesDriven;
        Assert.InRange(miles, 3.9, 4.2);
        Assert.InRange(Estimator.ToEquivalents(11.49, 1.594).MilesDriven, 0.0039, 0.0042);
        // 11.49 kWh is about 522 smartphone charges (FAccT version, EPA 0.022 kWh per charge).
        Assert.InRange(Estimator.ToEquivalents(11_490, 0).SmartphoneCharges, 520, 524);
    }

    [Fact]
    public void Rates_from_a_to_e()
    {
        Assert.Equal('A', Estimator.Rate(0.01));
        Assert.Equal('C', Estimator.Rate(0.2));
        Assert.Equal('E', Estimator.Rate(5));
        Assert.Equal('A', Est("sdxl-turbo", 1, guidance: 0).Rating);
        Assert.Equal('E', Est("flux-dev", 50).Rating);
    }

    private sealed class FakeCalibration(LocalCalibration c) : ICalibrationSource
    {
        public LocalCalibration? Find(string modelId, string deviceId) => modelId == c.ModelId && deviceId == c.DeviceId ? c : null;
        public long Version => 1;
    }

    [Fact]
    public void Uses_local_measurements_when_the_ledger_has_them()
    {
        var m = Catalog.FindModelById("sd15")!;
        var local = new LocalCalibration("sd15", "nvidia-rtx-4090", 3, 0.5, 0.05, 0.1);
        var est = new FootprintEstimator(Catalog, new FakeCalibration(local));
        var request = new EstimateRequest(m, Rtx4090, 10, 512, 512, 0, Precision.Fp16);
        var f = est.Estimate(request, 400, 1);
        Assert.Equal(EstimateBasis.MeasuredLocally, f.Basis);
        Assert.Contains("3 local runs", f.BasisDetail);
        Assert.Equal(0.5 * Estimator.UncalibratedAcceleratorWh(request), f.AcceleratorWh.Mid, 9);
        Assert.Equal(Estimator.Estimate(request, 400, 1).AcceleratorWh.Mid / 2, f.AcceleratorWh.Mid, 9);
    }
}
