#!/usr/bin/python3
"""Write reference vectors for the TypeScript golden model: test/fixtures/net/<weights name>.json.

  /usr/bin/python3 train/make_reference.py weights/crnn_q8.json [--trace] [--size 48x32] [--frames 3]
A 48x32 (--size) LR crop sequence of 3 (--frames) frames (val/blackswan frames 0-2), the float64 PyTorch output
of the float model (built from the JSON's float section), the integer output of
train/fixed_ref.py, and with --trace every integer intermediate tensor (C,H,W, row-major).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixed_ref  # noqa: E402
import netdef  # noqa: E402
from data import DATA_ROOT, load_frame, skip_upscale  # noqa: E402
from model import CRNN  # noqa: E402

SEQ, FRAMES, LR_W, LR_H, X0, Y0 = "blackswan", 3, 48, 32, 240, 120


def float_model(wj):
    """CRNN (float64) whose parameters are exactly the JSON float section (head gain folded -> 1)."""
    cfg = dict(wj["config"], res_gain=1, train={})
    net = CRNN(cfg).double()
    with torch.no_grad():
        for L in wj["float"]["layers"]:
            m = net.convs[L["name"].replace(".", "_")]
            w = torch.tensor(L["w"], dtype=torch.float64).reshape(L["cout"], L["cin"], L["k"], L["k"])
            if L["kind"] == "deconv":
                w = w.transpose(0, 1)
            m.weight.copy_(w)
            m.bias.copy_(torch.tensor(L["b"], dtype=torch.float64))
        a = wj["float"]["feat_alpha"][:-1]
        net.alphas.copy_(torch.tensor(a, dtype=torch.float64))
    net.eval()
    return net


def reference(weights_path, trace, size=(LR_W, LR_H), frames=FRAMES):
    with open(weights_path) as f:
        wj = json.load(f)
    lw, lh = size
    lr = np.stack([load_frame(os.path.join(DATA_ROOT, "val", SEQ, f"{i:05d}.jpg"))[0][Y0:Y0 + lh, X0:X0 + lw]
                   for i in range(frames)])
    single = bool(wj.get("single_frame", False))
    net = float_model(wj)
    with torch.no_grad():
        out, _ = net(torch.from_numpy(lr.astype(np.float64))[None],
                     torch.from_numpy(skip_upscale(lr).astype(np.float64))[None], single_frame=single)
    fl = out[0].numpy()
    W = fixed_ref.load_weights(weights_path)
    traces = [] if trace else None
    iout = fixed_ref.run_sequence(W, list(lr), single_frame=single, traces=traces)
    doc = dict(
        format="screen-crnn-reference", version=1,
        weights=os.path.relpath(os.path.abspath(weights_path), netdef.repo_root()),
        source=f"val/{SEQ} frames 0..{frames - 1}, LR crop x={X0} y={Y0} of the 568x320 Pillow-BICUBIC LR frame "
               f"(HR = centre 852x480 crop)",
        lr_w=lw, lr_h=lh, hr_w=lw * 3 // 2, hr_h=lh * 3 // 2, frames=frames, single_frame=single,
        layout="each image/tensor is a flat row-major array; tensors are C,H,W",
        lr_y8=[f.ravel().tolist() for f in lr],
        float_out=[[float(v) for v in f.ravel()] for f in fl],
        int_out=[f.astype(int).ravel().tolist() for f in iout],
    )
    if trace:
        doc["int_trace"] = [{k: dict(shape=list(v.shape), data=v.astype(int).ravel().tolist()) for k, v in tr.items()}
                            for tr in traces]
    return doc, fl, np.stack(iout)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights", nargs="+")
    ap.add_argument("--trace", action="store_true", help="include every integer intermediate tensor")
    ap.add_argument("--size", default=f"{LR_W}x{LR_H}", help="LR crop WxH (even sides; default %(default)s)")
    ap.add_argument("--frames", type=int, default=FRAMES, help="frames in the sequence (default %(default)s)")
    ap.add_argument("--outdir", default=os.path.join(netdef.repo_root(), "test", "fixtures", "net"))
    a = ap.parse_args(argv)
    try:
        size = tuple(int(v) for v in a.size.lower().split("x"))
        if len(size) != 2 or any(v < 2 or v % 2 for v in size) or a.frames < 1:
            raise ValueError
    except ValueError:
        ap.error(f"--size must be WxH with even sides >= 2 and --frames >= 1 (got {a.size!r}, {a.frames})")
    torch.set_num_threads(1)
    os.makedirs(a.outdir, exist_ok=True)
    for w in a.weights:
        doc, fl, io = reference(w, a.trace, size, a.frames)
        path = os.path.join(a.outdir, os.path.splitext(os.path.basename(w))[0] + ".ref.json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        print(json.dumps(dict(out=os.path.relpath(path), float_vs_int_max_abs=float(np.abs(fl - io).max()),
                              float_vs_int_mean_abs=float(np.abs(fl - io).mean()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
