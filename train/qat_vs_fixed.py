#!/usr/bin/python3
"""How closely the fake-quant PyTorch model (checkpoint) matches the integer twin (exported JSON).

  /usr/bin/python3 train/qat_vs_fixed.py train/runs/crnn_q8/ckpt.pt weights/crnn_q8.json
Runs both on a 96x64 LR crop of val/blackswan frames 0-3; prints JSON (max |diff|, fraction of
differing HR pixels). They differ only where the 15-bit multiplier's rounding of the exact
scale ratio flips a rounding decision, so the fraction should be well under 1%.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixed_ref  # noqa: E402
from data import DATA_ROOT, load_frame, skip_upscale  # noqa: E402
from model import CRNN  # noqa: E402


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    ck = torch.load(argv[0])
    W = fixed_ref.load_weights(argv[1])
    net = CRNN(dict(ck["cfg"], **{k: W["cfg"][k] for k in ("quant_bits", "head_x0_bits") if k in W["cfg"]}))
    net.load_state_dict(ck["state"])
    net.quant = True
    net.eval()
    lr = np.stack([load_frame(os.path.join(DATA_ROOT, "val", "blackswan", f"{i:05d}.jpg"))[0][100:164, 200:296]
                   for i in range(4)])
    single = bool(ck.get("single_frame", False))
    with torch.no_grad():
        out, _ = net(torch.from_numpy(lr.astype(np.float32))[None],
                     torch.from_numpy(skip_upscale(lr).astype(np.float32))[None], single_frame=single)
    fixed = np.stack(fixed_ref.run_sequence(W, list(lr), single_frame=single)).astype(np.float64)
    d = out[0].numpy().astype(np.float64) - fixed
    print(json.dumps(dict(max_abs_diff=float(np.abs(d).max()), frac_differing=float(np.mean(d != 0)),
                          pixels=int(d.size))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
