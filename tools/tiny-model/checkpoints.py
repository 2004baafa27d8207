"""Where carbon-tiny's weights live and how they are read and written: the training checkpoints (.pt in
train.py's --ckpt folder) and the exported model folder (models/carbon-tiny, export.py's output).

MODEL_DIR: the committed model folder. load / save_atomic: checkpoint files. build_models / build_ae: the
torch modules for a config (latents.CONFIG or a checkpoint's). folder_record: an exported folder's
carbon.json. load_from_onnx: the torch modules of an exported folder (the ONNX initializer names are the
torch parameter names; the folder's configs carry a carbon_tiny_arch block to rebuild them).
load_from_ckpt: the torch modules of a checkpoint folder. latent_config: the latent a model to be checked
works in. train.py, eval.py and export.py read and write weights through these.
"""
import json
import os

import torch

from latents import CONFIG, latent_channels
from models import TextEncoder, UNet, Encoder, Decoder

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "models", "carbon-tiny"))


def load(path):
    """torch.load onto the CPU, so a checkpoint written on a GPU opens anywhere. Our own files hold optimizer
    and generator states and plain config values, so not weights_only (torch 2.6 and later default to it)."""
    return torch.load(path, map_location="cpu", weights_only=False)


def build_models(vocab_size, cfg=CONFIG):
    te = TextEncoder(vocab_size, cfg["text_dim"], cfg["text_layers"], cfg["text_heads"])
    unet = UNet(tuple(cfg["unet_ch"]), cfg["text_dim"], cfg["latent_channels"], cfg["unet_tdim"], cfg["unet_heads"],
                coords=cfg.get("unet_coords", False), pos=cfg.get("unet_pos", False), pos_attn=cfg.get("unet_pos_attn", False),
                attn0=cfg.get("unet_attn0", False))
    return te, unet


def build_ae(cfg=CONFIG):
    return Encoder(tuple(cfg["ae_ch"]), cfg["latent_channels"]), Decoder(tuple(cfg["ae_ch"]), cfg["latent_channels"])


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def folder_record(model_dir):
    """An exported folder's carbon.json (export.py): its training steps and phases."""
    return json.load(open(os.path.join(model_dir, "carbon.json")))


def load_from_onnx(model_dir):
    import onnx
    from onnx import numpy_helper

    def weights(sub, prefix):
        m = onnx.load(os.path.join(model_dir, sub, "model.onnx"))
        return {i.name[len(prefix):]: torch.from_numpy(numpy_helper.to_array(i).copy())
                for i in m.graph.initializer if i.name.startswith(prefix)}

    tcfg = json.load(open(os.path.join(model_dir, "text_encoder", "config.json")))
    ucfg = json.load(open(os.path.join(model_dir, "unet", "config.json")))
    vcfg = json.load(open(os.path.join(model_dir, "vae_decoder", "config.json")))
    ta, ua, va = tcfg["carbon_tiny_arch"], ucfg["carbon_tiny_arch"], vcfg["carbon_tiny_arch"]
    te = TextEncoder(tcfg["vocab_size"], ta["text_dim"], ta["text_layers"], ta["text_heads"])
    te.load_state_dict(weights("text_encoder", "te."))
    unet = UNet(tuple(ua["unet_ch"]), ua["text_dim"], ua["latent_channels"], ua["unet_tdim"], ua["unet_heads"],
                coords=ua.get("coords", False), pos=ua.get("pos", False), pos_attn=ua.get("pos_attn", False),
                attn0=ua.get("attn0", False))
    unet.load_state_dict(weights("unet", "unet."))
    dec = Decoder(tuple(va["ae_ch"]), va["latent_channels"])
    dec.load_state_dict(weights("vae_decoder", "dec."))
    return te, unet, dec, vcfg["scaling_factor"]


def latent_config(args):
    """CONFIG with the latent of the model being checked (eval.py's arguments: --ckpt's ae.pt / ema.pt, or the
    --model folder's VAE config): which latents.fixed_encode turns ground-truth scenes into its latents."""
    if args.ckpt:
        ema = os.path.join(args.ckpt, "ema.pt")
        if os.path.exists(ema):
            c = load(ema)["config"]
            block, kind = c.get("latent_block", 4), c.get("latent_kind", False)
        else:   # decoder phase only so far
            ae = load(os.path.join(args.ckpt, "ae.pt"))
            block = ae.get("latent_block", 4)
            kind = ae.get("latent_kind", ae["dec"]["conv_in.weight"].shape[1] > latent_channels(block))
    else:
        vae = json.load(open(os.path.join(args.model, "vae_decoder", "config.json")))["carbon_tiny_arch"]
        block, kind = vae.get("latent_block", 4), vae.get("latent_kind", False)
    return dict(CONFIG, latent_block=block, latent_kind=kind, latent_channels=latent_channels(block, kind))


def load_from_ckpt(ckpt):
    st = load(os.path.join(ckpt, "ema.pt"))
    te, unet = build_models(st["vocab_size"], st["config"])
    te.load_state_dict(st["te"]); unet.load_state_dict(st["unet"])
    _, dec = build_ae(st["config"])
    dec.load_state_dict(load(os.path.join(ckpt, "ae.pt"))["dec"])
    return te, unet, dec, st["scaling_factor"], st["config"].get("prediction_type", "epsilon")

