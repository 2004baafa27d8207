"""Minimal numpy evaluator for the few ONNX ops (opset 17) the tiny test models use.

onnxruntime is not installable for Python here and onnx 1.12 has no reference evaluator, so make_test_models.py uses
this to check each exported graph against torch. Ops: Add Cast Concat Constant Conv Gather MatMul Mul ReduceMean
Reshape Resize(nearest, integer scales) Sigmoid Softmax Tanh Transpose Unsqueeze.
"""
import numpy as np
import onnx
from onnx import helper, numpy_helper

_NP = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 10: np.float16, 11: np.float64}


def _conv(x, w, b, a):
    assert a.get("group", 1) == 1 and a.get("dilations", [1, 1]) == [1, 1]
    pt, pl, pb, pr = a.get("pads", [0, 0, 0, 0])
    sh, sw = a.get("strides", [1, 1])
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr))).astype(np.float64)
    oh, ow = (h + pt + pb - kh) // sh + 1, (wd + pl + pr - kw) // sw + 1
    out = np.zeros((n, m, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]  # [n, c, oh, ow]
            out += np.einsum("nchw,mc->nmhw", patch, w[:, :, i, j].astype(np.float64))
    if b is not None:
        out += b.reshape(1, m, 1, 1)
    return out.astype(np.float32)


def _resize(x, scales, sizes, a):
    assert a.get("mode", b"nearest") in (b"nearest", "nearest")
    if scales is None or scales.size == 0:
        scales = np.array(sizes, dtype=np.float64) / np.array(x.shape)
    reps = [int(round(s)) for s in scales]
    assert np.allclose(scales, reps), scales
    assert a.get("coordinate_transformation_mode", b"half_pixel") in (b"asymmetric", "asymmetric")
    for ax, r in enumerate(reps):
        if r != 1:
            x = np.repeat(x, r, axis=ax)
    return x


def run(model_or_path, feeds):
    model = onnx.load(model_or_path) if isinstance(model_or_path, str) else model_or_path
    env = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    env.update({k: np.asarray(v) for k, v in feeds.items()})
    for node in model.graph.node:
        a = {x.name: helper.get_attribute_value(x) for x in node.attribute}
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Mul":
            out = ins[0] * ins[1]
        elif op == "MatMul":
            out = np.matmul(ins[0], ins[1])
        elif op == "Cast":
            out = ins[0].astype(_NP[a["to"]])
        elif op == "Gather":
            out = np.take(ins[0], ins[1], axis=a.get("axis", 0))
        elif op == "Transpose":
            out = np.transpose(ins[0], a.get("perm"))
        elif op == "Softmax":
            ax = a.get("axis", -1)
            e = np.exp(ins[0] - ins[0].max(axis=ax, keepdims=True))
            out = e / e.sum(axis=ax, keepdims=True)
        elif op == "Tanh":
            out = np.tanh(ins[0])
        elif op == "Sigmoid":
            out = 1 / (1 + np.exp(-ins[0]))
        elif op == "ReduceMean":
            out = ins[0].mean(axis=tuple(a["axes"]), keepdims=bool(a.get("keepdims", 1)))
        elif op == "Reshape":
            shape = [d if d != 0 else ins[0].shape[k] for k, d in enumerate(ins[1])]
            out = ins[0].reshape(shape)
        elif op == "Unsqueeze":
            out = ins[0]
            for ax in sorted(int(v) % (out.ndim + 1) for v in ins[1]):
                out = np.expand_dims(out, ax)
        elif op == "Concat":
            out = np.concatenate(ins, axis=a["axis"])
        elif op == "Conv":
            out = _conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "Resize":
            out = _resize(ins[0], ins[2] if len(ins) > 2 else None, ins[3] if len(ins) > 3 else None, a)
        else:
            raise NotImplementedError(op)
        out = np.asarray(out)
        if out.dtype == np.float64:
            out = out.astype(np.float32)
        env[node.output[0]] = out
    return [env[o.name] for o in model.graph.output]
