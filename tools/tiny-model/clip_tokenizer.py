"""CLIP (HF CLIPTokenizer / openai simple_tokenizer) compatible byte-level BPE tokenizer.

Pure Python, no dependencies. Follows the HF CLIPTokenizer algorithm:
  1. clean: html.unescape twice, strip (ftfy.fix_text is treated as identity),
  2. collapse whitespace runs to one space, strip, lower-case,
  3. split with the CLIP regex
       <|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+
     (implemented with a small scanner using unicodedata categories, so the
     third-party `regex` module is not needed),
  4. map UTF-8 bytes to printable unicode (bytes_to_unicode),
  5. BPE with `</w>` on the last symbol, always merging the lowest-rank pair,
  6. BOS + ids + EOS, truncate to max_length keeping EOS, pad with pad id.

Also contains `train_bpe`, used to build carbon-tiny's own small vocabulary.

Usage:
  python3 clip_tokenizer.py --verify ../../../shared/clip     # check against real CLIP vocab + test vectors
  python3 clip_tokenizer.py --build ../../models/carbon-tiny/tokenizer   # write carbon-tiny vocab
"""
import argparse
import html
import json
import os
import re
import unicodedata

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
_LITERALS = [BOS, EOS, "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"]


def bytes_to_unicode():
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


def _is_space(ch):
    # Python `regex` \s: unicode White_Space. str.isspace is equivalent for our purposes.
    return ch.isspace()


def _cat(ch):
    if _is_space(ch):
        return "s"
    c = unicodedata.category(ch)
    if c[0] == "L":
        return "L"
    if c[0] == "N":
        return "N"
    return "o"


def clean_text(text):
    text = html.unescape(html.unescape(text)).strip()
    text = re.sub(r"\s+", " ", text).strip()
    return text.lower()


def split_words(text):
    """Equivalent of regex.findall(CLIP pattern, text) for already-cleaned text."""
    out = []
    i, n = 0, len(text)
    while i < n:
        matched = False
        for lit in _LITERALS:
            if text.startswith(lit, i):
                out.append(lit)
                i += len(lit)
                matched = True
                break
        if matched:
            continue
        c = _cat(text[i])
        if c == "s":
            i += 1
        elif c == "N":
            out.append(text[i])
            i += 1
        else:  # letter run, or run of "other" (non-space, non-letter, non-number)
            j = i + 1
            while j < n and _cat(text[j]) == c:
                j += 1
            out.append(text[i:j])
            i = j
    return out


def get_pairs(word):
    return {(word[k], word[k + 1]) for k in range(len(word) - 1)}


class ClipTokenizer:
    def __init__(self, vocab, merges, max_length=77, pad_token=EOS, unk_token=EOS):
        self.encoder = dict(vocab)
        self.decoder = {v: k for k, v in self.encoder.items()}
        self.bpe_ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()
        self.byte_decoder = {v: k for k, v in self.byte_encoder.items()}
        self.max_length = max_length
        self.bos_id = self.encoder[BOS]
        self.eos_id = self.encoder[EOS]
        self.pad_id = self.encoder[pad_token]
        self.unk_id = self.encoder[unk_token]
        self.cache = {BOS: BOS, EOS: EOS}

    @classmethod
    def from_dir(cls, path, **kw):
        with open(os.path.join(path, "vocab.json"), encoding="utf-8") as f:
            vocab = json.load(f)
        with open(os.path.join(path, "merges.txt"), encoding="utf-8") as f:
            lines = f.read().split("\n")
        assert lines[0].startswith("#version"), lines[0]
        merges = [tuple(l.split()) for l in lines[1:] if l.strip()]
        # The real CLIP merges.txt has extra lines; HF uses exactly the first
        # vocab_size - 256*2 - 2 merges (each merge produces one vocab entry).
        merges = merges[: len(vocab) - 512 - 2]
        cfg_path = os.path.join(path, "special_tokens_map.json")
        if os.path.exists(cfg_path) and "pad_token" not in kw:
            with open(cfg_path) as f:
                st = json.load(f)
            pad = st.get("pad_token", EOS)
            if isinstance(pad, dict):
                pad = pad["content"]
            kw["pad_token"] = pad
        return cls(vocab, merges, **kw)

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        pairs = get_pairs(word)
        if not pairs:
            return token + "</w>"
        while True:
            bigram = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                except ValueError:
                    new_word.extend(word[i:])
                    break
                new_word.extend(word[i:j])
                i = j
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        out = " ".join(word)
        self.cache[token] = out
        return out

    def tokenize(self, text):
        """List of BPE token strings (no BOS/EOS)."""
        toks = []
        for w in split_words(clean_text(text)):
            mapped = "".join(self.byte_encoder[b] for b in w.encode("utf-8"))
            toks.extend(self.bpe(mapped).split(" "))
        return toks

    def encode(self, text):
        """BOS + ids + EOS, no truncation or padding."""
        return [self.bos_id] + [self.encoder.get(t, self.unk_id) for t in self.tokenize(text)] + [self.eos_id]

    def __call__(self, text):
        """Exactly max_length ids: truncated keeping EOS, padded with pad id."""
        ids = self.encode(text)
        if len(ids) > self.max_length:
            ids = ids[: self.max_length - 1] + [self.eos_id]
        return ids + [self.pad_id] * (self.max_length - len(ids))


# ----------------------------------------------------------------------------------------------
# BPE training for carbon-tiny's own vocabulary

def learn_bpe(words):
    """Learn merges on `words` (list of (word, count), raw text) until every word is one symbol.

    Deterministic: at each step merge the most frequent adjacent pair (ties broken by the
    lexicographically smallest pair), CLIP style ('</w>' on the last symbol). Returns the merges
    in rank order. Also used by tools/test-models for the fixtures' vocabulary."""
    be = bytes_to_unicode()
    freq = {}
    for w, c in words:
        mapped = "".join(be[b] for b in w.encode("utf-8"))
        freq[mapped] = freq.get(mapped, 0) + c
    words = {w: tuple(w[:-1]) + (w[-1] + "</w>",) for w in freq}
    merges = []
    while True:
        counts = {}
        for w, sym in words.items():
            for k in range(len(sym) - 1):
                p = (sym[k], sym[k + 1])
                counts[p] = counts.get(p, 0) + freq[w]
        if not counts:
            break
        best = min(counts, key=lambda p: (-counts[p], p))
        merges.append(best)
        a, b = best
        for w, sym in words.items():
            out, k = [], 0
            while k < len(sym):
                if k < len(sym) - 1 and sym[k] == a and sym[k + 1] == b:
                    out.append(a + b)
                    k += 2
                else:
                    out.append(sym[k])
                    k += 1
            words[w] = tuple(out)
    return merges


def train_bpe(corpus):
    """learn_bpe on the words of `corpus` (list of strings), counted after CLIP's clean-up and split."""
    return learn_bpe([(w, 1) for text in corpus for w in split_words(clean_text(text))])


def build_vocab(merges):
    be = bytes_to_unicode()
    symbols = list(be.values())
    vocab_list = symbols + [s + "</w>" for s in symbols]
    for a, b in merges:
        vocab_list.append(a + b)
    vocab_list += [BOS, EOS]
    assert len(set(vocab_list)) == len(vocab_list), "duplicate vocab entries"
    return {s: i for i, s in enumerate(vocab_list)}


def write_tokenizer_dir(path, merges):
    os.makedirs(path, exist_ok=True)
    vocab = build_vocab(merges)
    with open(os.path.join(path, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(path, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")
    special = {
        "bos_token": {"content": BOS, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
        "eos_token": {"content": EOS, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
        "pad_token": EOS,
        "unk_token": {"content": EOS, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
    }
    with open(os.path.join(path, "special_tokens_map.json"), "w") as f:
        json.dump(special, f, indent=2)
        f.write("\n")
    cfg = {
        "add_prefix_space": False,
        "bos_token": BOS,
        "eos_token": EOS,
        "pad_token": EOS,
        "unk_token": EOS,
        "do_lower_case": True,
        "errors": "replace",
        "model_max_length": 77,
        "clean_up_tokenization_spaces": True,
        "tokenizer_class": "CLIPTokenizer",
    }
    with open(os.path.join(path, "tokenizer_config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    return vocab


def verify(clip_dir):
    tok = ClipTokenizer.from_dir(clip_dir)
    assert len(tok.encoder) == 49408 and tok.bos_id == 49406 and tok.eos_id == 49407
    with open(os.path.join(clip_dir, "test-vectors.json"), encoding="utf-8") as f:
        tv = json.load(f)
    fails = 0
    for v in tv["vectors"]:
        got = tok.encode(v["text"])
        if got != v["ids"]:
            fails += 1
            print("MISMATCH", repr(v["text"]), got, v["ids"])
    # Extra vectors from imagegen.md section 5.
    extra = [
        ("", [49406, 49407]),
        ("a photo of a dog", [49406, 320, 1125, 539, 320, 1929, 49407]),
        ("Hello, world!", [49406, 3306, 267, 1002, 256, 49407]),
        ("don't stop 42 times", [49406, 847, 713, 1691, 275, 273, 1661, 49407]),
        ("hello-world, 3.14 (test)", [49406, 3306, 268, 1002, 267, 274, 269, 272, 275, 263, 1628, 264, 49407]),
        ("café über naïve", [49406, 15304, 6522, 1516, 1097, 35689, 563, 49407]),
        ("\U0001F600 red car", [49406, 7334, 736, 1615, 49407]),
    ]
    for text, ids in extra:
        got = tok.encode(text)
        if got != ids:
            fails += 1
            print("MISMATCH", repr(text), got, ids)
    # Padding / truncation behaviour.
    padded = tok("a photo of a cat")
    assert len(padded) == 77 and padded[:7] == [49406, 320, 1125, 539, 320, 2368, 49407]
    assert all(i == 49407 for i in padded[7:])
    long = tok("cat " * 100)
    assert len(long) == 77 and long[0] == 49406 and long[-1] == 49407 and long[75] == 2368
    n = len(tv["vectors"]) + len(extra)
    print(f"verify: {n - fails}/{n} vectors match")
    return fails == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verify", default=None, help="dir with real CLIP vocab.json, merges.txt, test-vectors.json")
    ap.add_argument("--build", default=None, help="write carbon-tiny tokenizer files into this dir")
    args = ap.parse_args()
    ok = True
    if args.verify:
        ok = verify(args.verify)
    if args.build:
        import gen_data
        corpus = gen_data.caption_corpus()
        merges = train_bpe(corpus)
        vocab = write_tokenizer_dir(args.build, merges)
        tok = ClipTokenizer.from_dir(args.build)
        words = sorted({w for c in corpus for w in split_words(clean_text(c))})
        for w in words:
            t = tok.tokenize(w)
            assert len(t) == 1, (w, t)
        for c in corpus:
            ids = tok.encode(c)
            assert tok.unk_id not in ids[1:-1]
        # unknown words must still tokenize (byte-level pieces)
        print("unknown word example:", tok.tokenize("a zebra-striped café!"))
        assert tok("") == [tok.bos_id, tok.eos_id] + [tok.pad_id] * 75
        print(f"built vocab: {len(vocab)} ids, {len(merges)} merges, {len(words)} caption words, each one token")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
