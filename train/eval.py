#!/usr/bin/python3
"""Validation Y-PSNR (4-px border shaved) of exported weights: float model, integer model, bicubic, skip.

  /usr/bin/python3 train/eval.py weights/crnn_q8.json [--stride 5] [--out train/runs/eval_crnn_q8.json]
Every frame of the 4 DAVIS val sequences is processed in order (the state is recurrent);
PSNR is measured on every --stride-th frame (0, 5, 10, ...) of the 852x480 centre crop, LR = Pillow
BICUBIC ÷1.5. Bicubic = Pillow BICUBIC x1.5 of the LR RGB, then float BT.601 Y.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixed_ref  # noqa: E402
from data import HR_H, HR_W, hr_crop, list_frames, list_sequences, skip_upscale, y8_int, y_float  # noqa: E402
from make_reference import float_model  # noqa: E402
from train import psnr_shaved  # noqa: E402


def load_eval_frame(path):
    hr = hr_crop(Image.open(path).convert("RGB"), path)
    lr = hr.resize((HR_W * 2 // 3, HR_H * 2 // 3), Image.BICUBIC)
    bic = lr.resize((HR_W, HR_H), Image.BICUBIC)
    return y8_int(np.asarray(lr)), y_float(np.asarray(hr)), y_float(np.asarray(bic))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("weights")
    ap.add_argument("--stride", type=int, default=5)
    ap.add_argument("--max-frames", type=int, help="only the first N frames of each sequence")
    ap.add_argument("--no-fixed", action="store_true", help="skip the (slow) integer model")
    ap.add_argument("--out", help="write the JSON result here too")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    t0 = time.time()
    with open(a.weights) as f:
        wj = json.load(f)
    single = bool(wj.get("single_frame", False))
    fnet = float_model(wj).float()  # float32 for speed: differs from float64 by ~1e-5 LSB
    inet = None if a.no_fixed else fixed_ref.load_weights(a.weights)
    per = {}
    allp = {"bicubic": [], "skip": [], "float": [], "fixed": []}
    for seq in list_sequences("val"):
        paths = list_frames("val", seq)[:a.max_frames] if a.max_frames else list_frames("val", seq)
        fstate, istate = None, None
        ps = {k: [] for k in allp}
        for t, p in enumerate(paths):
            lr, hr, bic = load_eval_frame(p)
            sk = skip_upscale(lr)
            with torch.no_grad():
                fo, fstate = fnet(torch.from_numpy(lr.astype(np.float32))[None, None],
                                  torch.from_numpy(sk.astype(np.float32))[None, None],
                                  single_frame=single, state=None if single else fstate)
            if inet is not None:
                if istate is None or single:
                    istate = fixed_ref.init_state(inet, lr.shape[0] // 2, lr.shape[1] // 2)
                io, istate = fixed_ref.run_frame(inet, lr, istate)
            if t % a.stride:
                continue
            ps["bicubic"].append(psnr_shaved(bic, hr))
            ps["skip"].append(psnr_shaved(sk.astype(np.float64), hr))
            ps["float"].append(psnr_shaved(fo[0, 0].numpy().astype(np.float64), hr))
            if inet is not None:
                ps["fixed"].append(psnr_shaved(io.astype(np.float64), hr))
        per[seq] = {k: float(np.mean(v)) for k, v in ps.items() if v}
        per[seq]["frames_measured"] = len(ps["skip"])
        for k in allp:
            allp[k] += ps[k]
        print(f"{seq}: {json.dumps(per[seq])}", file=sys.stderr, flush=True)
    mean = {k: float(np.mean(v)) for k, v in allp.items() if v}
    res = dict(weights=a.weights, stride=a.stride, frames_measured=len(allp["skip"]), mean_psnr_db=mean,
               float_minus_bicubic_db=mean["float"] - mean["bicubic"], per_sequence=per,
               seconds=round(time.time() - t0, 1))
    if "fixed" in mean:
        res["fixed_minus_bicubic_db"] = mean["fixed"] - mean["bicubic"]
        res["float_to_fixed_drop_db"] = mean["float"] - mean["fixed"]
    s = json.dumps(res, indent=1)
    print(s)
    if a.out:
        with open(a.out, "w") as f:
            f.write(s + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
