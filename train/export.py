#!/usr/bin/python3
"""Export a training checkpoint to weights/<name>.json (float + integer parameters, LUTs, profile).

  /usr/bin/python3 train/export.py train/runs/crnn_q8/ckpt.pt weights/crnn_q8.json [--quant-bits 8]
Format: docs/network.md. Integer derivation: docs/fixed-point.md section 3.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netdef  # noqa: E402

ROLE_RANGE = {"feat": (0, 127), "gate": (-128, 127), "cand": (-128, 127), "head": (-128, 127)}


def rhu(x):
    """Round half up, float64 -> int64."""
    return np.floor(np.asarray(x, np.float64) + 0.5).astype(np.int64)


def sigmoid_lut():
    return [int(min(255, max(0, math.floor(256.0 / (1.0 + math.exp(-q / 16.0)) + 0.5)))) for q in range(-128, 128)]


def tanh_lut():
    return [int(max(-127, min(127, math.floor(128.0 * math.tanh(q / 32.0) + 0.5)))) for q in range(-128, 128)]


def multiplier(ratio, where):
    """(M, S) with 2^14 <= M < 2^15 and M * 2^-S ~= ratio."""
    if not ratio > 0:
        raise ValueError(f"{where}: requantisation ratio must be > 0, got {ratio}")
    e = math.floor(math.log2(ratio))
    S = 14 - e
    M = int(math.floor(ratio * 2.0 ** S + 0.5))
    if M == 1 << 15:
        M, S = 1 << 14, S - 1
    if not (1 <= S <= 46):
        raise ValueError(f"{where}: shift {S} out of [1,46] for ratio {ratio}")
    return M, S


def scales(cfg, state):
    """Input and output real scales of every layer (docs/fixed-point.md section 4 table)."""
    nf = len(cfg["feat_c"])
    alphas = state["alphas"].double().numpy() if nf > 1 else np.zeros(0)
    feat_out = [float(alphas[i]) / 127.0 for i in range(nf - 1)] + ([1.0 / 128] if nf else [])
    res = {}
    for L in netdef.layer_table(cfg):
        n, role = L["name"], L["role"]
        if role == "feat":
            i = int(n[4:])
            res[n] = (1.0 / 128 if i == 0 else feat_out[i - 1], feat_out[i])
        elif role == "gate":
            res[n] = (1.0 / 128, 1.0 / 16)
        elif role == "cand":
            res[n] = (1.0 / 128, 1.0 / 32)
        else:
            res[n] = (1.0 / 128, 1.0)
    return res, [float(a) for a in alphas] + ([127.0 / 128] if nf else [])


def export(ckpt_path, out_path, quant_bits=None, name=None, head_x0_bits=None):
    ck = torch.load(ckpt_path)
    cfg = dict(ck["cfg"])
    if quant_bits:
        cfg["quant_bits"] = quant_bits
    if head_x0_bits:
        cfg["head_x0_bits"] = head_x0_bits
    netdef.validate_config(cfg, ckpt_path)
    bits = cfg["quant_bits"]
    qmax = 2 ** (bits - 1) - 1
    state = ck["state"]
    sc, alphas = scales(cfg, state)
    float_layers, fixed_layers = [], []
    for L in netdef.layer_table(cfg):
        key = L["name"].replace(".", "_")
        w = state[f"convs.{key}.weight"].double().numpy()
        b = state[f"convs.{key}.bias"].double().numpy()
        if L["kind"] == "deconv":
            w = w.transpose(1, 0, 2, 3)  # ConvTranspose2d [cin][cout][k][k] -> [cout][cin][k][k]
        if L["role"] == "head":  # fold the residual gain (power of two: exact)
            w, b = w * cfg["res_gain"], b * cfg["res_gain"]
        w = np.ascontiguousarray(w)
        float_layers.append(dict(name=L["name"], kind=L["kind"], cin=L["cin"], cout=L["cout"], k=L["k"],
                                 w=[float(v) for v in w.ravel()], b=[float(v) for v in b]))
        s_in, s_out = sc[L["name"]]
        xb = netdef.head_x0_bits(cfg)
        if L["role"] == "head" and L["kind"] == "conv" and xb > bits:
            # X0 part wider than the H part at the same per-channel scale (qat.quant_weight_split)
            qx, split = 2 ** (xb - 1) - 1, L["cin"] - netdef.X0_C
            mn = np.abs(w[:, :split]).reshape(w.shape[0], -1).max(1).astype(np.float32) / np.float32(qmax)
            mx = np.abs(w[:, split:]).reshape(w.shape[0], -1).max(1).astype(np.float32) / np.float32(qx)
            m = np.maximum(mn, mx)
            s_w = np.where(m > 0, m, 1.0).astype(np.float64)
            wq = rhu(w / s_w[:, None, None, None])
            wq[:, :split] = np.clip(wq[:, :split], -qmax, qmax)
            wq[:, split:] = np.clip(wq[:, split:], -qx, qx)
        else:
            m = np.abs(w).reshape(w.shape[0], -1).max(1)
            s_w = np.where(m > 0, m.astype(np.float32) / np.float32(qmax), 1.0).astype(np.float64)
            wq = np.clip(rhu(w / s_w[:, None, None, None]), -qmax, qmax)
        acc_scale = s_in * s_w
        bq = rhu(b / acc_scale)
        Ms, Ss = zip(*(multiplier(acc_scale[c] / s_out, f"{out_path} layer {L['name']} ch {c}")
                       for c in range(L["cout"])))
        bound = 128 * np.abs(wq).reshape(w.shape[0], -1).sum(1) + np.abs(bq)
        acc_bits = int(math.ceil(math.log2(float(bound.max()) + 1))) + 1
        if acc_bits > 24:
            raise ValueError(f"{out_path} layer {L['name']}: accumulator needs {acc_bits} bits > 24")
        lo, hi = ROLE_RANGE[L["role"]]
        fixed_layers.append(dict(
            name=L["name"], role=L["role"], kind=L["kind"], cin=L["cin"], cout=L["cout"], k=L["k"],
            stride=3 if L["kind"] == "deconv" else 1, pad=(L["k"] - 3) // 2 if L["kind"] == "deconv" else L["k"] // 2,
            w=[int(v) for v in wq.ravel()], bias=[int(v) for v in bq], M=list(Ms), shift=list(Ss),
            lo=lo, hi=hi, in_scale=s_in, out_scale=s_out, w_scale=[float(v) for v in s_w], acc_bits=acc_bits))
    prof = netdef.profile(cfg)
    doc = dict(
        format="screen-crnn-weights", version=1,
        name=name or os.path.splitext(os.path.basename(out_path))[0],
        config={k: v for k, v in cfg.items() if k != "train"},
        single_frame=bool(ck.get("single_frame", False)),
        quant_bits=bits,
        source=dict(checkpoint=os.path.relpath(ckpt_path, netdef.repo_root()), iters=ck.get("iters"),
                    init=ck.get("init"), history=ck.get("history", [])[-3:]),
        profile=prof,
        luts=dict(sigmoid=sigmoid_lut(), tanh=tanh_lut(), index="q + 128 for int8 pre-activation q"),
        float=dict(feat_alpha=alphas, layers=float_layers),
        fixed=dict(layers=fixed_layers),
    )
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    return doc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--quant-bits", type=int, choices=(8, 6, 4))
    ap.add_argument("--head-x0-bits", type=int, choices=(4, 6, 8, 10, 12),
                    help="weight bits of the head's X0 part (default: the checkpoint's, else quant_bits)")
    ap.add_argument("--name")
    a = ap.parse_args(argv)
    try:
        doc = export(a.checkpoint, a.out, a.quant_bits, a.name, a.head_x0_bits)
    except (OSError, ValueError, KeyError, netdef.ConfigError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    p = doc["profile"]
    print(json.dumps(dict(out=a.out, quant_bits=doc["quant_bits"], macs_per_lr_px=p["macs_per_lr_px"],
                          params=p["params"], acc_bits=max(L["acc_bits"] for L in doc["fixed"]["layers"]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
