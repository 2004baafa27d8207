"""Tiny reference CLIP tokenizer (HF CLIPTokenizer / openai simple_tokenizer algorithm), pure Python.

Used by make_test_models.py to build the test-fixture vocabulary and tests/models/tokenizer-vectors.json.
Steps (see ../shared/reference/imagegen.md (beside the repository) section 5):
  1. clean: ftfy.fix_text is treated as identity (ftfy is not installed), html.unescape twice, strip;
  2. collapse every whitespace run to one space, strip, lower-case;
  3. split like regex.findall(r"<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
     text, IGNORECASE) - done with a small scanner over unicodedata categories (no `regex` module here);
  4. map each piece's UTF-8 bytes through bytes_to_unicode;
  5. BPE with "</w>" on the last symbol, always merging the lowest-rank pair;
  6. ids = [BOS] + ids + [EOS]; __call__ truncates to 77 keeping EOS and pads with the pad id.
The two special strings, when they appear literally in the text, map straight to their ids (as openai and HF do).

Also: `learn_bpe` (deterministic BPE training used to make the tiny vocabulary) and `--verify-clip DIR`, which checks
this implementation against the real CLIP merges and test vectors in ../shared/clip (not copied into the repo):
  PYENV_VERSION=system python3 tools/test-models/clip_ref_tokenizer.py --verify-clip ../shared/clip
"""
import gzip
import html
import json
import os
import re
import sys
import unicodedata

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
_LITERALS = [BOS, EOS, "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"]


def bytes_to_unicode():
    """byte -> printable unicode char, in CLIP's order (this dict order is also the vocab order of ids 0..255)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\xa1"), ord("\xac") + 1)) + \
        list(range(ord("\xae"), ord("\xff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def clean_text(text):
    text = html.unescape(html.unescape(text)).strip()
    text = re.sub(r"\s+", " ", text).strip()
    return text.lower()


def _cat(ch):
    if ch.isspace():
        return "s"
    c = unicodedata.category(ch)[0]
    return c if c in ("L", "N") else "o"


def split_words(text):
    """regex.findall(CLIP pattern, text) for cleaned text."""
    out, i, n = [], 0, len(text)
    while i < n:
        lit = next((l for l in _LITERALS if text.startswith(l, i)), None)
        if lit is not None:
            out.append(lit)
            i += len(lit)
            continue
        c = _cat(text[i])
        if c == "s":
            i += 1
        elif c == "N":  # every digit is its own piece
            out.append(text[i])
            i += 1
        else:  # a run of letters, or a run of other non-space symbols (greedy, like the regex)
            j = i + 1
            while j < n and _cat(text[j]) == c:
                j += 1
            out.append(text[i:j])
            i = j
    return out


def _pairs(word):
    return {(word[k], word[k + 1]) for k in range(len(word) - 1)}


def _merge(word, first, second):
    out, i = [], 0
    while i < len(word):
        if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
            out.append(first + second)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


class ClipTokenizer:
    def __init__(self, vocab, merges, pad_token=EOS, unk_token=EOS, max_length=77):
        self.encoder = dict(vocab)
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()
        self.max_length = max_length
        self.bos_id, self.eos_id = self.encoder[BOS], self.encoder[EOS]
        self.pad_id, self.unk_id = self.encoder[pad_token], self.encoder[unk_token]

    @classmethod
    def from_dir(cls, path):
        with open(os.path.join(path, "vocab.json"), encoding="utf-8") as f:
            vocab = json.load(f)
        with open(os.path.join(path, "merges.txt"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        assert lines[0].startswith("#version"), lines[0]
        merges = [tuple(l.split()) for l in lines[1:] if l.strip()]
        with open(os.path.join(path, "special_tokens_map.json"), encoding="utf-8") as f:
            st = json.load(f)
        pad = st.get("pad_token", EOS)
        pad = pad["content"] if isinstance(pad, dict) else pad
        unk = st.get("unk_token", EOS)
        unk = unk["content"] if isinstance(unk, dict) else unk
        return cls(vocab, merges, pad_token=pad, unk_token=unk)

    def bpe(self, token):
        if token in (BOS, EOS):
            return [token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            best = min(_pairs(word), key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            word = _merge(word, *best)
        return list(word)

    def tokenize(self, text):
        toks = []
        for piece in split_words(clean_text(text)):
            if piece not in (BOS, EOS):
                piece = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            toks.extend(self.bpe(piece))
        return toks

    def encode(self, text):
        """[BOS] + ids + [EOS], no truncation, no padding."""
        return [self.bos_id] + [self.encoder.get(t, self.unk_id) for t in self.tokenize(text)] + [self.eos_id]

    def __call__(self, text):
        """Exactly max_length ids: truncated keeping EOS last, then padded with the pad id."""
        ids = self.encode(text)
        if len(ids) > self.max_length:
            ids = ids[: self.max_length - 1] + [self.eos_id]
        return ids + [self.pad_id] * (self.max_length - len(ids))


def learn_bpe(words):
    """Deterministic BPE training on `words` (list of (word, count)), CLIP style ('</w>' on the last char).

    Repeatedly merges the most frequent adjacent pair (ties: lexicographically smallest pair) until every word is a
    single symbol. Returns the merges in rank order."""
    be = bytes_to_unicode()
    corpus = {}
    for w, c in words:
        sym = [be[b] for b in w.encode("utf-8")]
        corpus[tuple(sym[:-1] + [sym[-1] + "</w>"])] = corpus.get(tuple(sym[:-1] + [sym[-1] + "</w>"]), 0) + c
    merges = []
    while True:
        counts = {}
        for word, c in corpus.items():
            for k in range(len(word) - 1):
                p = (word[k], word[k + 1])
                counts[p] = counts.get(p, 0) + c
        if not counts:
            return merges
        best = min(counts, key=lambda p: (-counts[p], p))
        merges.append(best)
        corpus = {_merge(w, *best): c for w, c in corpus.items()}


def build_vocab(merges):
    """CLIP vocab order: 256 byte symbols, the same + '</w>', one id per merge, then BOS, EOS."""
    syms = list(bytes_to_unicode().values())
    vocab = syms + [s + "</w>" for s in syms] + ["".join(m) for m in merges] + [BOS, EOS]
    assert len(set(vocab)) == len(vocab), "a merge produced an already existing symbol"
    return {s: i for i, s in enumerate(vocab)}


def verify_clip(clip_dir):
    """Check this implementation against the real CLIP BPE (../shared/clip) and its test vectors."""
    path = os.path.join(clip_dir, "merges.txt")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    else:
        with gzip.open(os.path.join(clip_dir, "bpe_simple_vocab_16e6.txt.gz"), "rt", encoding="utf-8") as f:
            lines = f.read().split("\n")
    merges = [tuple(l.split()) for l in lines[1:49152 - 256 - 2 + 1]]
    tok = ClipTokenizer(build_vocab(merges), merges)
    assert tok.bos_id == 49406 and tok.eos_id == 49407
    with open(os.path.join(clip_dir, "test-vectors.json"), encoding="utf-8") as f:
        vectors = json.load(f)["vectors"]
    bad = 0
    for v in vectors:
        got = tok.encode(v["text"])
        if got != v["ids"]:
            bad += 1
            print("MISMATCH", repr(v["text"]), got, v["ids"])
    print(f"real CLIP vocab: {len(vectors) - bad}/{len(vectors)} vectors match")
    return bad == 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--verify-clip":
        sys.exit(0 if verify_clip(sys.argv[2]) else 1)
    print(__doc__)
