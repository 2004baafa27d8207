#!/usr/bin/python3
"""Renders `tmux capture-pane -e -p` output (text with ANSI SGR colours) to a PNG.

    python3 ansi2png.py capture.ansi out.png [columns rows]

Needs Pillow (Debian: python3-pil) and DejaVu Sans Mono (fonts-dejavu-core).
"""
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
FALLBACK = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 14
BG = (30, 30, 30)
FG = (212, 212, 212)
BASE16 = [
    (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
    (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
]


def xterm256(n):
    if n < 16:
        return BASE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10
    return (v, v, v)


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text):
    """Yields rows of cells: (char, fg, bg, bold, underline)."""
    sgr = re.compile(r"\x1b\[([0-9;:]*)m|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\x1b.")
    state = {"fg": None, "bg": None, "bold": False, "ul": False, "rev": False}
    rows = []
    for line in text.split("\n"):
        cells = []
        pos = 0
        for m in list(sgr.finditer(line)) + [None]:
            end = m.start() if m else len(line)
            for ch in line[pos:end]:
                fg, bg = state["fg"] or FG, state["bg"] or BG
                if state["rev"]:
                    fg, bg = bg, fg
                w = width(ch)
                if w == 0:
                    continue
                cells.append((ch, fg, bg, state["bold"], state["ul"]))
                if w == 2:
                    cells.append(("", fg, bg, False, False))
            if not m:
                break
            pos = m.end()
            if m.group(1) is None:
                continue
            params = [int(p) if p else 0 for p in re.split("[;:]", m.group(1) or "0")]
            i = 0
            while i < len(params):
                p = params[i]
                if p == 0:
                    state.update(fg=None, bg=None, bold=False, ul=False, rev=False)
                elif p == 1:
                    state["bold"] = True
                elif p == 22:
                    state["bold"] = False
                elif p == 4:
                    state["ul"] = True
                elif p == 24:
                    state["ul"] = False
                elif p == 7:
                    state["rev"] = True
                elif p == 27:
                    state["rev"] = False
                elif 30 <= p <= 37:
                    state["fg"] = BASE16[p - 30]
                elif 90 <= p <= 97:
                    state["fg"] = BASE16[p - 90 + 8]
                elif 40 <= p <= 47:
                    state["bg"] = BASE16[p - 40]
                elif 100 <= p <= 107:
                    state["bg"] = BASE16[p - 100 + 8]
                elif p == 39:
                    state["fg"] = None
                elif p == 49:
                    state["bg"] = None
                elif p in (38, 48) and i + 1 < len(params):
                    key = "fg" if p == 38 else "bg"
                    if params[i + 1] == 5 and i + 2 < len(params):
                        state[key] = xterm256(params[i + 2])
                        i += 2
                    elif params[i + 1] == 2 and i + 4 < len(params):
                        state[key] = tuple(params[i + 2:i + 5])
                        i += 4
                i += 1
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def main():
    src, out = sys.argv[1], sys.argv[2]
    rows = parse(open(src, encoding="utf-8", errors="replace").read())
    cols = int(sys.argv[3]) if len(sys.argv) > 3 else max(len(r) for r in rows)
    nrows = int(sys.argv[4]) if len(sys.argv) > 4 else len(rows)
    font, bold, fallback = ImageFont.truetype(FONT, SIZE), ImageFont.truetype(FONT_BOLD, SIZE), ImageFont.truetype(FALLBACK, SIZE)
    cw = round(font.getlength("M"))
    ch = SIZE + 4
    pad = 8
    img = Image.new("RGB", (cols * cw + 2 * pad, nrows * ch + 2 * pad), BG)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(rows[:nrows]):
        for x, (c, fg, bg, b, ul) in enumerate(row[:cols]):
            px, py = pad + x * cw, pad + y * ch
            if bg != BG:
                d.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c and c != " ":
                f = bold if b else font
                if f.getmask(c).getbbox() is None and fallback.getmask(c).getbbox() is not None:
                    f = fallback
                d.text((px, py + 1), c, font=f, fill=fg)
            if ul:
                d.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=fg)
    img.convert("P", palette=Image.ADAPTIVE, colors=64).save(out, optimize=True)


if __name__ == "__main__":
    main()
