"""Deterministic procedural scene generator for the carbon-tiny model.

Each sample is a 64x64 RGB image of 1-3 identical flat-coloured shapes on a
solid background, with a caption such as

    "two small red circles on a blue background, top left"

Everything is derived from a seeded numpy RandomState, so the same seed gives
the same images and captions on every machine.

A fixed set of (colour, shape, background, position) combinations is held out:
they never appear in training data (at any size or count) and form the
evaluation prompt set written to heldout.json.
"""
import argparse
import json
import os

import numpy as np
from PIL import Image, ImageDraw

IMAGE_SIZE = 64
SUPERSAMPLE = 4  # draw at 256x256, box-filter down to 64x64 (anti-aliased edges)

# Palette (name -> RGB). Used for shapes and backgrounds. Also used by eval.py
# (nearest-palette classification), documented in README.md.
PALETTE = {
    "red": (220, 30, 30),
    "orange": (255, 140, 0),
    "yellow": (250, 220, 30),
    "green": (30, 170, 50),
    "blue": (30, 70, 230),
    "purple": (140, 40, 190),
    "white": (245, 245, 245),
    "black": (15, 15, 15),
}
COLOURS = list(PALETTE.keys())
SHAPES = ["circle", "square", "triangle"]
SHAPE_PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles"}
POSITIONS = ["top left", "top right", "bottom left", "bottom right", "center"]
# Region centres (x, y) in 64x64 pixel coordinates.
POSITION_CENTRES = {
    "top left": (16, 16),
    "top right": (48, 16),
    "bottom left": (16, 48),
    "bottom right": (48, 48),
    "center": (32, 32),
}
COUNTS = ["one", "two", "three"]
SIZES = ["small", "large"]

# Radii in 64x64 pixels.
LARGE_RADIUS = (11.5, 13.0)
SMALL_RADIUS = (7.0, 8.0)
MULTI_RADIUS = (5.5, 6.0)
JITTER = 1.5  # max offset of a group centre from its region centre (pixels)
# Offsets of individual shapes inside a group (pixels).
GROUP_OFFSETS = {
    1: [(0.0, 0.0)],
    2: [(-7.5, 0.0), (7.5, 0.0)],
    3: [(-7.5, -6.5), (7.5, -6.5), (0.0, 7.0)],
}

HELDOUT_SEED = 20261125
N_HELDOUT = 50


def caption_for(count, size, colour, shape, bg, position):
    noun = shape if count == "one" else SHAPE_PLURAL[shape]
    return f"{count} {size} {colour} {noun} on a {bg} background, {position}"


# Caption variety (issue 19, item 3): the same scenes in plainer words. Only words the original captions use
# (each one token of the vocabulary; "an", "the", "with" are not, so they are not used).
PLAIN_BACKGROUNDS = ("on a {} background", "on {} background", None)


def plain_caption(count, size, colour, shape, bg, position, article="a", with_size=False, with_position=False,
                  background=0):
    """A plainer caption of the same scene: for one shape `article` ("a", "one" or "" for none) in place of
    "one" (two or three shapes keep their count word); the size word only with with_size; ", position" only
    with with_position; the background as PLAIN_BACKGROUNDS[background] (None: not named). E.g. "a red
    circle on a blue background", "red circle on blue background", "a large red circle", "two red circles
    on a blue background, top left"."""
    noun = shape if count == "one" else SHAPE_PLURAL[shape]
    words = [article if count == "one" else count, size if with_size else "", colour, noun]
    if PLAIN_BACKGROUNDS[background]:
        words.append(PLAIN_BACKGROUNDS[background].format(bg))
    text = " ".join(w for w in words if w)
    return text + (f", {position}" if with_position else "")


# How varied_caption phrases a plain caption: probabilities of the article "a" / "one" / none (one shape),
# of keeping the size word and the position phrase, and of the background forms of PLAIN_BACKGROUNDS.
# PLAIN_MIX_V1 was the first phase-8 run's (README: the bare form stayed at 8/82); PLAIN_MIX gives the
# article-less forms more weight.
PLAIN_MIX_V1 = {"article": [0.5, 0.25, 0.25], "size": 0.4, "position": 0.4, "background": [0.5, 0.25, 0.25]}
PLAIN_MIX = {"article": [0.4, 0.2, 0.4], "size": 0.3, "position": 0.4, "background": [0.4, 0.35, 0.25]}


def varied_caption(attrs, u, prob, mix=PLAIN_MIX):
    """A training caption with caption variety for scene attributes attrs (sample_attributes' dict); u: five
    uniforms in [0, 1). With probability prob (u[0] < prob) a plain_caption phrased by mix (PLAIN_MIX): the
    article from u[1], the size word kept when u[2] < mix["size"], the position phrase when u[3] <
    mix["position"], the background form from u[4]. Otherwise, and always for a scene whose (colour, shape,
    background) is a held-out triple (heldout_triples), caption_for's form: those scenes are never seen in a
    plain form, so the plain-phrasing evaluation stays held out."""
    if u[0] >= prob or is_heldout_triple(attrs["colour"], attrs["shape"], attrs["bg"]):
        return caption_for(**attrs)
    pa, pb = mix["article"], mix["background"]
    article = "a" if u[1] < pa[0] else "one" if u[1] < pa[0] + pa[1] else ""
    background = 0 if u[4] < pb[0] else 1 if u[4] < pb[0] + pb[1] else 2
    return plain_caption(attrs["count"], attrs["size"], attrs["colour"], attrs["shape"], attrs["bg"], attrs["position"],
                         article, u[2] < mix["size"], u[3] < mix["position"], background)


def all_combos():
    """Every valid (colour, shape, background, position) combination, in a fixed order."""
    out = []
    for c in COLOURS:
        for s in SHAPES:
            for b in COLOURS:
                if b == c:
                    continue
                for p in POSITIONS:
                    out.append((c, s, b, p))
    return out


def heldout_combos():
    """50 combinations never used in training; chosen by a fixed seed.

    The choice is constrained so that each colour, shape, background and
    position value still appears in many training combinations."""
    combos = all_combos()
    rng = np.random.RandomState(HELDOUT_SEED)
    idx = rng.permutation(len(combos))[:N_HELDOUT]
    return [combos[i] for i in sorted(idx)]


_HELDOUT_SET = None


def is_heldout(colour, shape, bg, position):
    global _HELDOUT_SET
    if _HELDOUT_SET is None:
        _HELDOUT_SET = set(heldout_combos())
    return (colour, shape, bg, position) in _HELDOUT_SET


def heldout_triples():
    """The (colour, shape, background) triples of the held-out combinations (41 distinct of the 50), in the
    order heldout_combos gives them. Every scene of these triples keeps the original caption form in training
    (varied_caption), so the plain-phrasing evaluation (scenes.plain_prompts) asks for triples that were never
    captioned in a plain form; the original captions of these triples at the other positions were (and are)
    in training, as before."""
    out = []
    for c, s, b, _ in heldout_combos():
        if (c, s, b) not in out:
            out.append((c, s, b))
    return out


_HELDOUT_TRIPLES = None


def is_heldout_triple(colour, shape, bg):
    global _HELDOUT_TRIPLES
    if _HELDOUT_TRIPLES is None:
        _HELDOUT_TRIPLES = set(heldout_triples())
    return (colour, shape, bg) in _HELDOUT_TRIPLES


def sample_attributes(rng, allow_heldout=False):
    """Draw one scene description. Rejects held-out combos unless allowed."""
    while True:
        colour = COLOURS[rng.randint(len(COLOURS))]
        bg = COLOURS[rng.randint(len(COLOURS))]
        if bg == colour:
            continue
        shape = SHAPES[rng.randint(len(SHAPES))]
        position = POSITIONS[rng.randint(len(POSITIONS))]
        u = rng.rand()
        if u < 0.6:
            count = "one"
            size = SIZES[rng.randint(2)]
        elif u < 0.8:
            count, size = "two", "small"
        else:
            count, size = "three", "small"
        if not allow_heldout and is_heldout(colour, shape, bg, position):
            continue
        return dict(count=count, size=size, colour=colour, shape=shape, bg=bg, position=position)


def _draw_shape(draw, shape, cx, cy, r, fill):
    s = SUPERSAMPLE
    cx, cy, r = cx * s, cy * s, r * s
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    elif shape == "square":
        h = r * 0.9  # side 1.8 r: area close to the circle of radius r
        draw.rectangle([cx - h, cy - h, cx + h, cy + h], fill=fill)
    elif shape == "triangle":
        # isosceles, apex up, bounding box 2r x 2r
        draw.polygon([(cx, cy - r), (cx + r, cy + r), (cx - r, cy + r)], fill=fill)
    else:
        raise ValueError(shape)


def render(attrs, rng):
    """Render attributes to a uint8 HxWx3 array (positions jittered by rng)."""
    s = SUPERSAMPLE
    img = Image.new("RGB", (IMAGE_SIZE * s, IMAGE_SIZE * s), PALETTE[attrs["bg"]])
    draw = ImageDraw.Draw(img)
    n = COUNTS.index(attrs["count"]) + 1
    if n == 1:
        lo, hi = LARGE_RADIUS if attrs["size"] == "large" else SMALL_RADIUS
    else:
        lo, hi = MULTI_RADIUS
    r = lo + (hi - lo) * rng.rand()
    bx, by = POSITION_CENTRES[attrs["position"]]
    gx = bx + rng.uniform(-JITTER, JITTER)
    gy = by + rng.uniform(-JITTER, JITTER)
    for ox, oy in GROUP_OFFSETS[n]:
        _draw_shape(draw, attrs["shape"], gx + ox, gy + oy, r, PALETTE[attrs["colour"]])
    img = img.resize((IMAGE_SIZE, IMAGE_SIZE), Image.BOX)
    return np.asarray(img, dtype=np.uint8)


def make_dataset(n, seed, allow_heldout=False):
    """n samples -> (uint8 images [n,64,64,3], list of captions, list of attr dicts)."""
    rng = np.random.RandomState(seed)
    images = np.empty((n, IMAGE_SIZE, IMAGE_SIZE, 3), dtype=np.uint8)
    captions, attrs_list = [], []
    for i in range(n):
        a = sample_attributes(rng, allow_heldout=allow_heldout)
        images[i] = render(a, rng)
        captions.append(caption_for(**a))
        attrs_list.append(a)
    return images, captions, attrs_list


def make_shape_sets(n, seed):
    """n scenes drawn once per shape kind with everything else equal (colours, position, count, size,
    jitter): uint8 [n, 3, 64, 64, 3] in SHAPES order and captions [n][3]. A scene is only used when none
    of its three variants is a held-out combination. For train.py's shape-contrast phase."""
    rng = np.random.RandomState(seed)
    images = np.empty((n, len(SHAPES), IMAGE_SIZE, IMAGE_SIZE, 3), dtype=np.uint8)
    captions = []
    i = 0
    while i < n:
        a = sample_attributes(rng)
        if any(is_heldout(a["colour"], s, a["bg"], a["position"]) for s in SHAPES):
            continue
        state = rng.get_state()
        row = []
        for k, s in enumerate(SHAPES):
            rng.set_state(state)                        # the same size and jitter for every kind
            images[i, k] = render(dict(a, shape=s), rng)
            row.append(caption_for(**dict(a, shape=s)))
        captions.append(row)
        i += 1
    return images, captions


def caption_corpus():
    """Every caption the generator can produce for training (used to train the BPE vocab)."""
    caps = []
    for c, s, b, p in all_combos():
        for count in COUNTS:
            for size in (SIZES if count == "one" else ["small"]):
                caps.append(caption_for(count, size, c, s, b, p))
    return caps


def heldout_prompts():
    """The held-out evaluation prompts with expected attributes (deterministic)."""
    rng = np.random.RandomState(HELDOUT_SEED + 1)
    out = []
    for i, (c, s, b, p) in enumerate(heldout_combos()):
        u = rng.rand()
        if u < 0.6:
            count, size = "one", SIZES[rng.randint(2)]
        elif u < 0.8:
            count, size = "two", "small"
        else:
            count, size = "three", "small"
        out.append(dict(id=i, prompt=caption_for(count, size, c, s, b, p), count=count, size=size,
                        colour=c, shape=s, background=b, position=p, seed=1000 + i))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--preview", default=None, help="write a PNG grid of 64 samples here")
    ap.add_argument("--heldout", default=None, help="write heldout.json here")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.preview:
        imgs, caps, _ = make_dataset(64, args.seed)
        grid = imgs.reshape(8, 8, 64, 64, 3).transpose(0, 2, 1, 3, 4).reshape(512, 512, 3)
        Image.fromarray(grid).save(args.preview)
        for c in caps[:16]:
            print(c)
    if args.heldout:
        data = {
            "description": "carbon-tiny held-out prompts: (colour, shape, background, position) combinations never "
                           "seen in training. See tools/tiny-model/README.md for the checks.",
            "palette": {k: list(v) for k, v in PALETTE.items()},
            "width": 64, "height": 64,
            "prompts": heldout_prompts(),
        }
        with open(args.heldout, "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print("wrote", args.heldout, len(data["prompts"]), "prompts")


if __name__ == "__main__":
    main()
