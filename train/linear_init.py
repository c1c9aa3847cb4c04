"""Initialise the X0 part of a head_x0 head from the least-squares 6x6 linear filter.

weights/linear_6x6.json maps the 6x6 LR window of a 2x2 cell (rows/cols 2i-2 .. 2i+3, model/baselines/
linear.ts) to the cell's 3x3 HR block. That window is exactly the 3x3-cell neighbourhood of X0, so a
3x3 pixelshuffle head over [H, X0] can hold the filter: tap (ty, tx) is cell offset (ty//2, tx//2),
X0 channel 2*(ty%2) + tx%2, output channel = block position by*3+bx. The head predicts the residual
over the integer skip (fixed-point.md 4.5), so the skip's own taps are subtracted first; the network
then starts at the linear filter's quality instead of at the skip's.
"""
import json
import os

import numpy as np
import torch

import netdef

LINEAR_JSON = os.path.join(netdef.repo_root(), "weights", "linear_6x6.json")
# skip taps per HR phase p along one axis, as (window index, weight/64): window index 2 = LR pixel 2k
SKIP_TAPS = {0: ((1, 11), (2, 53)), 1: ((2, 32), (3, 32)), 2: ((3, 53), (4, 11))}


def residual_taps(path=LINEAR_JSON):
    """(9, 6, 6) float64: linear filter minus the skip's separable weights, per HR block position."""
    with open(path) as f:
        lw = json.load(f)
    if lw.get("taps") != 6 or lw.get("block") != 3 or len(lw.get("weights", [])) != 9:
        raise ValueError(f"{path}: expected a 6-tap, 3x3-block linear filter (9 x 36 weights)")
    w = np.asarray(lw["weights"], np.float64).reshape(9, 6, 6)
    for o in range(9):
        py, px = divmod(o, 3)
        for ty, wy in SKIP_TAPS[py]:
            for tx, wx in SKIP_TAPS[px]:
                w[o, ty, tx] -= wy * wx / 4096.0
    return w


def linear_head(cfg, path=LINEAR_JSON):
    """X0 weights (9, 4, 3, 3) and bias (9,) of the head conv (before res_gain) equal to the filter's residual.

    residual = sum w_res * Y8 = sum w_res * (128 * x0 + 128) with x0 = (Y8 - 128) / 128, and the head's
    float output is res_gain * (conv + bias).
    """
    w = residual_taps(path)
    g = float(cfg["res_gain"])
    wx0 = np.zeros((9, netdef.X0_C, 3, 3))
    for ty in range(6):
        for tx in range(6):
            wx0[:, 2 * (ty % 2) + tx % 2, ty // 2, tx // 2] = 128.0 * w[:, ty, tx] / g
    return wx0, 128.0 * w.reshape(9, -1).sum(1) / g


def apply(net, path=LINEAR_JSON):
    """Load the filter into the X0 part of net's head when it can hold it; returns True if it did."""
    cfg = net.cfg
    if not (netdef.head_x0(cfg) and cfg["upsample_mode"] == "pixelshuffle" and cfg["head_k"] == 3):
        return False  # the deconv / 1x1 heads do not cover the 3x3-cell window: X0 part stays zero
    wx0, b = linear_head(cfg, path)
    m = net.convs["head"]
    hc = m.weight.shape[1] - netdef.X0_C
    with torch.no_grad():
        m.weight[:, hc:] = torch.from_numpy(wx0).to(m.weight.dtype)
        m.bias.copy_(torch.from_numpy(b).to(m.bias.dtype))
    return True


def self_check(path=LINEAR_JSON, seed=1):
    """Max |CRNN output (head's H part zeroed, filter loaded) - (filter - exact skip + integer skip)| over the
    interior cells of a random frame: 0 up to float rounding when the tap layout is right."""
    from model import CRNN  # torch model; imported here so the module stays light for netdef users
    import data
    cfg = dict(name="check", feat_c=[4], feat_k=3, n_gcr=1, hidden_c=4, gate_k=1, cand_k=1, head_k=3,
               upsample_mode="pixelshuffle", deconv_k=5, quant_bits=8, res_gain=64, head_x0=True)
    net = CRNN(cfg).double()
    if not apply(net, path):
        raise RuntimeError("linear init not applied")
    with torch.no_grad():
        net.convs["head"].weight[:, :cfg["hidden_c"]] = 0
    rng = np.random.default_rng(seed)
    y8 = rng.integers(60, 190, size=(16, 20)).astype(np.uint8)  # mid-range: no output clamping
    sk = data.skip_upscale(y8)
    with torch.no_grad():
        out, _ = net(torch.from_numpy(y8.astype(np.float64))[None, None], torch.from_numpy(sk.astype(np.float64))[None, None])
    out = out[0, 0].numpy()
    with open(path) as f:
        w = np.asarray(json.load(f)["weights"], np.float64).reshape(9, 6, 6)
    wskip = w - residual_taps(path)  # the skip's exact (unrounded) taps
    worst = 0.0
    for cy in range(1, 16 // 2 - 1):
        for cx in range(1, 20 // 2 - 1):
            win = y8[2 * cy - 2:2 * cy + 4, 2 * cx - 2:2 * cx + 4].astype(np.float64)
            for o in range(9):
                # the head adds filter - exact skip to the integer (rounded) skip
                want = float((w[o] * win).sum() - (wskip[o] * win).sum()) + float(sk[3 * cy + o // 3, 3 * cx + o % 3])
                worst = max(worst, abs(out[3 * cy + o // 3, 3 * cx + o % 3] - want))
    return worst


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(json.dumps(dict(max_abs_interior_diff=self_check())))
