"""Export carbon-tiny to the diffusers ONNX folder layout (models/carbon-tiny).

    python3 export.py [--ckpt /tmp/carbon-tiny-ckpt] [--out ../../models/carbon-tiny]

Writes text_encoder/, unet/, vae_decoder/ (model.onnx + config.json), scheduler/,
model_index.json and carbon.json; the tokenizer/ folder is written by
clip_tokenizer.py --build. Then checks every graph with onnx.checker + shape
inference and compares it against torch with the small numpy ONNX interpreter in
onnx_np.py (onnx 1.12 has no reference evaluator and there is no onnxruntime here).
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checkpoints import MODEL_DIR, build_ae, build_models, load  # noqa: E402
from clip_tokenizer import ClipTokenizer  # noqa: E402
from models import count_params  # noqa: E402

OPSET = 17
DEFAULTS = {"defaultSteps": 20, "defaultGuidance": 2.0, "defaultScheduler": "ddim", "width": 64, "height": 64}


class TextEncoderOnnx(nn.Module):
    def __init__(self, te):
        super().__init__()
        self.te = te

    def forward(self, input_ids):
        return self.te(input_ids)


class UNetOnnx(nn.Module):
    def __init__(self, unet):
        super().__init__()
        self.unet = unet

    def forward(self, sample, timestep, encoder_hidden_states):
        return self.unet(sample, timestep, encoder_hidden_states)


class VaeDecoderOnnx(nn.Module):
    def __init__(self, dec):
        super().__init__()
        self.dec = dec

    def forward(self, latent_sample):
        return torch.clamp(self.dec(latent_sample), -1.0, 1.0)


TRAINING_INFO = {}


def load_torch(ckpt_dir):
    st = load(os.path.join(ckpt_dir, "ema.pt"))
    TRAINING_INFO.update(st.get("training", {}))       # phase 7 on --base-model: the folder's record
    TRAINING_INFO.update({k: st[k] for k in ("phase2_steps", "posattn_steps", "polish_steps", "phase4_steps", "attn16_steps",
                                             "contrast_steps", "variety_steps") if k in st})
    cfg = st["config"]
    te, unet = build_models(st["vocab_size"], cfg)
    te.load_state_dict(st["te"])
    unet.load_state_dict(st["unet"])
    enc, dec = build_ae(cfg)
    ae = load(os.path.join(ckpt_dir, "ae.pt"))
    dec.load_state_dict(ae["dec"])
    TRAINING_INFO.update({k: ae[k] for k in ("kind_steps", "gen_steps") if ae.get(k)})   # decoder phases 1b and 7
    for m in (te, unet, dec):
        m.eval()
    return te, unet, dec, st["scaling_factor"], cfg, st["step"]


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def export_graph(module, args, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(module, args, path, opset_version=OPSET, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic_axes,
                          do_constant_folding=False, export_params=True)
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="/tmp/carbon-tiny-ckpt")
    ap.add_argument("--out", default=MODEL_DIR)
    ap.add_argument("--skip-verify", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(2)
    out = args.out
    te, unet, dec, sf, cfg, step = load_torch(args.ckpt)
    tok = ClipTokenizer.from_dir(os.path.join(out, "tokenizer"))
    vocab_size = len(tok.encoder)
    D = cfg["text_dim"]
    C = cfg["latent_channels"]

    ids = torch.tensor([tok(""), tok("one large red circle on a blue background, top left")], dtype=torch.int32)
    export_graph(TextEncoderOnnx(te), (ids,), os.path.join(out, "text_encoder", "model.onnx"),
                 ["input_ids"], ["last_hidden_state", "pooler_output"],
                 {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}, "pooler_output": {0: "batch"}})
    sample = torch.randn(2, C, 16, 16)
    timestep = torch.tensor([500, 500], dtype=torch.int64)
    ehs = torch.randn(2, 77, D)
    export_graph(UNetOnnx(unet), (sample, timestep, ehs), os.path.join(out, "unet", "model.onnx"),
                 ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
                 {"sample": {0: "batch", 2: "height", 3: "width"}, "timestep": {0: "timestep_batch"},
                  "encoder_hidden_states": {0: "batch", 1: "sequence"},
                  "out_sample": {0: "batch", 2: "height", 3: "width"}})
    lat = torch.randn(1, C, 16, 16)
    export_graph(VaeDecoderOnnx(dec), (lat,), os.path.join(out, "vae_decoder", "model.onnx"),
                 ["latent_sample"], ["sample"],
                 {"latent_sample": {0: "batch", 2: "latent_height", 3: "latent_width"},
                  "sample": {0: "batch", 2: "image_height", 3: "image_width"}})

    # ---- configs (diffusers field names; carbon_tiny_arch lets eval.py rebuild the torch modules)
    write_json(os.path.join(out, "text_encoder", "config.json"), {
        "_class_name": "CarbonTinyTextEncoder", "architectures": ["CarbonTinyTextEncoder"],
        "model_type": "carbon_tiny_text", "vocab_size": vocab_size, "hidden_size": D,
        "intermediate_size": 4 * D, "num_hidden_layers": cfg["text_layers"],
        "num_attention_heads": cfg["text_heads"], "max_position_embeddings": 77,
        "hidden_act": "silu", "attention": "bidirectional (no causal mask)",
        "bos_token_id": tok.bos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.pad_id,
        "pooler": "state at argmax(input_ids) (first <|endoftext|>)",
        "input_ids_dtype": "int32", "torch_dtype": "float32",
        "carbon_tiny_arch": {"text_dim": D, "text_layers": cfg["text_layers"], "text_heads": cfg["text_heads"]},
    })
    attn0 = bool(cfg.get("unet_attn0", False))
    write_json(os.path.join(out, "unet", "config.json"), {
        "_class_name": "UNet2DConditionModel", "_diffusers_version": "0.0.0-carbon-tiny",
        "sample_size": 16, "in_channels": C, "out_channels": C, "cross_attention_dim": D,
        "block_out_channels": cfg["unet_ch"], "layers_per_block": 1, "attention_head_dim": 4,
        "down_block_types": ["CrossAttnDownBlock2D" if attn0 else "DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
        "up_block_types": ["CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D" if attn0 else "UpBlock2D"],
        "norm_num_groups": 8, "act_fn": "silu", "time_embedding_dim": cfg["unet_tdim"],
        "flip_sin_to_cos": True, "freq_shift": 0, "time_cond_proj_dim": None,
        "timestep_input": "int64 [batch] or [1] (broadcast)", "sample_multiple_of": 4,
        "carbon_tiny_arch": {"unet_ch": cfg["unet_ch"], "unet_tdim": cfg["unet_tdim"], "unet_heads": cfg["unet_heads"],
                             "latent_channels": cfg["latent_channels"], "text_dim": D,
                             "coords": bool(cfg.get("unet_coords", False)),
                             "pos": bool(cfg.get("unet_pos", False)),
                             "pos_attn": bool(cfg.get("unet_pos_attn", False)), "attn0": attn0},
    })
    write_json(os.path.join(out, "vae_decoder", "config.json"), {
        "_class_name": "AutoencoderKL", "_diffusers_version": "0.0.0-carbon-tiny",
        "in_channels": 3, "out_channels": 3, "latent_channels": cfg["latent_channels"],
        "block_out_channels": cfg["ae_ch"], "layers_per_block": 1, "norm_num_groups": 8, "act_fn": "silu",
        "sample_size": 64, "scaling_factor": round(sf, 6), "force_upcast": False,
        "down_block_types": ["DownEncoderBlock2D"] * 3, "up_block_types": ["UpDecoderBlock2D"] * 3,
        "carbon_tiny_arch": {"ae_ch": cfg["ae_ch"], "latent_channels": cfg["latent_channels"],
                             "latent_block": cfg.get("latent_block", 4), "latent_kind": bool(cfg.get("latent_kind", False))},
        "note": "plain autoencoder (not KL); decoder output is clamped to [-1, 1] inside the graph",
    })
    write_json(os.path.join(out, "scheduler", "scheduler_config.json"), {
        "_class_name": "DDIMScheduler", "_diffusers_version": "0.0.0-carbon-tiny",
        "num_train_timesteps": cfg["num_train_timesteps"], "beta_start": cfg["beta_start"],
        "beta_end": cfg["beta_end"], "beta_schedule": cfg["beta_schedule"], "trained_betas": None,
        "prediction_type": cfg.get("prediction_type", "epsilon"), "timestep_spacing": "trailing", "steps_offset": 0,
        "set_alpha_to_one": False, "clip_sample": False, "clip_sample_range": 1.0,
        "thresholding": False, "rescale_betas_zero_snr": False,
    })
    write_json(os.path.join(out, "model_index.json"), {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": "0.0.0-carbon-tiny",
        "feature_extractor": [None, None], "requires_safety_checker": False, "safety_checker": [None, None],
        "scheduler": ["diffusers", "DDIMScheduler"], "text_encoder": ["diffusers", "OnnxRuntimeModel"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["diffusers", "OnnxRuntimeModel"],
        "vae_decoder": ["diffusers", "OnnxRuntimeModel"], "vae_encoder": [None, None],
        # catalogId: a copy of this folder elsewhere (a "model" path) still resolves to the catalog entry.
        "carbonlsp": dict(DEFAULTS, catalogId="carbon-tiny"),
    })
    sizes = {}
    total = 0
    for root, _, files in os.walk(out):
        for f in files:
            p = os.path.join(root, f)
            if f.endswith(".onnx"):
                sizes[os.path.relpath(p, out)] = os.path.getsize(p)
            total += os.path.getsize(p)
    params = {"text_encoder": count_params(te), "unet": count_params(unet), "vae_decoder": count_params(dec)}
    carbon = {
        "name": "carbon-tiny", "training_steps": step, "scaling_factor": round(sf, 6),
        "training": TRAINING_INFO,
        "parameters": params, "parameters_total": sum(params.values()),
        "onnx_bytes": sizes, "folder_bytes_before_this_file": total, "opset": OPSET, "dtype": "float32",
        "defaults": DEFAULTS,
    }
    write_json(os.path.join(out, "carbon.json"), carbon)
    print(json.dumps(carbon, indent=1))

    if not args.skip_verify:
        import onnx_np
        with torch.no_grad():
            ref = te(ids)
            got = onnx_np.run(os.path.join(out, "text_encoder", "model.onnx"), {"input_ids": ids.numpy()})
            for name, r, g in zip(["last_hidden_state", "pooler_output"], ref, got):
                print(f"text_encoder {name}: shape {g.shape} max abs diff {np.abs(r.numpy() - g).max():.2e}")
                assert np.abs(r.numpy() - g).max() < 1e-3
            ctx = ref[0]
            for ts, smp, c in [(timestep, sample, ctx), (torch.tensor([999]), sample, ctx),
                               (torch.tensor([10]), torch.randn(1, C, 8, 12), ctx[:1])]:
                r = unet(smp, ts, c).numpy()
                g = onnx_np.run(os.path.join(out, "unet", "model.onnx"),
                                {"sample": smp.numpy(), "timestep": ts.numpy(), "encoder_hidden_states": c.numpy()})[0]
                print(f"unet sample {tuple(smp.shape)} timestep {tuple(ts.shape)}: out {g.shape} "
                      f"max abs diff {np.abs(r - g).max():.2e}")
                assert r.shape == g.shape and np.abs(r - g).max() < 1e-3
            r = torch.clamp(dec(lat), -1, 1).numpy()
            g = onnx_np.run(os.path.join(out, "vae_decoder", "model.onnx"), {"latent_sample": lat.numpy()})[0]
            print(f"vae_decoder: out {g.shape} max abs diff {np.abs(r - g).max():.2e}")
            assert np.abs(r - g).max() < 1e-3
        print("ONNX graphs match torch (numpy interpreter)")


if __name__ == "__main__":
    main()
