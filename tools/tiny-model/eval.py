"""Evaluate carbon-tiny on the held-out prompts (combinations never seen in training).

    python3 eval.py                 # all 50 held-out prompts -> eval-results.json, samples.png
    python3 eval.py --quick         # 10 prompts, < 1 min, exit 1 if fully correct < 0.7 or background+colour+shape < 0.8
    python3 eval.py --ckpt /tmp/carbon-tiny-ckpt   # use the training checkpoint instead of the ONNX weights
    python3 eval.py --check-generator              # sanity check: run the checks on ground-truth renders

By default the weights are read from the committed ONNX files in models/carbon-tiny
(initializer names = torch parameter names) and run with torch, using the scheduler
config, tokenizer and VAE scaling_factor from the same folder. Sampling mirrors
diffusers' OnnxStableDiffusionPipeline + DDIMScheduler: latents from
numpy.random.RandomState(seed).randn(1, C, 16, 16) (C = the UNet's channels: 5 with the kind channel, 4 without, 12 for train.py --latent-block 2), uncond prompt "" first, one UNet call
on the concatenated batch with timestep [t], eps = u + g * (c - u), DDIM step (eta 0),
decode latents / scaling_factor, image = clip(x / 2 + 0.5, 0, 1) * 255 rounded.

Checks (all in 64x64 RGB, palette in heldout.json):
  background: median RGB of the 2-pixel border ring, nearest palette colour;
  shape colour: median RGB of pixels farther than 80 from the background palette colour,
                nearest palette colour other than the background;
  shape mask: pixels nearer the shape palette colour than the background palette colour;
              4-connected components of >= 6 pixels;
  shape kind: largest component with bounding box height h; taper = mean row width of the
              top round(0.3 h) rows / mean row width of the bottom round(0.3 h) rows;
              taper < 0.6 -> triangle (apex up); else fill = pixels / bounding-box area:
              fill >= 0.87 -> square, else circle;
  position: centroid (cx, cy) of all component pixels minus 31.5:
              |dx| < 8 and |dy| < 8 -> center; |dx| >= 8 and |dy| >= 8 -> top/bottom (dy sign),
              left/right (dx sign); otherwise undecided (wrong);
  count (reported, not part of "fully correct"): number of components.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_data  # noqa: E402
from clip_tokenizer import ClipTokenizer  # noqa: E402
from models import TextEncoder, UNet, Decoder  # noqa: E402

MODEL_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "models", "carbon-tiny"))
PALETTE = {k: np.array(v, dtype=np.float64) for k, v in gen_data.PALETTE.items()}

BG_SHAPE_DIST = 80.0
MIN_COMPONENT = 6
SQUARE_FILL = 0.87
TRIANGLE_TAPER = 0.6
TAPER_BAND = 0.3
CENTER_BOX = 8.0


# ----------------------------------------------------------------------------------------------
# image checks

def nearest(rgb, exclude=None):
    best, bd = None, 1e18
    for k, v in PALETTE.items():
        if k == exclude:
            continue
        d = float(np.sum((rgb - v) ** 2))
        if d < bd:
            best, bd = k, d
    return best


def components(mask):
    """4-connected components -> list of (ys, xs) arrays."""
    h, w = mask.shape
    seen = np.zeros_like(mask, dtype=bool)
    comps = []
    for y0 in range(h):
        for x0 in range(w):
            if not mask[y0, x0] or seen[y0, x0]:
                continue
            stack = [(y0, x0)]
            seen[y0, x0] = True
            ys, xs = [], []
            while stack:
                y, x = stack.pop()
                ys.append(y); xs.append(x)
                for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                    if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
            comps.append((np.array(ys), np.array(xs)))
    return comps


def analyze(img):
    """img: uint8 [64, 64, 3] -> dict of detected attributes."""
    f = img.astype(np.float64)
    h, w, _ = f.shape
    ring = np.ones((h, w), dtype=bool)
    ring[2:h - 2, 2:w - 2] = False
    bg = nearest(np.median(f[ring], axis=0))
    res = {"background": bg, "colour": None, "shape": None, "position": None, "count": 0}
    far = np.sqrt(((f - PALETTE[bg]) ** 2).sum(-1)) > BG_SHAPE_DIST
    if far.sum() < MIN_COMPONENT:
        return res
    colour = nearest(np.median(f[far], axis=0), exclude=bg)
    res["colour"] = colour
    d_shape = ((f - PALETTE[colour]) ** 2).sum(-1)
    d_bg = ((f - PALETTE[bg]) ** 2).sum(-1)
    mask = d_shape < d_bg
    comps = [c for c in components(mask) if len(c[0]) >= MIN_COMPONENT]
    res["count"] = len(comps)
    if not comps:
        return res
    ys, xs = max(comps, key=lambda c: len(c[0]))
    h = ys.max() - ys.min() + 1
    fill = len(ys) / float(h * (xs.max() - xs.min() + 1))
    widths = np.bincount(ys - ys.min(), minlength=h).astype(np.float64)   # pixels per row
    band = max(1, int(round(TAPER_BAND * h)))
    taper = widths[:band].mean() / max(widths[-band:].mean(), 1e-9)
    res["fill"] = round(fill, 3)
    res["taper"] = round(taper, 3)
    if taper < TRIANGLE_TAPER:
        res["shape"] = "triangle"
    else:
        res["shape"] = "square" if fill >= SQUARE_FILL else "circle"
    all_y = np.concatenate([c[0] for c in comps]).astype(np.float64)
    all_x = np.concatenate([c[1] for c in comps]).astype(np.float64)
    dx, dy = all_x.mean() - 31.5, all_y.mean() - 31.5
    res["centroid"] = [round(all_x.mean(), 2), round(all_y.mean(), 2)]
    if abs(dx) < CENTER_BOX and abs(dy) < CENTER_BOX:
        res["position"] = "center"
    elif abs(dx) >= CENTER_BOX and abs(dy) >= CENTER_BOX:
        res["position"] = ("top" if dy < 0 else "bottom") + " " + ("left" if dx < 0 else "right")
    return res


def score(expected, got):
    checks = {
        "background": got["background"] == expected["background"],
        "colour": got["colour"] == expected["colour"],
        "shape": got["shape"] == expected["shape"],
        "position": got["position"] == expected["position"],
    }
    return checks, all(checks.values())


# ----------------------------------------------------------------------------------------------
# model loading + sampling

def validation_prompts(n, seed=99):
    """Prompts from the training distribution (never held-out combinations) with their own seeds."""
    rng = np.random.RandomState(seed)
    out = []
    for i in range(n):
        a = gen_data.sample_attributes(rng)
        out.append({"id": f"v{i}", "prompt": gen_data.caption_for(a["count"], a["size"], a["colour"], a["shape"], a["bg"], a["position"]),
                    "colour": a["colour"], "shape": a["shape"], "background": a["bg"], "position": a["position"],
                    "count": a["count"], "size": a["size"], "seed": int(rng.randint(1 << 30))})
    return out


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
    """train.CONFIG with the latent of the model being checked (--ckpt's ae.pt / ema.pt, or the folder's VAE
    config): which fixed_encode turns ground-truth scenes into its latents."""
    import train
    if args.ckpt:
        ema = os.path.join(args.ckpt, "ema.pt")
        if os.path.exists(ema):
            c = train.load(ema)["config"]
            block, kind = c.get("latent_block", 4), c.get("latent_kind", False)
        else:   # decoder phase only so far
            ae = train.load(os.path.join(args.ckpt, "ae.pt"))
            block = ae.get("latent_block", 4)
            kind = ae.get("latent_kind", ae["dec"]["conv_in.weight"].shape[1] > train.latent_channels(block))
    else:
        vae = json.load(open(os.path.join(args.model, "vae_decoder", "config.json")))["carbon_tiny_arch"]
        block, kind = vae.get("latent_block", 4), vae.get("latent_kind", False)
    return dict(train.CONFIG, latent_block=block, latent_kind=kind, latent_channels=train.latent_channels(block, kind))


def load_from_ckpt(ckpt):
    import train
    st = train.load(os.path.join(ckpt, "ema.pt"))
    te, unet = train.build_models(st["vocab_size"], st["config"])
    te.load_state_dict(st["te"]); unet.load_state_dict(st["unet"])
    _, dec = train.build_ae(st["config"])
    dec.load_state_dict(train.load(os.path.join(ckpt, "ae.pt"))["dec"])
    return te, unet, dec, st["scaling_factor"], st["config"].get("prediction_type", "epsilon")


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


def save_grid(images, path, cols=10):
    from PIL import Image
    n = len(images)
    rows = (n + cols - 1) // cols
    grid = np.full((rows * 66, cols * 66, 3), 128, dtype=np.uint8)
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        grid[r * 66 + 1:r * 66 + 65, c * 66 + 1:c * 66 + 65] = im
    Image.fromarray(grid).save(path, optimize=True)


def scene_attributes(p):
    """A prompt record (heldout.json / validation_prompts) as gen_data.render's attributes."""
    return dict(count=p["count"], size=p["size"], colour=p["colour"], shape=p["shape"], bg=p["background"],
                position=p["position"])


@torch.no_grad()
def check_decoder(args):
    import train
    cfg = latent_config(args)
    if args.ckpt:   # the decoder alone: usable as soon as the decoder phase has saved a checkpoint
        _, dec = train.build_ae(cfg)
        dec.load_state_dict(train.load(os.path.join(args.ckpt, "ae.pt"))["dec"])
    else:
        dec = load_from_onnx(args.model)[2]
    dec.eval()
    prompts = validation_prompts(args.check_decoder, seed=98)
    rng = np.random.RandomState(1)
    truth = np.stack([gen_data.render(scene_attributes(p), rng) for p in prompts])
    rec = torch.clamp(dec(train.fixed_encode(train.to_tensor_images(truth), cfg)), -1, 1)
    rec = np.round(np.clip(rec.numpy() / 2 + 0.5, 0, 1).transpose(0, 2, 3, 1) * 255).astype(np.uint8)
    ok = 0
    shape_ok = {s: [0, 0] for s in gen_data.SHAPES}
    for p, img in zip(prompts, rec):
        checks, good = score(p, analyze(img))
        ok += good
        shape_ok[p["shape"]][0] += checks["shape"]
        shape_ok[p["shape"]][1] += 1
    print(f"decoder check: {ok}/{len(prompts)} reconstructions of ground-truth scenes fully correct; shape by kind: "
          + ", ".join(f"{k} {a}/{b}" for k, (a, b) in shape_ok.items()))


def swap_shape_word(prompt):
    return prompt.replace("circle", "\0").replace("square", "circle").replace("\0", "square")


@torch.no_grad()
def check_shape_word(te, unet, dec, sf, tok, sched_cfg, steps, guidance, n, size="small", latent_cfg=None):
    """Is the shape kind of a small (or large) circle or square decided by the shape word? Ground-truth scenes
    of the validation draw (one to three small, or one large, circles and squares), encoded, noised to a timestep of the sampling
    schedule, then denoised as generate() does (same steps and guidance), once with their own caption and
    once with "circle" and "square" swapped. If the word counted, the swapped caption would turn most
    results into the other kind; from the clean end (no step) the line is the decoder's ceiling."""
    import train
    prompts = [p for p in validation_prompts(600) if p["shape"] in ("circle", "square") and p["size"] == size][:n]
    rng = np.random.RandomState(5)
    truth = np.stack([gen_data.render(scene_attributes(p), rng) for p in prompts])
    z0 = train.fixed_encode(train.to_tensor_images(truth), latent_cfg or train.CONFIG) * sf
    sched = DDIM(sched_cfg)
    ts = sched.set_timesteps(steps)
    uncond = te(torch.tensor([tok("")] * len(prompts), dtype=torch.int32))[0]
    for k0 in sorted({0, steps // 2, (3 * steps) // 4, steps - 2, steps - 1, steps}):
        line = []
        for label, captions in (("own caption", [p["prompt"] for p in prompts]),
                                ("swapped", [swap_shape_word(p["prompt"]) for p in prompts])):
            cond = te(torch.tensor([tok(c) for c in captions], dtype=torch.int32))[0]
            g = torch.Generator().manual_seed(11)
            if k0 < steps:
                a = sched.acp[int(ts[k0])]
                x = a.sqrt() * z0 + (1 - a).sqrt() * torch.randn(z0.shape, generator=g)
            else:
                x = z0.clone()
            got = [analyze(i) for i in decode_u8(dec, denoise(x, ts[k0:], cond, uncond, unet, sched, guidance), sf)]
            parts = []
            for kind in ("circle", "square"):
                sel = [g_ for p, g_ in zip(prompts, got) if p["shape"] == kind]
                fill = np.mean([g_.get("fill", 0.0) for g_ in sel])
                parts.append(f"{kind}s {sum(g_['shape'] == kind for g_ in sel)}/{len(sel)} (fill {fill:.3f})")
            line.append(f"{label}: " + ", ".join(parts))
        start = f"t={int(ts[k0])}" if k0 < steps else "clean"
        print(f"shape word, from {start:>6}: drawn as the truth: " + " | ".join(line), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=MODEL_DIR)
    ap.add_argument("--ckpt", default=None, help="use a training checkpoint dir instead of the ONNX weights")
    ap.add_argument("--heldout", default=os.path.join(HERE, "heldout.json"))
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--guidance", type=float, default=None)
    ap.add_argument("--quick", action="store_true", help="first 10 prompts only, no files written")
    ap.add_argument("--min-accuracy", type=float, default=None,
                    help="exit 1 if the fully-correct fraction is below this (default 0.7 with --quick, else 0)")
    ap.add_argument("--min-accuracy-ignoring-position", type=float, default=None,
                    help="exit 1 if the background+colour+shape fraction is below this (default 0.8 with --quick, else 0)")
    ap.add_argument("--results", default=os.path.join(HERE, "eval-results.json"))
    ap.add_argument("--samples", default=os.path.join(HERE, "samples.png"))
    ap.add_argument("--check-generator", action="store_true")
    ap.add_argument("--check-decoder", type=int, default=0, metavar="N",
                    help="encode N ground-truth scenes with the fixed encoder, decode them with the model's decoder and "
                         "check the result: the best any UNet could reach with this latent and decoder")
    ap.add_argument("--check-shape-word", type=int, default=0, metavar="N",
                    help="N small circle/square scenes: denoise noised ground truth with the caption and with the shape "
                         "word swapped (does the word decide the kind?)")
    ap.add_argument("--shape-word-size", choices=("small", "large"), default="small")
    ap.add_argument("--validation", type=int, default=0,
                    help="evaluate N prompts drawn like the training data (combinations seen in training, new seeds) "
                         "instead of the held-out set: for choosing sampling settings without touching the test set")
    args = ap.parse_args()
    torch.set_num_threads(2)
    t0 = time.time()
    prompts = json.load(open(args.heldout))["prompts"] if not args.validation else validation_prompts(args.validation)
    if args.quick:
        prompts = prompts[:10]

    if args.check_generator:
        rng = np.random.RandomState(0)
        ok = 0
        wrong = []
        for rep in range(4):
            for p in prompts:
                got = analyze(gen_data.render(scene_attributes(p), rng))
                checks, good = score(p, got)
                ok += good
                if not good:
                    wrong.append((p["prompt"], got))
        print(f"generator check: {ok}/{4 * len(prompts)} ground-truth renders pass")
        for w in wrong[:10]:
            print("  ", w)
        sys.exit(0 if ok == 4 * len(prompts) else 1)

    if args.check_decoder:
        check_decoder(args)
        return

    index = json.load(open(os.path.join(args.model, "model_index.json")))
    defaults = index.get("carbonlsp", {})
    steps = args.steps or defaults.get("defaultSteps", 20)
    guidance = args.guidance if args.guidance is not None else defaults.get("defaultGuidance", 2.0)
    sched_cfg = json.load(open(os.path.join(args.model, "scheduler", "scheduler_config.json")))
    tok = ClipTokenizer.from_dir(os.path.join(args.model, "tokenizer"))
    if args.ckpt:
        te, unet, dec, sf, prediction = load_from_ckpt(args.ckpt)
        source = args.ckpt
        # the checkpoint may be newer than the exported folder: take its prediction type
        sched_cfg = dict(sched_cfg, prediction_type=prediction)
    else:
        te, unet, dec, sf = load_from_onnx(args.model)
        source = args.model
    for m in (te, unet, dec):
        m.eval()
    if args.check_shape_word:
        check_shape_word(te, unet, dec, sf, tok, sched_cfg, steps, guidance, args.check_shape_word, args.shape_word_size,
                         latent_config(args))
        return

    images = []
    for i in range(0, len(prompts), 25):
        chunk = prompts[i:i + 25]
        images.extend(generate([p["prompt"] for p in chunk], [p["seed"] for p in chunk], te, unet, dec, sf, tok,
                               sched_cfg, steps, guidance))
    per = []
    n_ok = 0
    n_bcs = 0
    attr_ok = {"background": 0, "colour": 0, "shape": 0, "position": 0, "count": 0}
    for p, img in zip(prompts, images):
        got = analyze(img)
        checks, good = score(p, got)
        n_ok += good
        n_bcs += checks["background"] and checks["colour"] and checks["shape"]
        for k, v in checks.items():
            attr_ok[k] += v
        count_ok = got["count"] == gen_data.COUNTS.index(p["count"]) + 1
        attr_ok["count"] += count_ok
        per.append({"id": p["id"], "prompt": p["prompt"], "seed": p["seed"], "correct": good, "checks": checks,
                    "count_correct": count_ok, "detected": got})
    n = len(prompts)
    acc = n_ok / n
    label = ("validation" if args.validation else "held-out") + (" (quick)" if args.quick else "")
    print(f"{label}: {n_ok}/{n} correct ({100 * acc:.0f}%)  "
          + "  ".join(f"{k} {v}/{n}" for k, v in attr_ok.items())
          + f"  [steps {steps}, guidance {guidance}, {time.time() - t0:.1f}s]")
    bcs = n_bcs / n
    print(f"{label} ignoring position: {n_bcs}/{n} correct ({100 * bcs:.0f}%) (background + colour + shape)")
    if not args.quick:
        for r in per:
            if not r["correct"]:
                print("  wrong:", r["prompt"], "->", {k: r["detected"].get(k) for k in
                                                     ("colour", "shape", "background", "position", "fill")})
        with open(args.results, "w") as f:
            json.dump({"source": os.path.relpath(source, HERE) if not args.ckpt else source,
                       "steps": steps, "guidance": guidance, "scheduler": sched_cfg["_class_name"],
                       "correct": n_ok, "total": n, "accuracy": round(acc, 4),
                       "correct_ignoring_position": n_bcs, "accuracy_ignoring_position": round(bcs, 4),
                       "attribute_accuracy": {k: round(v / n, 4) for k, v in attr_ok.items()},
                       "thresholds": {"bg_shape_dist": BG_SHAPE_DIST, "min_component": MIN_COMPONENT,
                                      "square_fill": SQUARE_FILL, "triangle_taper": TRIANGLE_TAPER,
                                      "taper_band": TAPER_BAND,
                                      "center_box": CENTER_BOX},
                       "prompts": per}, f, indent=1)
            f.write("\n")
        save_grid(images, args.samples)
    min_acc = args.min_accuracy if args.min_accuracy is not None else (0.7 if args.quick else 0.0)
    min_bcs = args.min_accuracy_ignoring_position
    if min_bcs is None:
        min_bcs = 0.8 if args.quick else 0.0
    if acc < min_acc or bcs < min_bcs:
        print(f"FAIL: accuracy {acc:.2f} (min {min_acc}), ignoring position {bcs:.2f} (min {min_bcs})")
        sys.exit(1)


if __name__ == "__main__":
    main()
