"""Sampling as diffusers' OnnxStableDiffusionPipeline + DDIMScheduler do it, in torch on the CPU.

generate: latents from numpy.random.RandomState(seed).randn(1, C, 16, 16) (C = the UNet's channels: 5
with the kind channel, 4 without, 12 for train.py --latent-block 2), uncond prompt "" first, one UNet
call on the concatenated batch with timestep [t], eps = u + g * (c - u), DDIM step (eta 0) (denoise),
decode latents / scaling_factor, image = clip(x / 2 + 0.5, 0, 1) * 255 rounded (decode_u8).
eval.py samples with these; train.py's phase 7 denoises noised training latents with denoise.
"""
import numpy as np
import torch

class DDIM:
    """diffusers DDIMScheduler (eta = 0) for the fields used by scheduler_config.json."""

    def __init__(self, cfg):
        n = cfg["num_train_timesteps"]
        if cfg["beta_schedule"] == "linear":
            betas = torch.linspace(cfg["beta_start"], cfg["beta_end"], n, dtype=torch.float32)
        elif cfg["beta_schedule"] == "scaled_linear":
            betas = torch.linspace(cfg["beta_start"] ** 0.5, cfg["beta_end"] ** 0.5, n, dtype=torch.float32) ** 2
        else:
            raise ValueError(cfg["beta_schedule"])
        self.acp = torch.cumprod(1.0 - betas, dim=0)
        self.final = torch.tensor(1.0) if cfg["set_alpha_to_one"] else self.acp[0]
        self.cfg = cfg
        self.n_train = n

    def set_timesteps(self, steps):
        cfg, n = self.cfg, self.n_train
        spacing = cfg.get("timestep_spacing", "leading")
        if spacing == "leading":
            ratio = n // steps
            ts = (np.arange(0, steps) * ratio).round()[::-1].astype(np.int64) + cfg.get("steps_offset", 0)
        elif spacing == "trailing":
            ratio = n / steps
            ts = np.round(np.arange(n, 0, -ratio)).astype(np.int64) - 1
        elif spacing == "linspace":
            ts = np.linspace(0, n - 1, steps).round()[::-1].astype(np.int64)
        else:
            raise ValueError(spacing)
        self.steps = steps
        self.timesteps = ts
        return ts

    def step(self, out, t, x):
        prev = t - self.n_train // self.steps
        a_t = self.acp[t]
        a_prev = self.acp[prev] if prev >= 0 else self.final
        kind = self.cfg.get("prediction_type", "epsilon")
        if kind == "epsilon":
            eps = out
            x0 = (x - (1 - a_t).sqrt() * eps) / a_t.sqrt()
        elif kind == "v_prediction":
            x0 = a_t.sqrt() * x - (1 - a_t).sqrt() * out
            eps = a_t.sqrt() * out + (1 - a_t).sqrt() * x
        else:
            raise ValueError(kind)
        if self.cfg.get("clip_sample", False):
            x0 = x0.clamp(-1, 1)
        return a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps


@torch.no_grad()
def generate(prompts, seeds, te, unet, dec, sf, tok, sched_cfg, steps, guidance):
    """Batch version of the diffusers ONNX pipeline (same math per image)."""
    sched = DDIM(sched_cfg)
    ts = sched.set_timesteps(steps)
    cond = te(torch.tensor([tok(p) for p in prompts], dtype=torch.int32))[0]
    uncond = te(torch.tensor([tok("")] * len(prompts), dtype=torch.int32))[0]
    channels = unet.conv_out.out_channels
    x = torch.from_numpy(np.concatenate([np.random.RandomState(s).randn(1, channels, 16, 16).astype(np.float32)
                                         for s in seeds]))
    return decode_u8(dec, denoise(x, ts, cond, uncond, unet, sched, guidance), sf)


def denoise(x, ts, cond, uncond, unet, sched, guidance):
    """The pipeline's loop over the timesteps ts: one UNet call per step (uncond + cond batched when guiding)."""
    b = x.shape[0]
    for t in ts:
        t = int(t)
        if guidance > 1.0:
            out = unet(torch.cat([x, x]), torch.tensor([t], dtype=torch.int64), torch.cat([uncond, cond]))
            eps = out[:b] + guidance * (out[b:] - out[:b])
        else:
            eps = unet(x, torch.tensor([t], dtype=torch.int64), cond)
        x = sched.step(eps, t, x)
    return x


def decode_u8(dec, x, sf):
    """Latents -> uint8 [B, H, W, 3], as the pipeline post-processes."""
    img = torch.clamp(dec(x / sf), -1, 1)
    img = np.clip(img.numpy() / 2 + 0.5, 0, 1).transpose(0, 2, 3, 1)
    return np.round(img * 255).astype(np.uint8)
