"""Check that this folder's code trains, exports and evaluates exactly as the code at a git ref does.

    nice -n 19 python3 check_identical.py            # against HEAD (e.g. before committing a refactoring)
    nice -n 19 python3 check_identical.py REF --keep # another ref; keep the temporary folder to look at

For refactorings that must not change a number. The ref's tools/tiny-model and models/carbon-tiny are
extracted with `git archive` into a temporary folder (old/); this folder's working-tree files are copied
beside them (new/, sharing old/'s models/carbon-tiny, so only the code differs). Both then run the same
commands, old and new side by side (--jobs 1: one after the other):

  train.py, a few steps of every phase (1, 1b, 2, 3, 4, 5, 6, 7) with the kind channel, first with
      --ae-only and then the whole run in the same folder (which takes up phase 1's finished
      checkpoints and cached latents);
  train.py --no-kind-channel --latent-block 2 --latent-input-scale 0.5 --attn16-from-start
      --contrast-from-start (phases 1-4);
  train.py --base-model ../../models/carbon-tiny (phases 5, 6 with --contrast-attn16, and 7 on the
      committed model's ONNX weights);
  export.py --skip-verify of each of the three checkpoint folders (needs onnx);
  eval.py on each checkpoint folder (--quick, --check-decoder, --check-shape-word) and on the committed
      model (--quick, --check-generator, --check-decoder, --check-shape-word, --validation writing files);
  --help of train.py, eval.py and export.py.

Then it compares every tensor of every .pt file (torch.equal, same dtype and shape; every other value
with ==), every other file of the checkpoint and export folders byte for byte, and each eval command's
output (paths and the seconds it took taken out) and exit status. Prints a verdict per file and
command; exit 1 on any difference or failed command. Data, step counts and batches are tiny and
train.py runs with --threads 1 on the CPU: a few minutes on 2 cores. Needs git, torch, numpy, PIL and
onnx (without onnx the --base-model run and the exports are skipped, and said so).
"""
import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SUB = os.path.join("tools", "tiny-model")
MODELS = os.path.join("models", "carbon-tiny")

# A few steps of each phase on a little data: every phase's code runs, in seconds.
TINY = ["--device", "cpu", "--threads", "1", "--save-every", "1e9", "--seed", "1234", "--data-seed", "7",
        "--n-images", "48", "--ae-steps", "3", "--ae-batch", "8", "--ae-crop", "32",
        "--decoder-kind-steps", "2", "--decoder-kind-sets", "6",
        "--steps", "4", "--stop-at", "0", "--batch", "8", "--warmup", "2",
        "--posattn-steps", "2", "--polish-steps", "2",
        "--contrast-sets", "6", "--contrast-sets-per-batch", "2", "--decoder-gen-scenes", "6"]

# (checkpoint folder, [train.py argument lists, run one after the other in that folder])
TRAIN_RUNS = [
    ("full", [TINY + ["--ae-only"],
              TINY + ["--attn16-steps", "2", "--contrast-steps", "2", "--decoder-gen-steps", "2"]]),
    ("latent2", [TINY + ["--no-kind-channel", "--latent-block", "2", "--latent-input-scale", "0.5",
                         "--attn16-from-start", "--contrast-from-start", "--decoder-gen-steps", "0"]]),
    ("base", [TINY + ["--base-model", os.path.join("..", "..", MODELS), "--attn16-steps", "2", "--contrast-steps", "2",
                      "--contrast-attn16", "--decoder-gen-steps", "2"]]),
]
NEEDS_ONNX = {"base"}

EVAL_CKPT = [["--quick", "--steps", "4"], ["--check-decoder", "6"], ["--check-shape-word", "3", "--steps", "4"]]
EVAL_MODEL = [["--quick", "--steps", "4"], ["--check-generator", "--quick"], ["--check-decoder", "6"],
              ["--check-shape-word", "3", "--steps", "4"]]


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def extract(repo, ref, root):
    """The ref's tools/tiny-model and models/carbon-tiny under root (git archive | tar -x)."""
    os.makedirs(root)
    for paths in ([SUB, MODELS], [SUB]):
        archive = subprocess.run(["git", "-C", repo, "archive", ref] + paths, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        if archive.returncode == 0:
            subprocess.run(["tar", "-x", "-C", root], input=archive.stdout, check=True)
            if MODELS not in paths:     # the ref has no model folder: both sides use the working tree's
                print(f"note: {ref} has no {MODELS}; using the working tree's")
                os.symlink(os.path.join(repo, "models"), os.path.join(root, "models"))
            return
    sys.exit(f"git archive {ref} failed: {archive.stderr.decode().strip()}")


def run_both(jobs, cmds, log_dir, tag):
    """cmds: {side: (argv, cwd)}. Runs them (side by side when jobs > 1); returns {side: (rc, stdout)}."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    procs, out = {}, {}

    def start(side):
        argv, cwd = cmds[side]
        f = open(os.path.join(log_dir, f"{side}-{tag}.log"), "w+")
        return subprocess.Popen(argv, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, env=env), f

    def finish(side, p, f):
        rc = p.wait(timeout=3600)
        f.seek(0)
        out[side] = (rc, f.read())
        f.close()

    sides = list(cmds)
    if jobs > 1:
        procs = {s: start(s) for s in sides}
        for s in sides:
            finish(s, *procs[s])
    else:
        for s in sides:
            finish(s, *start(s))
    return out


# ---- comparisons

def diff_values(a, b, where, torch, np):
    """Differences between two loaded checkpoint values, as strings (empty: identical)."""
    if type(a) is not type(b):
        return [f"{where}: type {type(a).__name__} vs {type(b).__name__}"]
    if torch.is_tensor(a):
        if a.dtype != b.dtype or a.shape != b.shape:
            return [f"{where}: {a.dtype} {tuple(a.shape)} vs {b.dtype} {tuple(b.shape)}"]
        if torch.equal(a, b):
            return []
        if a.is_floating_point():
            na, nb = a.isnan(), b.isnan()
            if torch.equal(na, nb) and torch.equal(a[~na], b[~nb]):
                return []
            d = (a[~na].double() - b[~nb].double()).abs().max().item() if torch.equal(na, nb) else float("nan")
            return [f"{where}: values differ (max abs diff {d:.3g})"]
        return [f"{where}: values differ"]
    if isinstance(a, np.ndarray):
        ok = a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        return [] if ok else [f"{where}: numpy arrays differ"]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{where}: keys {sorted(map(str, set(a) ^ set(b)))} differ" if set(a) != set(b)
                    else f"{where}: key order differs"]
        return [d for k in a for d in diff_values(a[k], b[k], f"{where}[{k!r}]", torch, np)]
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return [f"{where}: length {len(a)} vs {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff_values(x, y, f"{where}[{i}]", torch, np)]
    if isinstance(a, float) and a != a and b != b:
        return []
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


def count_tensors(v, torch):
    if torch.is_tensor(v):
        return 1
    if isinstance(v, dict):
        return sum(count_tensors(x, torch) for x in v.values())
    if isinstance(v, (list, tuple)):
        return sum(count_tensors(x, torch) for x in v)
    return 0


def compare_folders(old, new, label, report):
    """Every file of two folders: .pt by value (every tensor torch.equal), anything else byte for byte."""
    import numpy as np
    import torch

    def files(d):
        return sorted(os.path.relpath(os.path.join(r, f), d) for r, _, fs in os.walk(d) for f in fs)

    fo, fn = files(old), files(new)
    for f in sorted(set(fo) ^ set(fn)):
        report(False, f"{label}/{f}: only in {'old' if f in fo else 'new'}")
    for f in sorted(set(fo) & set(fn)):
        po, pn = os.path.join(old, f), os.path.join(new, f)
        if f.endswith(".pt"):
            a = torch.load(po, map_location="cpu", weights_only=False)
            b = torch.load(pn, map_location="cpu", weights_only=False)
            diffs = diff_values(a, b, "", torch, np)
            n = count_tensors(a, torch)
            report(not diffs, f"{label}/{f}: {n} tensors" + ("" if not diffs else ": " + "; ".join(diffs[:5])
                                                              + (f" (+{len(diffs) - 5} more)" if len(diffs) > 5 else "")))
        else:
            with open(po, "rb") as x, open(pn, "rb") as y:
                same = x.read() == y.read()
            report(same, f"{label}/{f}: {os.path.getsize(po)} bytes" + ("" if same else ", bytes differ"))


def normalise(text, root):
    text = text.replace(root, "<ROOT>")
    return re.sub(r"\d+(\.\d+)?s\]", "<s>]", text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ref", nargs="?", default="HEAD", help="the git ref whose tools/tiny-model is the reference (default HEAD)")
    ap.add_argument("--repo", default=None, help="the git repository (default: the one this file is in)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (kept anyway on a difference)")
    ap.add_argument("--jobs", type=int, choices=(1, 2), default=2, help="2: old and new side by side (default)")
    args = ap.parse_args()
    t0 = time.time()
    repo = args.repo or sh(["git", "-C", HERE, "rev-parse", "--show-toplevel"], stdout=subprocess.PIPE,
                           text=True).stdout.strip()
    have_onnx = importlib.util.find_spec("onnx") is not None
    if not have_onnx:
        print("note: no onnx module: the --base-model run and the exports are skipped")

    tmp = tempfile.mkdtemp(prefix="carbon-tiny-identical-")
    old_root, new_root, logs = (os.path.join(tmp, d) for d in ("old", "new", "logs"))
    extract(repo, args.ref, old_root)
    shutil.copytree(HERE, os.path.join(new_root, SUB), ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    os.symlink(os.path.join(old_root, "models"), os.path.join(new_root, "models"))
    os.makedirs(logs)
    code = {"old": os.path.join(old_root, SUB), "new": os.path.join(new_root, SUB)}
    roots = {"old": old_root, "new": new_root}
    py = sys.executable
    print(f"old: {args.ref} ({sh(['git', '-C', repo, 'rev-parse', '--short', args.ref], stdout=subprocess.PIPE, text=True).stdout.strip()}), "
          f"new: {HERE}; in {tmp}", flush=True)

    failures = []

    def report(ok, line):
        print(("same  " if ok else "DIFF  ") + line, flush=True)
        if not ok:
            failures.append(line)

    def both(tag, argv_of):
        res = run_both(args.jobs, {s: (argv_of(s), code[s]) for s in ("old", "new")}, logs, tag)
        for s, (rc, out) in res.items():
            # eval.py exits 1 below its accuracy thresholds (expected of a few training steps), never by a crash
            if (rc not in (0, 1) if tag.startswith("eval") else rc != 0) or "Traceback (most recent call last)" in out:
                report(False, f"{tag}: {s} exited {rc}; last lines of logs/{s}-{tag}.log:\n"
                       + "\n".join("      " + x for x in out.rstrip().splitlines()[-15:]))
        return res

    # --help: the command lines are unchanged
    for script in ("train.py", "eval.py", "export.py"):
        res = both(f"help-{script[:-3]}", lambda s, script=script: [py, script, "--help"])
        report(res["old"] == res["new"], f"{script} --help: output and exit status")

    # training
    ckpts = {}
    for name, runs in TRAIN_RUNS:
        if name in NEEDS_ONNX and not have_onnx:
            print(f"skip  train {name}: needs onnx")
            continue
        ckpts[name] = {s: os.path.join(roots[s], "ckpt-" + name) for s in code}
        t1 = time.time()
        for i, extra in enumerate(runs):
            both(f"train-{name}-{i + 1}", lambda s, extra=extra: [py, "train.py", "--ckpt", ckpts[name][s]] + extra)
        print(f"      train {name}: {time.time() - t1:.0f} s", flush=True)
        compare_folders(ckpts[name]["old"], ckpts[name]["new"], "ckpt-" + name, report)

    # export
    if have_onnx:
        for name in ckpts:
            out = {s: os.path.join(roots[s], "export-" + name) for s in code}
            for s in code:
                shutil.copytree(os.path.join(old_root, MODELS, "tokenizer"), os.path.join(out[s], "tokenizer"))
            t1 = time.time()
            both(f"export-{name}", lambda s: [py, "export.py", "--ckpt", ckpts[name][s], "--out", out[s], "--skip-verify"])
            print(f"      export {name}: {time.time() - t1:.0f} s", flush=True)
            compare_folders(out["old"], out["new"], "export-" + name, report)
    else:
        print("skip  export: needs onnx")

    # eval: on the checkpoints, and on the committed model
    evals = [(f"ckpt-{name}", lambda s, name=name: ["--ckpt", ckpts[name][s]], e) for name in ckpts for e in EVAL_CKPT]
    if have_onnx:
        evals += [("model", lambda s: [], e) for e in EVAL_MODEL]
    for i, (what, base, extra) in enumerate(evals):
        res = both(f"eval-{i + 1}", lambda s: [py, "eval.py"] + base(s) + extra)
        (rc_o, out_o), (rc_n, out_n) = res["old"], res["new"]
        same = rc_o == rc_n and normalise(out_o, old_root) == normalise(out_n, new_root)
        report(same, f"eval.py {' '.join(extra)} on {what}: exit {rc_o}, {len(out_o.splitlines())} lines of output"
               + ("" if same else f"; new: exit {rc_n} (logs/old-eval-{i + 1}.log, logs/new-eval-{i + 1}.log)"))
    if have_onnx:
        outs = {s: os.path.join(roots[s], "eval-files") for s in code}
        for d in outs.values():
            os.makedirs(d)
        res = both("eval-files", lambda s: [py, "eval.py", "--validation", "6", "--steps", "4",
                                            "--results", os.path.join(outs[s], "results.json"),
                                            "--samples", os.path.join(outs[s], "samples.png")])
        report(res["old"][0] == res["new"][0] and normalise(res["old"][1], old_root) == normalise(res["new"][1], new_root),
               f"eval.py --validation 6 on model: exit {res['old'][0]}, output")
        compare_folders(outs["old"], outs["new"], "eval-files", report)

    took = time.time() - t0
    if failures:
        print(f"FAIL: {len(failures)} difference(s) or failed command(s) in {took:.0f} s; files kept in {tmp}")
        sys.exit(1)
    print(f"PASS: old ({args.ref}) and new agree on every file and command ({took:.0f} s)")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
