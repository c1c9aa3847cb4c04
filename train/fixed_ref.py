"""Integer (bit-exact) numpy implementation of docs/fixed-point.md: the Python twin of the chip.

Everything is int64 numpy; no floating point touches a value. Reads weights/<name>.json.
"""
import json

import numpy as np

from data import skip_upscale


class WeightsError(ValueError):
    pass


def load_weights(path):
    with open(path) as f:
        wj = json.load(f)
    if wj.get("format") != "screen-crnn-weights":
        raise WeightsError(f"{path}: not a screen-crnn-weights file (format={wj.get('format')!r})")
    layers = {}
    for L in wj["fixed"]["layers"]:
        co, ci, k = L["cout"], L["cin"], L["k"]
        w = np.asarray(L["w"], dtype=np.int64)
        if w.size != co * ci * k * k:
            raise WeightsError(f"{path}: layer {L['name']} has {w.size} weights, expected {co}x{ci}x{k}x{k}")
        layers[L["name"]] = dict(L, W=w.reshape(co, ci, k, k), B=np.asarray(L["bias"], np.int64),
                                 Mv=np.asarray(L["M"], np.int64), Sv=np.asarray(L["shift"], np.int64))
    sig = np.asarray(wj["luts"]["sigmoid"], np.int64)
    tanh = np.asarray(wj["luts"]["tanh"], np.int64)
    if sig.size != 256 or tanh.size != 256:
        raise WeightsError(f"{path}: LUTs must have 256 entries")
    return dict(cfg=wj["config"], layers=layers, sig=sig, tanh=tanh, json=wj)


def requant(acc, M, S, lo, hi):
    """clamp((acc*M + 2^(S-1)) >> S, lo, hi), per output channel (axis 0)."""
    M = M.reshape(-1, *([1] * (acc.ndim - 1)))
    S = S.reshape(-1, *([1] * (acc.ndim - 1)))
    return np.clip((acc * M + (np.int64(1) << (S - 1))) >> S, lo, hi)


def conv_acc(x, W, B):
    """Zero-padded stride-1 conv accumulator. x: (ci,h,w) int64, W: (co,ci,k,k)."""
    co, ci, k, _ = W.shape
    if x.shape[0] != ci:
        raise WeightsError(f"conv input has {x.shape[0]} channels, weights expect {ci}")
    p = k // 2
    h, w = x.shape[1:]
    # float32 BLAS is exact here: export guarantees 128*sum|W| < 2^23 per output channel, so every
    # product and every partial sum (in any order) is an integer below 2^24; the bias is added in int64.
    xp = np.zeros((ci, h + 2 * p, w + 2 * p), np.float32)
    xp[:, p:p + h, p:p + w] = x
    cols = np.empty((ci, k * k, h, w), np.float32)
    for ky in range(k):
        for kx in range(k):
            cols[:, ky * k + kx] = xp[:, ky:ky + h, kx:kx + w]
    acc = W.reshape(co, ci * k * k).astype(np.float32) @ cols.reshape(ci * k * k, h * w)
    return acc.astype(np.int64).reshape(co, h, w) + B[:, None, None]


def deconv_acc(x, W, B):
    """Transposed conv, stride 3, padding (K-3)/2, gather form. W: (1,ci,K,K) -> (1, 3h, 3w)."""
    co, ci, K, _ = W.shape
    P = (K - 3) // 2
    h, w = x.shape[1:]
    full = np.zeros((co, 3 * h + K - 3, 3 * w + K - 3), np.int64)  # scatter then crop P each side
    for ky in range(K):
        for kx in range(K):
            contrib = np.einsum("oc,chw->ohw", W[:, :, ky, kx], x)
            full[:, ky:ky + 3 * h:3, kx:kx + 3 * w:3] += contrib
    return full[:, P:P + 3 * h, P:P + 3 * w] + B[:, None, None]


def layer(net, name, x):
    L = net["layers"][name]
    acc = deconv_acc(x, L["W"], L["B"]) if L["kind"] == "deconv" else conv_acc(x, L["W"], L["B"])
    return requant(acc, L["Mv"], L["Sv"], L["lo"], L["hi"])


def space_to_depth(y8):
    y = y8.astype(np.int64) - 128
    return np.stack([y[0::2, 0::2], y[0::2, 1::2], y[1::2, 0::2], y[1::2, 1::2]])


def init_state(net, gh, gw):
    c = net["cfg"]
    return [np.zeros((c["hidden_c"], gh, gw), np.int64) for _ in range(c["n_gcr"])]


def run_frame(net, y8, state, trace=None):
    """One frame. y8: (H,W) uint8, H,W even. Returns (out uint8 (1.5H,1.5W), new state)."""
    cfg = net["cfg"]
    H, W = y8.shape
    if H % 2 or W % 2:
        raise WeightsError(f"frame {W}x{H}: width and height must be even")
    t = trace if trace is not None else {}
    x = space_to_depth(y8)
    t["X0"] = x
    for i in range(len(cfg["feat_c"])):
        x = layer(net, f"feat{i}", x)
        t[f"feat{i}"] = x
    new = []
    for g in range(cfg["n_gcr"]):
        h = state[g]
        xh = np.concatenate([x, h])
        pz = layer(net, f"gru{g}.z", xh)
        pr = layer(net, f"gru{g}.r", xh)
        z = net["sig"][pz + 128]
        r = net["sig"][pr + 128]
        rh = (r * h + 128) >> 8
        pn = layer(net, f"gru{g}.n", np.concatenate([x, rh]))
        n = net["tanh"][pn + 128]
        hn = np.clip(h + ((z * (n - h) + 128) >> 8), -128, 127)
        t.update({f"gru{g}.pz": pz, f"gru{g}.z": z, f"gru{g}.pr": pr, f"gru{g}.r": r, f"gru{g}.rh": rh,
                  f"gru{g}.pn": pn, f"gru{g}.n": n, f"gru{g}.h": hn})
        new.append(hn)
        x = hn
    if cfg.get("head_x0", False):  # [H, X0]: both at scale 2^-7, one accumulator (fixed-point.md 4.4)
        x = np.concatenate([x, t["X0"]])
    res = layer(net, "head", x)
    t["head"] = res
    if cfg["upsample_mode"] == "pixelshuffle":
        gh, gw = res.shape[1:]
        res = res.reshape(3, 3, gh, gw).transpose(2, 0, 3, 1).reshape(3 * gh, 3 * gw)
    else:
        res = res[0]
    t["res"] = res
    skip = skip_upscale(y8).astype(np.int64)
    t["skip"] = skip
    out = np.clip(skip + res, 0, 255).astype(np.uint8)
    t["out"] = out
    return out, new


def run_sequence(net, frames, single_frame=False, traces=None):
    """frames: iterable of (H,W) uint8; state starts at 0 (and resets every frame if single_frame)."""
    outs, state = [], None
    for f in frames:
        if state is None or single_frame:
            state = init_state(net, f.shape[0] // 2, f.shape[1] // 2)
        tr = {} if traces is not None else None
        o, state = run_frame(net, f, state, tr)
        if traces is not None:
            traces.append(tr)
        outs.append(o)
    return outs
