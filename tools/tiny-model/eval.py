"""Evaluate carbon-tiny on the held-out prompts (combinations never seen in training).

    python3 eval.py                 # all 50 held-out prompts -> eval-results.json, samples.png
    python3 eval.py --quick         # 10 prompts, < 1 min, exit 1 if fully correct < 0.7 or background+colour+shape < 0.8
    python3 eval.py --ckpt /tmp/carbon-tiny-ckpt   # use the training checkpoint instead of the ONNX weights
    python3 eval.py --check-generator              # sanity check: run the checks on ground-truth renders
    python3 eval.py --plain         # plain phrasing of held-out scenes ("a red circle on a blue background"):
                                    # 296 prompts -> plain-results.json, plain-samples.png

By default the weights are read from the committed ONNX files in models/carbon-tiny
(initializer names = torch parameter names; checkpoints.load_from_onnx) and run with torch, using the
scheduler config, tokenizer and VAE scaling_factor from the same folder. Sampling mirrors diffusers'
OnnxStableDiffusionPipeline + DDIMScheduler (sampling.py says exactly how); each image is checked
programmatically for background, shape colour, shape kind and position (scenes.py: analyze, score).
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
from checkpoints import MODEL_DIR, build_ae, latent_config, load, load_from_ckpt, load_from_onnx  # noqa: E402
from clip_tokenizer import ClipTokenizer  # noqa: E402
from latents import CONFIG, fixed_encode, to_tensor_images  # noqa: E402
from sampling import DDIM, decode_u8, denoise, generate  # noqa: E402
from scenes import (BG_SHAPE_DIST, CENTER_BOX, MIN_COMPONENT, SQUARE_FILL, TAPER_BAND, TRIANGLE_TAPER,  # noqa: E402
                    PLAIN_FORMS, analyze, plain_prompts, scene_attributes, score, validation_prompts)


def save_grid(images, path, cols=10):
    from PIL import Image
    n = len(images)
    rows = (n + cols - 1) // cols
    grid = np.full((rows * 66, cols * 66, 3), 128, dtype=np.uint8)
    for i, im in enumerate(images):
        r, c = divmod(i, cols)
        grid[r * 66 + 1:r * 66 + 65, c * 66 + 1:c * 66 + 65] = im
    Image.fromarray(grid).save(path, optimize=True)


@torch.no_grad()
def check_decoder(args):
    cfg = latent_config(args)
    if args.ckpt:   # the decoder alone: usable as soon as the decoder phase has saved a checkpoint
        _, dec = build_ae(cfg)
        dec.load_state_dict(load(os.path.join(args.ckpt, "ae.pt"))["dec"])
    else:
        dec = load_from_onnx(args.model)[2]
    dec.eval()
    prompts = validation_prompts(args.check_decoder, seed=98)
    rng = np.random.RandomState(1)
    truth = np.stack([gen_data.render(scene_attributes(p), rng) for p in prompts])
    rec = torch.clamp(dec(fixed_encode(to_tensor_images(truth), cfg)), -1, 1)
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
    prompts = [p for p in validation_prompts(600) if p["shape"] in ("circle", "square") and p["size"] == size][:n]
    rng = np.random.RandomState(5)
    truth = np.stack([gen_data.render(scene_attributes(p), rng) for p in prompts])
    z0 = fixed_encode(to_tensor_images(truth), latent_cfg or CONFIG) * sf
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


def images_for(prompts, te, unet, dec, sf, tok, sched_cfg, steps, guidance):
    images = []
    for i in range(0, len(prompts), 25):
        chunk = prompts[i:i + 25]
        images.extend(generate([p["prompt"] for p in chunk], [p["seed"] for p in chunk], te, unet, dec, sf, tok,
                               sched_cfg, steps, guidance))
    return images


def evaluate_plain(args, models, sched_cfg, steps, guidance, source, t0):
    """--plain: scenes.plain_prompts (ordinary phrasings of held-out scenes), each scored on the checks its
    record names. Prints each form's figures and the headline (the forms "article" and "bare": background,
    colour and shape of a plainly phrased held-out triple), writes --results and --samples (the first seed of
    each triple and form, then the 50 "article, position" prompts: 173 images, 12 a row)."""
    prompts = plain_prompts()
    images = images_for(prompts, *models, sched_cfg, steps, guidance)
    per = []
    for p, img in zip(prompts, images):
        got = analyze(img)
        checks, good = score(p, got, p["checks"])
        per.append({"id": p["id"], "form": p["form"], "prompt": p["prompt"], "seed": p["seed"], "correct": good,
                    "checks": checks, "count_correct": got["count"] == 1, "detected": got})
    summary = {}

    def line(label, rows):
        keys = [k for k in ("background", "colour", "shape", "position") if k in rows[0]["checks"]]
        n, ok = len(rows), sum(r["correct"] for r in rows)
        attrs = {k: sum(r["checks"][k] for r in rows) for k in keys}
        attrs["count"] = sum(r["count_correct"] for r in rows)
        print(f"{label:>34}: {ok}/{n} correct ({100 * ok / n:.0f}%)  " + "  ".join(f"{k} {v}/{n}" for k, v in attrs.items()))
        return {"correct": ok, "total": n, "checked": keys, **{k: v for k, v in attrs.items()}}

    print(f"plain phrasing of held-out scenes [steps {steps}, guidance {guidance}, {time.time() - t0:.1f}s]")
    summary["plain (article + bare)"] = line("plain (article + bare)", [r for r in per if r["form"] in ("article", "bare")])
    for form in PLAIN_FORMS:
        summary[form] = line(form, [r for r in per if r["form"] == form])
    for r in per:
        if not r["correct"]:
            print("  wrong:", r["prompt"], f"(seed {r['seed']})", "->",
                  {k: r["detected"].get(k) for k in ("colour", "shape", "background", "position", "fill")})
    with open(args.results, "w") as f:
        json.dump({"source": source, "steps": steps, "guidance": guidance, "scheduler": sched_cfg["_class_name"],
                   "summary": summary, "prompts": per}, f, indent=1)
        f.write("\n")
    save_grid([img for p, img in zip(prompts, images) if p["draw"] == 0], args.samples, cols=12)  # first seed each


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
    ap.add_argument("--results", default=None, help="default eval-results.json (--plain: plain-results.json) here")
    ap.add_argument("--samples", default=None, help="default samples.png (--plain: plain-samples.png) here")
    ap.add_argument("--plain", action="store_true",
                    help="plain phrasing of held-out scenes (scenes.plain_prompts: 'a red circle on a blue background', "
                         "'red circle on blue background', 'a red circle', 'a red circle on a blue background, top left')")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (torch.set_num_threads)")
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
    args.results = args.results or os.path.join(HERE, "plain-results.json" if args.plain else "eval-results.json")
    args.samples = args.samples or os.path.join(HERE, "plain-samples.png" if args.plain else "samples.png")
    torch.set_num_threads(args.threads)
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
    if args.plain:
        evaluate_plain(args, (te, unet, dec, sf, tok), sched_cfg, steps, guidance,
                       os.path.relpath(source, HERE) if not args.ckpt else source, t0)
        return

    images = images_for(prompts, te, unet, dec, sf, tok, sched_cfg, steps, guidance)
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
