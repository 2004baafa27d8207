"""Tiny numpy interpreter for the ONNX ops used by the carbon-tiny graphs.

onnx 1.12 (Debian) has no reference evaluator and onnxruntime is not installable here, so
export.py runs each exported graph with this interpreter and compares with torch. It
implements the ONNX semantics of just these ops (opset 17): Add Sub Mul Div Pow Sqrt
ArgMax Cast Clip Concat Constant Conv Cos Sin Equal Gather Gemm InstanceNormalization
LayerNormalization MatMul ReduceMean ReduceSum Reshape Resize Shape Sigmoid Softmax
Transpose Unsqueeze Squeeze Slice Expand Where Erf Range Reciprocal ConstantOfShape.
"""
import numpy as np
import onnx
from onnx import numpy_helper

_DT = {1: np.float32, 2: np.uint8, 3: np.int8, 5: np.int16, 6: np.int32, 7: np.int64, 9: np.bool_,
       10: np.float16, 11: np.float64}


def _attrs(node):
    out = {}
    for a in node.attribute:
        out[a.name] = onnx.helper.get_attribute_value(a)
    return out


def _conv(x, w, b, a):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    group = a.get("group", 1)
    sh, sw = a.get("strides", [1, 1])
    dh, dw = a.get("dilations", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    assert a.get("auto_pad", b"NOTSET") in (b"NOTSET", "NOTSET")
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (h + pads[0] + pads[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + pads[1] + pads[3] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, m, oh, ow), dtype=np.float64)
    mg = m // group
    for g in range(group):
        xs = xp[:, g * cg:(g + 1) * cg]
        ws = w[g * mg:(g + 1) * mg].astype(np.float64)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * dh: i * dh + sh * (oh - 1) + 1: sh, j * dw: j * dw + sw * (ow - 1) + 1: sw]
                out[:, g * mg:(g + 1) * mg] += np.einsum("nchw,mc->nmhw", patch, ws[:, :, i, j])
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out.astype(x.dtype)


def _resize(x, roi, scales, sizes, a):
    mode = a.get("mode", b"nearest")
    ctm = a.get("coordinate_transformation_mode", b"half_pixel")
    nm = a.get("nearest_mode", b"round_prefer_floor")
    assert mode == b"nearest", mode
    if sizes is not None and sizes.size:
        out_shape = [int(s) for s in sizes]
        scales = [o / i for o, i in zip(out_shape, x.shape)]
    else:
        out_shape = [int(np.floor(d * s)) for d, s in zip(x.shape, scales)]
    idx = []
    for d, (n_in, n_out, s) in enumerate(zip(x.shape, out_shape, scales)):
        o = np.arange(n_out, dtype=np.float64)
        if ctm == b"asymmetric":
            src = o / s
        elif ctm == b"half_pixel":
            src = (o + 0.5) / s - 0.5
        elif ctm == b"align_corners":
            src = o * (n_in - 1) / max(n_out - 1, 1)
        else:
            raise NotImplementedError(ctm)
        if nm == b"floor":
            src = np.floor(src)
        elif nm == b"ceil":
            src = np.ceil(src)
        elif nm == b"round_prefer_floor":
            src = np.where(src - np.floor(src) == 0.5, np.floor(src), np.round(src))
        else:
            src = np.where(src - np.floor(src) == 0.5, np.ceil(src), np.round(src))
        idx.append(np.clip(src.astype(np.int64), 0, n_in - 1))
    return x[np.ix_(*idx)]


def run(model_or_path, feeds):
    m = onnx.load(model_or_path) if isinstance(model_or_path, str) else model_or_path
    env = {init.name: numpy_helper.to_array(init) for init in m.graph.initializer}
    env.update({k: np.asarray(v) for k, v in feeds.items()})
    env[""] = None
    for node in m.graph.node:
        a = _attrs(node)
        x = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            y = numpy_helper.to_array(a["value"])
        elif op in ("Add", "Sub", "Mul", "Pow", "Equal"):
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Pow": np.power, "Equal": np.equal}[op]
            y = f(x[0], x[1])
            if op != "Equal":
                y = y.astype(x[0].dtype)
        elif op == "Div":
            if np.issubdtype(x[0].dtype, np.integer):
                y = np.trunc(x[0] / x[1]).astype(x[0].dtype)
            else:
                y = (x[0] / x[1]).astype(x[0].dtype)
        elif op == "ConstantOfShape":
            v = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            y = np.full([int(d) for d in x[0]], v.reshape(-1)[0], dtype=v.dtype)
        elif op == "Reciprocal":
            y = (1.0 / x[0]).astype(x[0].dtype)
        elif op == "Sqrt":
            y = np.sqrt(x[0])
        elif op == "Erf":
            import math
            y = np.vectorize(math.erf)(x[0]).astype(x[0].dtype)
        elif op == "Sigmoid":
            y = (1.0 / (1.0 + np.exp(-x[0]))).astype(x[0].dtype)
        elif op in ("Cos", "Sin"):
            y = (np.cos if op == "Cos" else np.sin)(x[0]).astype(x[0].dtype)
        elif op == "ArgMax":
            axis = a.get("axis", 0)
            assert a.get("select_last_index", 0) == 0
            y = np.argmax(x[0], axis=axis).astype(np.int64)          # numpy: first occurrence
            if a.get("keepdims", 1):
                y = np.expand_dims(y, axis)
        elif op == "Cast":
            y = x[0].astype(_DT[a["to"]])
        elif op == "Clip":
            y = x[0]
            if len(x) > 1 and x[1] is not None:
                y = np.maximum(y, x[1])
            if len(x) > 2 and x[2] is not None:
                y = np.minimum(y, x[2])
        elif op == "Concat":
            y = np.concatenate(x, axis=a["axis"])
        elif op == "Conv":
            y = _conv(x[0], x[1], x[2] if len(x) > 2 else None, a)
        elif op == "Gather":
            y = np.take(x[0], x[1].astype(np.int64), axis=a.get("axis", 0))
        elif op == "Gemm":
            A = x[0].T if a.get("transA", 0) else x[0]
            B = x[1].T if a.get("transB", 0) else x[1]
            y = a.get("alpha", 1.0) * (A @ B)
            if len(x) > 2 and x[2] is not None:
                y = y + a.get("beta", 1.0) * x[2]
            y = y.astype(x[0].dtype)
        elif op == "InstanceNormalization":
            eps = a.get("epsilon", 1e-5)
            axes = tuple(range(2, x[0].ndim))
            mu = x[0].mean(axis=axes, keepdims=True)
            var = x[0].var(axis=axes, keepdims=True)
            shp = (1, -1) + (1,) * (x[0].ndim - 2)
            y = ((x[0] - mu) / np.sqrt(var + eps) * x[1].reshape(shp) + x[2].reshape(shp)).astype(x[0].dtype)
        elif op == "LayerNormalization":
            eps = a.get("epsilon", 1e-5)
            axis = a.get("axis", -1)
            axis = axis % x[0].ndim
            axes = tuple(range(axis, x[0].ndim))
            mu = x[0].mean(axis=axes, keepdims=True)
            var = x[0].var(axis=axes, keepdims=True)
            y = (x[0] - mu) / np.sqrt(var + eps) * x[1]
            if len(x) > 2 and x[2] is not None:
                y = y + x[2]
            y = y.astype(x[0].dtype)
        elif op == "MatMul":
            y = np.matmul(x[0], x[1])
        elif op in ("ReduceMean", "ReduceSum"):
            if op == "ReduceSum" and len(x) > 1 and x[1] is not None:
                axes = tuple(int(v) for v in x[1])
            else:
                axes = tuple(a["axes"]) if "axes" in a else None
            f = np.mean if op == "ReduceMean" else np.sum
            y = f(x[0], axis=axes, keepdims=bool(a.get("keepdims", 1))).astype(x[0].dtype)
        elif op == "Reshape":
            shape = [int(s) for s in x[1]]
            if not a.get("allowzero", 0):
                shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            y = x[0].reshape(shape)
        elif op == "Resize":
            y = _resize(x[0], x[1] if len(x) > 1 else None, x[2] if len(x) > 2 else None,
                        x[3] if len(x) > 3 else None, a)
        elif op == "Shape":
            s = np.array(x[0].shape, dtype=np.int64)
            y = s[a.get("start", 0): a.get("end", len(s))]
        elif op == "Softmax":
            axis = a.get("axis", -1)
            e = np.exp(x[0] - x[0].max(axis=axis, keepdims=True))
            y = (e / e.sum(axis=axis, keepdims=True)).astype(x[0].dtype)
        elif op == "Transpose":
            y = np.transpose(x[0], a.get("perm"))
        elif op == "Unsqueeze":
            y = x[0]
            axes = sorted(int(v) % (x[0].ndim + len(x[1])) for v in x[1])
            for ax in axes:
                y = np.expand_dims(y, ax)
        elif op == "Squeeze":
            y = np.squeeze(x[0], axis=tuple(int(v) for v in x[1]) if len(x) > 1 and x[1] is not None else None)
        elif op == "Slice":
            starts, ends = x[1], x[2]
            axes = x[3] if len(x) > 3 and x[3] is not None else range(len(starts))
            steps = x[4] if len(x) > 4 and x[4] is not None else [1] * len(starts)
            sl = [slice(None)] * x[0].ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(e), int(st))
            y = x[0][tuple(sl)]
        elif op == "Expand":
            y = x[0] * np.ones([int(v) for v in x[1]], dtype=x[0].dtype)
        elif op == "Range":
            y = np.arange(x[0], x[1], x[2]).astype(x[0].dtype)
        elif op == "Where":
            y = np.where(x[0], x[1], x[2])
        else:
            raise NotImplementedError(op)
        outs = y if isinstance(y, (list, tuple)) else [y]
        for name, val in zip(node.output, outs):
            env[name] = np.asarray(val)
    return [env[o.name] for o in m.graph.output]
