"""Create tiny random-weight diffusers-style ONNX model folders under tests/models/ (test fixtures for the C# pipeline).

Run from anywhere (Debian's Python, which has python3-torch 1.13 and python3-onnx 1.12):
    PYENV_VERSION=system python3 tools/test-models/make_test_models.py
Deterministic: fixed seeds, single thread; re-running rewrites byte-identical files. See tools/test-models/README.md.

Every sub-model is a tiny torch module exported with torch.onnx.export (opset 17), then post-processed (explicit
Cast to int64 after `input_ids`), checked with onnx.checker and onnx.shape_inference, and evaluated with a small numpy
interpreter (onnx_np_eval.py) against torch, because onnxruntime is not available for Python here.
"""
import copy
import hashlib
import io
import json
import os
import shutil
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tiny-model"))
import clip_tokenizer as ct  # noqa: E402  (the one CLIP tokenizer of the tools: tools/tiny-model/clip_tokenizer.py)
import onnx_np_eval  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "tests", "models")
OPSET = 17
SEQ = 77
D1 = 32  # text_encoder hidden size (= cross_attention_dim of the SD-like folders)
D2 = 48  # SDXL text_encoder_2 hidden size and projection dim
LAYERS = 2  # -> hidden_states.0 .. hidden_states.2
CH = 16  # UNet channels
COND = 32  # LCM time_cond_proj_dim
ALLOWED_OPS = {"Conv", "Add", "Mul", "MatMul", "Softmax", "Reshape", "Transpose", "Concat", "Tanh", "Sigmoid",
               "Resize", "Gather", "Cast", "ReduceMean", "Unsqueeze", "Constant"}
FOLDERS = ["tiny-sd15-int32", "tiny-sd-int64-floatts", "tiny-sd-scalar-ts", "tiny-sdxl", "tiny-lcm",
           "broken-missing-unet", "broken-corrupt-unet"]
DIFFUSERS_VERSION = "0.31.0"

# Words the tiny BPE vocabulary turns into single tokens (learned with clip_tokenizer.learn_bpe).
VOCAB_WORDS = ["a", "red", "cat", "circle", "on", "the", "photo", "of", "blue", "green", "dog", "and", "in",
               "square", "with", "sky"]

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------------------
# tokenizer

def make_tokenizer_data():
    merges = ct.learn_bpe([(w, 1) for w in VOCAB_WORDS])
    vocab = ct.build_vocab(merges)
    tok = ct.ClipTokenizer(vocab, merges)
    for w in VOCAB_WORDS:  # the merges reproduce every training word as one token under lowest-rank-first BPE
        assert len(tok.tokenize(w)) == 1, (w, tok.tokenize(w))
    assert vocab["!"] == 0 and vocab["!</w>"] == 256
    return vocab, merges


def _added_token(content):
    return {"content": content, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False}


def write_tokenizer(path, vocab, merges, pad, style):
    """style 'legacy': special_tokens_map with plain strings, tokenizer_config with {"__type": "AddedToken"} dicts
    (SD 1.5 repos); style 'dict': both files with plain AddedToken dicts (newer transformers, e.g. sdxl-turbo)."""
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(path, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    names = {"bos_token": ct.BOS, "eos_token": ct.EOS, "pad_token": pad, "unk_token": ct.EOS}
    if style == "legacy":
        stm = names
        cfg_tokens = {k: dict(__type="AddedToken", **_added_token(v)) for k, v in names.items()}
        cfg_tokens["pad_token"] = pad  # SD 1.5 keeps pad_token a plain string in tokenizer_config.json
    else:
        stm = {k: _added_token(v) for k, v in names.items()}
        cfg_tokens = dict(names)
    cfg = {"add_prefix_space": False, **cfg_tokens, "do_lower_case": True, "errors": "replace",
           "model_max_length": SEQ, "name_or_path": "tiny-test", "tokenizer_class": "CLIPTokenizer"}
    dump_json(os.path.join(path, "special_tokens_map.json"), stm)
    dump_json(os.path.join(path, "tokenizer_config.json"), dict(sorted(cfg.items())))


def write_tokenizer_vectors(vocab, merges):
    toks = {"<|endoftext|>": ct.ClipTokenizer(vocab, merges, pad_token=ct.EOS),
            "!": ct.ClipTokenizer(vocab, merges, pad_token="!")}
    long_text = " ".join((["a", "red", "cat", "on", "the", "blue", "square"] * 15)[:100])
    texts = ["", "a red cat", "A RED Cat!", "a photo of a cat", "\U0001F600 red car", long_text, "zebra",
             "it's a dog's life; isn't it?", "  green   circle\tin\nthe sky  ", "caf\u00e9 \u00fcber &amp; 3.14",
             "a cat<|endoftext|>dog"]
    t = toks[ct.EOS]
    vectors = [{"text": s, "ids": t.encode(s), "tokens": t.tokenize(s)} for s in texts]
    padded = []
    for s in ["a red cat", long_text, ""]:
        padded.append({"text": s, "pad_token": {k: v(s) for k, v in toks.items()}})
        for v in toks.values():
            assert len(v(s)) == SEQ
    doc = {
        "source": "tools/tiny-model/clip_tokenizer.py (HF CLIPTokenizer algorithm, ftfy treated as identity) "
                  "with the tiny vocabulary of tests/models/*/tokenizer*; regenerate with make_test_models.py",
        "vocab_size": len(vocab), "bos_id": t.bos_id, "eos_id": t.eos_id, "pad_ids": {ct.EOS: t.eos_id, "!": 0},
        "note": "'ids' include BOS and EOS, before truncation and padding. 'padded' holds the exact 77-id tokenizer "
                "output (truncated keeping EOS last, then padded) for each pad token. The same vocab and merges are "
                "used by every tokenizer folder; only pad_token differs. A literal '<|endoftext|>' in the text maps to "
                "the EOS id (openai/HF behaviour).",
        "vectors": vectors,
        "padded": padded,
    }
    dump_json(os.path.join(OUT, "tokenizer-vectors.json"), doc, indent=1)
    return t


# ---------------------------------------------------------------------------------------------------------------
# torch modules (random weights, built right after torch.manual_seed)

class Lin(nn.Module):
    """x @ W (+ b): exports as MatMul (+ Add), never Gemm."""

    def __init__(self, i, o, bias=True, std=None):
        super().__init__()
        self.w = nn.Parameter(torch.randn(i, o) * (std if std is not None else i ** -0.5))
        self.b = nn.Parameter(torch.randn(o) * 0.1) if bias else None

    def forward(self, x):
        y = torch.matmul(x, self.w)
        return y + self.b if self.b is not None else y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.q, self.k, self.v, self.o = (Lin(d, d, bias=False) for _ in range(4))
        self.f1, self.f2 = Lin(d, 2 * d), Lin(2 * d, d, std=0.5 * (2 * d) ** -0.5)
        self.scale = d ** -0.5

    def forward(self, h):
        att = torch.softmax(torch.matmul(self.q(h), self.k(h).transpose(1, 2)) * self.scale, dim=-1)
        h = h + 0.5 * self.o(torch.matmul(att, self.v(h)))
        return h + self.f2(torch.tanh(self.f1(h)))


class TextEncoder(nn.Module):
    """kind 'clip': (last_hidden_state, pooler_output); 'clip_hs': + hidden_states.0..N;
    'proj': (text_embeds, last_hidden_state, hidden_states.0..N) like CLIPTextModelWithProjection."""

    def __init__(self, vocab_size, d, kind):
        super().__init__()
        self.kind = kind
        self.tok = nn.Parameter(torch.randn(vocab_size, d) * 0.5)
        self.pos = nn.Parameter(torch.randn(SEQ, d) * 0.2)
        self.blocks = nn.ModuleList(Block(d) for _ in range(LAYERS))
        self.g = nn.Parameter(1 + 0.1 * torch.randn(d))
        self.beta = nn.Parameter(0.1 * torch.randn(d))
        self.proj = Lin(d, d, bias=False) if kind == "proj" else None

    def forward(self, input_ids):
        h = self.tok[input_ids.long()] + self.pos  # Gather on an int64 index
        hs = [h]
        for b in self.blocks:
            h = b(h)
            hs.append(h)
        last = h * self.g + self.beta
        pooled = last.mean(dim=1)  # (real CLIP takes the EOS position; a mean keeps the graph simple)
        if self.kind == "proj":
            return (self.proj(pooled), last, *hs)
        if self.kind == "clip_hs":
            return (last, pooled, *hs)
        return last, pooled


class UNet(nn.Module):
    def __init__(self, ctx_dim, text_embeds_dim=None, time_ids=False, cond_dim=None):
        super().__init__()
        self.conv_in = nn.Conv2d(4, CH, 3, padding=1)
        self.t_freq = nn.Parameter(torch.linspace(0.5, 8.0, CH).reshape(1, CH))  # timestep "frequencies"
        self.t_phase = nn.Parameter(torch.randn(CH))
        self.t_lin = Lin(CH, CH)
        self.ctx_lin = Lin(ctx_dim, CH)
        self.te = Lin(text_embeds_dim, CH) if text_embeds_dim else None
        self.tid = Lin(6, CH) if time_ids else None
        self.cond = Lin(cond_dim, CH) if cond_dim else None
        self.q = Lin(CH, CH, bias=False)
        self.k = Lin(ctx_dim, CH, bias=False)
        self.v = Lin(ctx_dim, CH, bias=False)
        self.o = Lin(CH, CH, bias=False)
        self.conv_mid = nn.Conv2d(CH, CH, 3, padding=1)
        self.conv_out = nn.Conv2d(CH, 4, 3, padding=1)
        self.scale = CH ** -0.5

    def forward(self, sample, timestep, encoder_hidden_states, *extra):
        t = timestep.float().reshape(-1, 1) * 0.001  # 0-d, [1] or [B] -> [N, 1] (broadcasts against the batch)
        emb = self.t_lin(torch.tanh(torch.matmul(t, self.t_freq) + self.t_phase))  # [N, CH]
        emb = emb + torch.tanh(self.ctx_lin(encoder_hidden_states.mean(dim=1)))  # [B, CH]
        i = 0
        if self.te is not None:
            emb = emb + torch.tanh(self.te(extra[i]))
            i += 1
        if self.tid is not None:
            emb = emb + torch.tanh(self.tid(extra[i] * (1.0 / 256.0)))
            i += 1
        if self.cond is not None:
            emb = emb + torch.tanh(self.cond(extra[i]))
            i += 1
        x = self.conv_in(sample) + emb.unsqueeze(-1).unsqueeze(-1)  # [B, CH, h, w]
        q = self.q(x.permute(0, 2, 3, 1))  # [B, h, w, CH]
        k = self.k(encoder_hidden_states).unsqueeze(1)  # [B, 1, 77, CH]
        v = self.v(encoder_hidden_states).unsqueeze(1)
        att = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * self.scale, dim=-1)  # [B, h, w, 77]
        x = x + self.o(torch.matmul(att, v)).permute(0, 3, 1, 2)
        x = x * torch.sigmoid(x)
        x = self.conv_mid(x)
        x = x * torch.sigmoid(x)
        return 2.0 * torch.tanh(0.5 * (self.conv_out(x) + 0.5 * sample))  # finite, in (-2, 2)


class VaeDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(4, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 3, 1)
        self.c3 = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, latent_sample):
        x = self.c1(latent_sample)
        x = self.c2(x * torch.sigmoid(x))
        x = F.interpolate(x, scale_factor=8.0, mode="nearest")
        return torch.tanh(self.c3(x))  # [-1, 1]


def build(cls, seed, *args, **kw):
    torch.manual_seed(seed)
    m = cls(*args, **kw)
    m.eval()
    return m


# ---------------------------------------------------------------------------------------------------------------
# export helpers

def ensure_int64_cast(model, name):
    """Make sure every consumer of input `name` reads it through a Cast(to=INT64) (torch drops a no-op .long())."""
    g = model.graph
    consumers = [n for n in g.node if name in n.input]
    if consumers and all(n.op_type == "Cast" and n.attribute[0].i == TensorProto.INT64 for n in consumers):
        return
    cast_out = name + "_int64"
    for n in consumers:
        for k, x in enumerate(n.input):
            if x == name:
                n.input[k] = cast_out
    g.node.insert(0, helper.make_node("Cast", [name], [cast_out], name="Cast_" + name, to=TensorProto.INT64))


def export(module, args, input_names, output_names, dynamic_axes):
    f = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(module, tuple(args), f, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    model = onnx.load_from_string(f.getvalue())
    if "input_ids" in input_names:
        ensure_int64_cast(model, "input_ids")
    for n in model.graph.node:
        n.doc_string = ""
    ops = {n.op_type for n in model.graph.node}
    assert ops <= ALLOWED_OPS, ops - ALLOWED_OPS
    onnx.checker.check_model(model)
    return model


def save(model, path, external=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if external:
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True, location=external,
                        size_threshold=0)
    else:
        onnx.save_model(model, path)
    onnx.checker.check_model(path)  # by path, so external data is found
    inferred = onnx.shape_inference.infer_shapes(onnx.load(path), strict_mode=True)
    assert len(inferred.graph.output) == len(model.graph.output)


def dump_json(path, obj, indent=2):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=indent, ensure_ascii=False)
        f.write("\n")


# ---------------------------------------------------------------------------------------------------------------
# checks: finite, sane range, every input matters, ONNX (numpy interpreter) == torch

def check_module(module, feeds, names, onnx_path, label, report):
    torch_args = [torch.from_numpy(feeds[n]) for n in names]
    with torch.no_grad():
        ref = [o.numpy() for o in _as_tuple(module(*torch_args))]
    for o in ref:
        assert np.isfinite(o).all(), label
        assert np.abs(o).max() < 100, (label, np.abs(o).max())
    got = onnx_np_eval.run(onnx_path, feeds)
    for r, g in zip(ref, got):
        assert r.shape == g.shape, (label, r.shape, g.shape)
        err = float(np.abs(r - g).max())
        assert err < 1e-4, (label, err)
    # every input changes the first output (and for batched inputs, only its own batch item is fed differently)
    for n in names:
        alt = dict(feeds)
        x = feeds[n]
        if n == "timestep":
            alt[n] = np.asarray(x // 2, dtype=x.dtype)
        elif x.dtype in (np.int32, np.int64):
            alt[n] = (x + 1) % 100
        else:
            alt[n] = x + np.float32(0.37) if x.ndim < 2 else x * np.float32(-0.8) + np.float32(0.1)
        with torch.no_grad():
            out = _as_tuple(module(*[torch.from_numpy(alt[m]) for m in names]))[0].numpy()
        diff = float(np.abs(out - ref[0]).max())
        assert diff > 1e-4, (label, n, diff)
    report.append((label, [float(np.abs(r).max()) for r in ref]))
    return ref


EXPECTED = {}
tok_merges = []


def wave(shape, f, amp):
    """Deterministic float32 input reproducible in C#: x[i] = amp * sin(f * (i + 1)) over the flat index i (float64)."""
    n = int(np.prod(shape))
    return (amp * np.sin(f * (np.arange(n, dtype=np.float64) + 1))).astype(np.float32).reshape(shape)


def record_expected(module, path, feeds, outs, desc):
    with torch.no_grad():
        res = _as_tuple(module(*[torch.from_numpy(v) for v in feeds.values()]))
    got = onnx_np_eval.run(path, feeds)
    entry = {"inputs": {k: {"dtype": str(v.dtype), "shape": list(v.shape), "value": desc[k]} for k, v in feeds.items()},
             "outputs": {}}
    for name, r, g in zip(outs, res, got):
        r = r.numpy()
        assert np.abs(r - g).max() < 1e-4
        entry["outputs"][name] = {"shape": list(r.shape), "sum": round(float(r.astype(np.float64).sum()), 5),
                                  "mean_abs": round(float(np.abs(r.astype(np.float64)).mean()), 6),
                                  "first8": [round(float(x), 6) for x in r.reshape(-1)[:8]]}
    EXPECTED[os.path.relpath(path, OUT)] = entry


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


# ---------------------------------------------------------------------------------------------------------------
# folder writers

def sched(cls, **kw):
    base = {"_class_name": cls, "_diffusers_version": DIFFUSERS_VERSION, "beta_end": 0.012,
            "beta_schedule": "scaled_linear", "beta_start": 0.00085, "num_train_timesteps": 1000,
            "prediction_type": "epsilon", "steps_offset": 1, "trained_betas": None}
    base.update(kw)
    return dict(sorted(base.items()))


def text_config(vocab, d, proj=False):
    return {"_name_or_path": "tiny-test", "architectures": ["CLIPTextModelWithProjection" if proj else "CLIPTextModel"],
            "bos_token_id": vocab[ct.BOS], "eos_token_id": vocab[ct.EOS], "hidden_act": "quick_gelu",
            "hidden_size": d, "intermediate_size": 2 * d, "max_position_embeddings": SEQ, "model_type": "clip_text_model",
            "num_attention_heads": 1, "num_hidden_layers": LAYERS, "pad_token_id": 1, "projection_dim": d,
            "torch_dtype": "float32", "vocab_size": len(vocab)}


def unet_config(ctx_dim, **kw):
    c = {"_class_name": "UNet2DConditionModel", "_diffusers_version": DIFFUSERS_VERSION, "act_fn": "silu",
         "attention_head_dim": 1, "block_out_channels": [CH, CH], "cross_attention_dim": ctx_dim,
         "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"], "in_channels": 4, "layers_per_block": 1,
         "out_channels": 4, "sample_size": 8, "time_cond_proj_dim": None,
         "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"]}
    c.update(kw)
    return dict(sorted(c.items()))


def vae_config(scaling):
    return {"_class_name": "AutoencoderKL", "_diffusers_version": DIFFUSERS_VERSION, "act_fn": "silu",
            "block_out_channels": [8, 8, 8, 8], "in_channels": 3, "latent_channels": 4, "out_channels": 3,
            "layers_per_block": 1, "sample_size": 64, "scaling_factor": scaling,
            "force_upcast": scaling == 0.13025}


def model_index(cls, comps, **flags):
    d = {"_class_name": cls, "_diffusers_version": DIFFUSERS_VERSION}
    d.update(flags)
    for k in sorted(comps):
        d[k] = comps[k]
    return d


ORT = ["diffusers", "OnnxRuntimeModel"]
CLIPTOK = ["transformers", "CLIPTokenizer"]
NONE = [None, None]


def make_text_encoder(folder, sub, vocab, seed, d, kind, ids_dtype, outs, report, tok, pad=ct.EOS):
    tok_for_pad = (ct.ClipTokenizer(vocab, tok_merges[0], pad_token=pad), pad)
    te = build(TextEncoder, seed, len(vocab), d, kind)
    ids = np.array([tok("a red cat on the blue square"), tok("")], dtype=ids_dtype)
    model = export(te, [torch.from_numpy(ids)], ["input_ids"], outs,
                   {"input_ids": {0: "batch"}, **{o: {0: "batch"} for o in outs}})
    path = os.path.join(folder, sub, "model.onnx")
    save(model, path)
    check_module(te, {"input_ids": ids}, ["input_ids"], path, f"{os.path.basename(folder)}/{sub}", report)
    record_expected(te, path, {"input_ids": np.array([tok_for_pad[0]("a red cat")], dtype=ids_dtype)}, outs,
                    {"input_ids": f"tokenizer output for 'a red cat' (pad '{tok_for_pad[1]}'), batch 1"})


def make_unet(folder, seed, ctx_dim, ts_kind, report, extras=(), external=None, **kw):
    un = build(UNet, seed, ctx_dim, **kw)
    rng = np.random.RandomState(seed)
    b, h, w = 2, 8, 6
    feeds = {"sample": rng.randn(b, 4, h, w).astype(np.float32)}
    if ts_kind == "int64[1]":
        feeds["timestep"] = np.array([981], dtype=np.int64)
    elif ts_kind == "int64[batch]":
        feeds["timestep"] = np.array([981, 981], dtype=np.int64)
    elif ts_kind == "float32[batch]":
        feeds["timestep"] = np.array([999.0, 999.0], dtype=np.float32)
    elif ts_kind == "float32[]":
        feeds["timestep"] = np.array(999.0, dtype=np.float32)
    feeds["encoder_hidden_states"] = rng.randn(b, SEQ, ctx_dim).astype(np.float32)
    for name, shape in extras:
        feeds[name] = (rng.randn(b, *shape) if name != "time_ids" else np.tile([64, 48, 0, 0, 64, 48], (b, 1))) \
            .astype(np.float32)
    names = list(feeds)
    axes = {"sample": {0: "batch", 2: "height", 3: "width"}, "encoder_hidden_states": {0: "batch"},
            "out_sample": {0: "batch", 2: "height", 3: "width"}}
    if ts_kind.endswith("[batch]"):
        axes["timestep"] = {0: "batch"}
    for name, _ in extras:
        axes[name] = {0: "batch"}
    model = export(un, [torch.from_numpy(feeds[n]) for n in names], names, ["out_sample"], axes)
    path = os.path.join(folder, "unet", "model.onnx")
    save(model, path, external)
    check_module(un, feeds, names, path, f"{os.path.basename(folder)}/unet", report)
    # a timestep of batch 1 / any spatial size must work too
    small = dict(feeds, sample=feeds["sample"][:, :, :4, :5])
    got = onnx_np_eval.run(path, small)[0]
    assert got.shape == (b, 4, 4, 5)
    ts = {"int64[1]": np.array([999], np.int64), "int64[batch]": np.array([999], np.int64),
          "float32[batch]": np.array([999.0], np.float32), "float32[]": np.array(999.0, np.float32)}[ts_kind]
    ef = {"sample": wave((1, 4, 8, 8), 0.1, 1.0), "timestep": ts, "encoder_hidden_states": wave((1, SEQ, ctx_dim), 0.07, 0.5)}
    desc = {"sample": "wave(0.1, 1.0)", "timestep": f"999 as {ts_kind}", "encoder_hidden_states": "wave(0.07, 0.5)"}
    for name, shape in extras:
        if name == "time_ids":
            ef[name], desc[name] = np.array([[64, 64, 0, 0, 64, 64]], np.float32), "[[64, 64, 0, 0, 64, 64]]"
        else:
            ef[name], desc[name] = wave((1,) + shape, 0.3, 1.0), "wave(0.3, 1.0)"
    record_expected(un, path, ef, ["out_sample"], desc)


def make_vae(folder, seed, report):
    vae = build(VaeDecoder, seed)
    lat = np.random.RandomState(seed).randn(2, 4, 3, 2).astype(np.float32) * 4
    axes = {"latent_sample": {0: "batch", 2: "height", 3: "width"},
            "sample": {0: "batch", 2: "image_height", 3: "image_width"}}
    model = export(vae, [torch.from_numpy(lat)], ["latent_sample"], ["sample"], axes)
    path = os.path.join(folder, "vae_decoder", "model.onnx")
    save(model, path)
    ref = check_module(vae, {"latent_sample": lat}, ["latent_sample"], path, f"{os.path.basename(folder)}/vae_decoder",
                       report)
    assert ref[0].shape == (2, 3, 24, 16) and np.abs(ref[0]).max() <= 1
    record_expected(vae, path, {"latent_sample": wave((1, 4, 8, 8), 0.1, 4.0)}, ["sample"],
                    {"latent_sample": "wave(0.1, 4.0)"})


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in FOLDERS:
        shutil.rmtree(os.path.join(OUT, name), ignore_errors=True)
    vocab, merges = make_tokenizer_data()
    tok_merges.append(merges)
    tok = write_tokenizer_vectors(vocab, merges)
    report = []

    # 1. legacy diffusers: int32 input_ids, int64 timestep [1], PNDM
    f = os.path.join(OUT, "tiny-sd15-int32")
    dump_json(os.path.join(f, "model_index.json"), model_index(
        "OnnxStableDiffusionPipeline",
        {"feature_extractor": NONE, "safety_checker": NONE, "scheduler": ["diffusers", "PNDMScheduler"],
         "text_encoder": ORT, "tokenizer": CLIPTOK, "unet": ORT, "vae_decoder": ORT, "vae_encoder": NONE},
        requires_safety_checker=False))
    dump_json(os.path.join(f, "scheduler", "scheduler_config.json"),
              sched("PNDMScheduler", clip_sample=False, set_alpha_to_one=False, skip_prk_steps=True))
    write_tokenizer(os.path.join(f, "tokenizer"), vocab, merges, ct.EOS, "legacy")
    make_text_encoder(f, "text_encoder", vocab, 101, D1, "clip", np.int32, ["last_hidden_state", "pooler_output"],
                      report, tok)
    make_unet(f, 102, D1, "int64[1]", report)
    make_vae(f, 103, report)
    dump_json(os.path.join(f, "unet", "config.json"), unet_config(D1))
    dump_json(os.path.join(f, "vae_decoder", "config.json"), vae_config(0.18215))

    # 2. newer Optimum: int64 input_ids, float32 timestep [batch], external data model.onnx_data, Euler trailing
    f = os.path.join(OUT, "tiny-sd-int64-floatts")
    dump_json(os.path.join(f, "model_index.json"), model_index(
        "ORTStableDiffusionPipeline",
        {"feature_extractor": NONE, "image_encoder": NONE, "safety_checker": NONE,
         "scheduler": ["diffusers", "EulerDiscreteScheduler"], "text_encoder": ORT, "text_encoder_2": NONE,
         "tokenizer": CLIPTOK, "tokenizer_2": NONE, "unet": ORT, "vae_decoder": ORT, "vae_encoder": NONE},
        requires_safety_checker=False))
    dump_json(os.path.join(f, "scheduler", "scheduler_config.json"),
              sched("EulerDiscreteScheduler", interpolation_type="linear", timestep_spacing="trailing",
                    timestep_type="discrete", use_karras_sigmas=False, set_alpha_to_one=False, skip_prk_steps=True,
                    clip_sample=False))
    write_tokenizer(os.path.join(f, "tokenizer"), vocab, merges, ct.EOS, "dict")
    make_text_encoder(f, "text_encoder", vocab, 201, D1, "clip", np.int64, ["last_hidden_state", "pooler_output"],
                      report, tok)
    make_unet(f, 202, D1, "float32[batch]", report, external="model.onnx_data")
    make_vae(f, 203, report)
    dump_json(os.path.join(f, "text_encoder", "config.json"), text_config(vocab, D1))
    dump_json(os.path.join(f, "unet", "config.json"), unet_config(D1))
    dump_json(os.path.join(f, "vae_decoder", "config.json"), vae_config(0.18215))

    # 3. scalar float timestep, DDIM v_prediction leading, pad '!'
    f = os.path.join(OUT, "tiny-sd-scalar-ts")
    dump_json(os.path.join(f, "model_index.json"), model_index(
        "ORTStableDiffusionPipeline",
        {"feature_extractor": NONE, "image_encoder": NONE, "safety_checker": NONE,
         "scheduler": ["diffusers", "DDIMScheduler"], "text_encoder": ORT, "text_encoder_2": NONE,
         "tokenizer": CLIPTOK, "tokenizer_2": NONE, "unet": ORT, "vae_decoder": ORT, "vae_encoder": NONE},
        requires_safety_checker=False))
    dump_json(os.path.join(f, "scheduler", "scheduler_config.json"),
              sched("DDIMScheduler", prediction_type="v_prediction", timestep_spacing="leading", clip_sample=False,
                    set_alpha_to_one=False, skip_prk_steps=True))
    write_tokenizer(os.path.join(f, "tokenizer"), vocab, merges, "!", "dict")
    make_text_encoder(f, "text_encoder", vocab, 301, D1, "clip", np.int64, ["last_hidden_state", "pooler_output"],
                      report, tok, pad="!")
    make_unet(f, 302, D1, "float32[]", report)
    make_vae(f, 303, report)
    dump_json(os.path.join(f, "text_encoder", "config.json"), text_config(vocab, D1))
    dump_json(os.path.join(f, "unet", "config.json"), unet_config(D1))
    dump_json(os.path.join(f, "vae_decoder", "config.json"), vae_config(0.18215))

    # 4. SDXL: two encoders with hidden states, text_embeds + time_ids, Euler Ancestral trailing
    f = os.path.join(OUT, "tiny-sdxl")
    hs = [f"hidden_states.{i}" for i in range(LAYERS + 1)]
    dump_json(os.path.join(f, "model_index.json"), model_index(
        "ORTStableDiffusionXLPipeline",
        {"feature_extractor": NONE, "image_encoder": NONE, "scheduler": ["diffusers", "EulerAncestralDiscreteScheduler"],
         "text_encoder": ORT, "text_encoder_2": ORT, "tokenizer": CLIPTOK, "tokenizer_2": CLIPTOK, "unet": ORT,
         "vae_decoder": ORT, "vae_encoder": NONE},
        force_zeros_for_empty_prompt=True, requires_aesthetics_score=False))
    dump_json(os.path.join(f, "scheduler", "scheduler_config.json"),
              sched("EulerAncestralDiscreteScheduler", timestep_spacing="trailing"))
    write_tokenizer(os.path.join(f, "tokenizer"), vocab, merges, ct.EOS, "dict")
    write_tokenizer(os.path.join(f, "tokenizer_2"), vocab, merges, "!", "dict")
    make_text_encoder(f, "text_encoder", vocab, 401, D1, "clip_hs", np.int64,
                      ["last_hidden_state", "pooler_output"] + hs, report, tok)
    make_text_encoder(f, "text_encoder_2", vocab, 402, D2, "proj", np.int64,
                      ["text_embeds", "last_hidden_state"] + hs, report, tok, pad="!")
    make_unet(f, 403, D1 + D2, "float32[batch]", report, extras=[("text_embeds", (D2,)), ("time_ids", (6,))],
              text_embeds_dim=D2, time_ids=True)
    make_vae(f, 404, report)
    dump_json(os.path.join(f, "text_encoder", "config.json"), text_config(vocab, D1))
    dump_json(os.path.join(f, "text_encoder_2", "config.json"), text_config(vocab, D2, proj=True))
    dump_json(os.path.join(f, "unet", "config.json"), unet_config(
        D1 + D2, addition_embed_type="text_time", addition_time_embed_dim=8,
        projection_class_embeddings_input_dim=6 * 8 + D2))
    dump_json(os.path.join(f, "vae_decoder", "config.json"), vae_config(0.13025))

    # 5. LCM: timestep_cond, int64 timestep [batch], LCMScheduler
    f = os.path.join(OUT, "tiny-lcm")
    dump_json(os.path.join(f, "model_index.json"), model_index(
        "ORTLatentConsistencyModelPipeline",
        {"feature_extractor": NONE, "image_encoder": NONE, "safety_checker": NONE,
         "scheduler": ["diffusers", "LCMScheduler"], "text_encoder": ORT, "text_encoder_2": NONE,
         "tokenizer": CLIPTOK, "tokenizer_2": NONE, "unet": ORT, "vae_decoder": ORT, "vae_encoder": NONE},
        requires_safety_checker=False))
    dump_json(os.path.join(f, "scheduler", "scheduler_config.json"),
              sched("LCMScheduler", clip_sample=False, clip_sample_range=1.0, dynamic_thresholding_ratio=0.995,
                    original_inference_steps=50, rescale_betas_zero_snr=False, sample_max_value=1.0,
                    set_alpha_to_one=True, thresholding=False, timestep_scaling=10.0, timestep_spacing="leading"))
    write_tokenizer(os.path.join(f, "tokenizer"), vocab, merges, ct.EOS, "dict")
    make_text_encoder(f, "text_encoder", vocab, 501, D1, "clip", np.int64, ["last_hidden_state", "pooler_output"],
                      report, tok)
    make_unet(f, 502, D1, "int64[batch]", report, extras=[("timestep_cond", (COND,))], cond_dim=COND)
    make_vae(f, 503, report)
    dump_json(os.path.join(f, "text_encoder", "config.json"), text_config(vocab, D1))
    dump_json(os.path.join(f, "unet", "config.json"), unet_config(D1, time_cond_proj_dim=COND))
    dump_json(os.path.join(f, "vae_decoder", "config.json"), vae_config(0.18215))

    # 6./7. broken copies of folder 1
    src = os.path.join(OUT, "tiny-sd15-int32")
    f = os.path.join(OUT, "broken-missing-unet")
    shutil.copytree(src, f)
    shutil.rmtree(os.path.join(f, "unet"))
    f = os.path.join(OUT, "broken-corrupt-unet")
    shutil.copytree(src, f)
    p = os.path.join(f, "unet", "model.onnx")
    with open(p, "rb") as fh:
        head = fh.read(100)
    with open(p, "wb") as fh:
        fh.write(head)

    dump_json(os.path.join(OUT, "expected-outputs.json"), {
        "note": "Reference outputs (torch float32; the numpy ONNX interpreter agrees within 1e-4) for batch-1 inputs. "
                "wave(f, amp): x[i] = amp * sin(f * (i + 1)) over the row-major flat index i, computed in float64 "
                "and cast to float32. Compare with a tolerance of about 1e-3 (sum) / 1e-4 (values).",
        "models": EXPECTED}, indent=1)
    for label, ranges in report:
        print(f"  ok {label:38s} max|out| = " + ", ".join(f"{r:.3g}" for r in ranges))
    total = 0
    for root, _, files in os.walk(OUT):
        for fn in files:
            if any(root.startswith(os.path.join(OUT, n)) for n in FOLDERS) or fn.endswith(".json") and root == OUT:
                total += os.path.getsize(os.path.join(root, fn))
    print(f"total size of generated files: {total} bytes")


if __name__ == "__main__":
    main()
