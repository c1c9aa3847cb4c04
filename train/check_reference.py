#!/usr/bin/python3
"""Re-run a committed reference fixture: fixed_ref must reproduce int_out bit-exactly and
the float model (from the weights JSON) float_out to 1e-6. Exit 0 ok, 1 mismatch, 2 bad input.

  /usr/bin/python3 train/check_reference.py test/fixtures/net/crnn_q8.ref.json
The fixture's LR frames are used as stored, so this needs no video data.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixed_ref  # noqa: E402
import netdef  # noqa: E402
from data import skip_upscale  # noqa: E402
from make_reference import float_model  # noqa: E402


def check(path):
    with open(path) as f:
        ref = json.load(f)
    wpath = os.path.join(netdef.repo_root(), ref["weights"])
    with open(wpath) as f:
        wj = json.load(f)
    lr = np.asarray(ref["lr_y8"], np.uint8).reshape(ref["frames"], ref["lr_h"], ref["lr_w"])
    single = ref["single_frame"]
    W = fixed_ref.load_weights(wpath)
    traces = []
    iout = np.stack(fixed_ref.run_sequence(W, list(lr), single_frame=single, traces=traces)).astype(np.int64)
    want = np.asarray(ref["int_out"], np.int64).reshape(iout.shape)
    int_mismatch = int(np.sum(iout != want))
    trace_mismatch = []
    for t, tr in enumerate(ref.get("int_trace", [])):
        for k, v in tr.items():
            if not np.array_equal(np.asarray(v["data"]), traces[t][k].ravel()):
                trace_mismatch.append(f"frame {t} {k}")
    net = float_model(wj)
    with torch.no_grad():
        fo, _ = net(torch.from_numpy(lr.astype(np.float64))[None],
                    torch.from_numpy(skip_upscale(lr).astype(np.float64))[None], single_frame=single)
    fdiff = float(np.abs(fo[0].numpy().ravel() - np.asarray(ref["float_out"]).ravel()).max())
    ok = int_mismatch == 0 and not trace_mismatch and fdiff <= 1e-6
    return ok, dict(fixture=path, weights=ref["weights"], int_pixels_mismatched=int_mismatch,
                    trace_mismatches=trace_mismatch[:10], float_max_abs_diff=fdiff, ok=ok)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    torch.set_num_threads(1)
    all_ok = True
    for p in argv:
        try:
            ok, res = check(p)
        except (OSError, KeyError, ValueError) as e:
            print(f"error: {p}: {e}", file=sys.stderr)
            return 2
        print(json.dumps(res))
        all_ok &= ok
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
