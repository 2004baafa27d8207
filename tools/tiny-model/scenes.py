"""Scene scoring: what a generated 64x64 scene shows, and whether it matches its prompt.

analyze reads an image's background, shape colour, shape kind, position and count; score compares that
with a prompt's expected attributes (all four, or the checks a record names). eval.py scores its samples
with them, and latents.kind_channel reads a scene's kind and colours with analyze. validation_prompts draws
prompts like the training data; plain_prompts are eval.py --plain's plainly phrased held-out scenes;
scene_attributes turns a prompt record into gen_data.render's attributes.

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
import numpy as np

import gen_data

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


CHECKS = ("background", "colour", "shape", "position")


def score(expected, got, keys=CHECKS):
    """The checks of keys (default all four; plain_prompts' records name fewer) and whether all of them pass."""
    checks = {k: got[k] == expected[k] for k in keys}
    return checks, all(checks.values())


# ----------------------------------------------------------------------------------------------
# prompts

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


PLAIN_FORMS = ("article", "bare", "no background", "article, position")


def plain_prompts():
    """The plain-phrasing evaluation (eval.py --plain; issue 19, item 3): ordinary phrasings of held-out scenes.
    For each of the 41 held-out triples (gen_data.heldout_triples: the (colour, shape, background) of the 50
    held-out combinations, whose scenes are never captioned in a plain form in training) and two seeds each:
      article        "a red circle on a blue background"   checks background, colour, shape
      bare           "red circle on blue background"       checks background, colour, shape
      no background  "a red circle"                        checks colour and shape (the background is free:
                                                           no default; the (colour, shape) pair is not held
                                                           out, only the phrasing is tested)
    and for each of the 50 held-out combinations (heldout.json's seeds)
      article, position  "a red circle on a blue background, top left"   checks all four.
    Size and position (unless named) are free; the count is one (reported, not checked). 296 prompts."""
    out = []
    for form, bg_form, keys in (("article", 0, ("background", "colour", "shape")),
                                ("bare", 1, ("background", "colour", "shape")),
                                ("no background", 2, ("colour", "shape"))):
        for i, (c, s, b) in enumerate(gen_data.heldout_triples()):
            for k in range(2):
                out.append({"id": f"{form}-{i}-{k}", "form": form, "checks": keys,
                            "prompt": gen_data.plain_caption("one", "", c, s, b, "", "a" if bg_form != 1 else "",
                                                             background=bg_form),
                            "colour": c, "shape": s, "background": b, "position": None, "count": "one",
                            "draw": k, "seed": 3000 + 100 * bg_form + 2 * i + k})
    for p in gen_data.heldout_prompts():
        out.append({"id": f"article, position-{p['id']}", "form": "article, position", "checks": CHECKS,
                    "prompt": gen_data.plain_caption("one", "", p["colour"], p["shape"], p["background"], p["position"],
                                                     with_position=True),
                    "colour": p["colour"], "shape": p["shape"], "background": p["background"],
                    "position": p["position"], "count": "one", "draw": 0, "seed": p["seed"]})
    return out


def scene_attributes(p):
    """A prompt record (heldout.json / validation_prompts) as gen_data.render's attributes."""
    return dict(count=p["count"], size=p["size"], colour=p["colour"], shape=p["shape"], bg=p["background"],
                position=p["position"])
