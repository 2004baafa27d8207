"""carbon-tiny's latent space: the architecture and schedule constants (CONFIG), the DDPM betas, and the
fixed (non-learned) encoder that turns 64x64 scenes into the latents the UNet works in.

fixed_encode: per 4x4 patch the mean R, G, B and an edge strength, plus with latent_kind the kind channel
(kind_channel: the patch's coverage by the shape colour times a code for the scene's shape kind, read from
the image with scenes.analyze). train.py trains on these latents; eval.py encodes ground-truth scenes
with them (--check-decoder, --check-shape-word); checkpoints.py builds the models CONFIG describes.
train.main updates CONFIG in place from its arguments (latent_block, latent_channels, latent_kind, ...),
so every default cfg=CONFIG here and in checkpoints.py sees the run's values.
"""
import numpy as np
import torch

from scenes import PALETTE, analyze

# Architecture / schedule constants shared by train.py, checkpoints.py and eval.py (checkpoints keep a copy,
# which export.py writes into the exported configs).
CONFIG = {
    "text_dim": 64,
    "text_layers": 1,
    "text_heads": 4,
    "unet_ch": [48, 64, 128],
    "unet_tdim": 128,
    "unet_heads": 4,
    "ae_ch": [24, 48, 64],
    # The fixed encoder's latent (fixed_encode). latent_block 4: per 4x4 patch its mean R, G, B and
    # its edge strength, 16x16x4 (the published weights). latent_block 2 (--latent-block 2, an
    # experiment): the mean colour of each 2x2 block, the four blocks of a 4x4 patch as channels,
    # 16x16x12, so a shape's corners are seen at 2-pixel resolution.
    "latent_block": 4,
    "latent_channels": 4,
    # scaling_factor = latent_input_scale / std of the latents (1.0: unit variance). Below 1 it
    # lowers the SNR at every timestep: input scaling as a noise-schedule shift (T. Chen, "On the
    # Importance of Noise Scheduling for Diffusion Models", 2023). With latent_block 2 each patch's
    # colour is noised four times independently, so its layout shows through the noise ~4x more
    # clearly (in SNR) than with one value per patch; 0.5 puts it back (--latent-input-scale).
    "latent_input_scale": 1.0,
    # latent_kind (--kind-channel, the default since 2026-12-02): a fifth latent channel, per 4x4 patch the
    # mean shape coverage times the shape's kind (circle -1, square +1, triangle 0), so that "circle" or "square"
    # decides a value over every cell of the shape, as a colour word does, not a corner cell or two.
    "latent_kind": False,
    "num_train_timesteps": 1000,
    "beta_start": 0.0001,
    "beta_end": 0.02,
    "beta_schedule": "linear",
    # v-prediction (diffusers "v_prediction"): at high noise the target is ~ -x0, so the layout
    # of the scene (where the shapes go) carries real weight in the loss; with epsilon targets it
    # hardly did and the first model ignored the position words.
    "prediction_type": "v_prediction",
    "unet_coords": True,      # x, y input channels from step 0
    "unet_pos": True,         # coordinate embedding on the cross-attention tokens
    "unet_attn0": False,      # text cross-attention at the 16x16 level too (phase 5 adds it)
}


def make_betas(cfg=CONFIG):
    # diffusers: torch.linspace(beta_start, beta_end, N, dtype=torch.float32) for "linear"
    if cfg["beta_schedule"] == "linear":
        betas = torch.linspace(cfg["beta_start"], cfg["beta_end"], cfg["num_train_timesteps"], dtype=torch.float32)
    else:  # scaled_linear
        betas = torch.linspace(cfg["beta_start"] ** 0.5, cfg["beta_end"] ** 0.5, cfg["num_train_timesteps"],
                               dtype=torch.float32) ** 2
    return betas


def alphas_cumprod(cfg=CONFIG):
    return torch.cumprod(1.0 - make_betas(cfg), dim=0)


def to_tensor_images(u8):
    return torch.from_numpy(u8).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)


def latent_channels(block, kind=False):
    """Channels of fixed_encode's latent for a latent_block: 4 (colour + edge) or 12 (four 2x2 blocks x RGB),
    plus the kind channel (latent_kind)."""
    return (4 if block == 4 else 3 * (4 // block) ** 2) + (1 if kind else 0)


KIND_CODE = {"circle": -1.0, "square": 1.0, "triangle": 0.0}


def kind_channel(x):
    """[B,3,64,64] in [-1,1] -> [B,1,16,16]: per 4x4 patch the mean coverage of the shape colour times
    KIND_CODE of the scene's shape (all shapes of a scene are one kind). Background, shape colour and kind
    are read from the image itself with scenes.analyze (on ground-truth renders it returns the generator's
    kind; train.encode_latents logs the agreement on the training set); coverage is each pixel's position on
    the line from the background colour to the shape colour, clipped to [0, 1]."""
    u8 = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()
    out = np.zeros((u8.shape[0], 1) + u8.shape[1:3], dtype=np.float32)
    for i, img in enumerate(u8):
        r = analyze(img)
        if r["shape"] is None:
            continue
        fg, bg = PALETTE[r["colour"]], PALETTE[r["background"]]
        d = fg - bg
        out[i, 0] = np.clip(((img - bg) @ d) / (d @ d), 0.0, 1.0) * KIND_CODE[r["shape"]]
    return torch.nn.functional.avg_pool2d(torch.from_numpy(out), 4)


def fixed_encode(x, cfg=CONFIG):
    """The (fixed, non-learned) encoder: [B,3,H,W] in [-1,1] -> [B,C,H/4,W/4] raw latents.

    latent_block 4 (C = 4): channels 0-2 the mean R, G, B of each 4x4 patch; channel 3 2 x the RMS
    deviation of the patch pixels from the patch mean colour (edge strength).
    latent_block 2 (C = 12): the mean R, G, B of each 2x2 block, then space-to-depth: the 2x2 blocks
    of each 4x4 patch become channels (channel = colour * 4 + row * 2 + column).
    The UNet works on raw * scaling_factor; the learned decoder maps raw latents back to pixels."""
    b = cfg.get("latent_block", 4)
    m = torch.nn.functional.avg_pool2d(x, b)
    if b == 2:
        return torch.nn.functional.pixel_unshuffle(m, 2)
    var = torch.nn.functional.avg_pool2d(x * x, 4) - m * m
    edge = 2.0 * var.clamp(min=0).mean(dim=1, keepdim=True).sqrt()
    if cfg.get("latent_kind"):
        return torch.cat([m, edge, kind_channel(x)], dim=1)
    return torch.cat([m, edge], dim=1)


@torch.no_grad()
def encode_u8(u8):
    """fixed_encode of uint8 images [n, 64, 64, 3], 1000 at a time (each image's latent is its own)."""
    return torch.cat([fixed_encode(to_tensor_images(u8[i:i + 1000])) for i in range(0, u8.shape[0], 1000)])
