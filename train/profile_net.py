#!/usr/bin/python3
"""MACs per LR pixel and parameter count of a network config (every conv, GRU gates included).

  /usr/bin/python3 train/profile_net.py train/configs/crnn_default.json [--json]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netdef  # noqa: E402

BUDGET_MACS_PER_LR_PX = 256 * 180e6 / (1280 * 720 * 30)  # 256 MACs at 180 MHz, 720p30 input


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("config")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        cfg = netdef.load_config(a.config)
    except netdef.ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    p = netdef.profile(cfg)
    p["budget_macs_per_lr_px_720p30"] = round(BUDGET_MACS_PER_LR_PX, 1)
    p["utilisation_needed"] = round(p["macs_per_lr_px"] / BUDGET_MACS_PER_LR_PX, 4)
    if a.json:
        print(json.dumps(p, indent=1))
        return 0
    print(f"{cfg['name']}: {p['macs_per_lr_px']:.0f} MACs/LR px ({p['macs_per_cell']} per grid cell), "
          f"{p['params']} params, {p['utilisation_needed'] * 100:.1f}% of the 720p30 budget "
          f"({p['budget_macs_per_lr_px_720p30']:.0f})")
    print(f"{'layer':8} {'kind':7} {'cin':>4} {'cout':>4} {'k':>2} {'MAC/cell':>9} {'MAC/LRpx':>9} {'params':>7}")
    for r in p["layers"]:
        print(f"{r['name']:8} {r['kind']:7} {r['cin']:4} {r['cout']:4} {r['k']:2} {r['macs_per_cell']:9} "
              f"{r['macs_per_lr_px']:9.0f} {r['params']:7}")
    print(f"GRU elementwise multiplies: {p['gru_elementwise_mults_per_lr_px']:.0f}/LR px; state "
          f"{p['state_bytes_per_cell']} B/cell = {p['state_bytes_per_720p_frame']} B per 720p frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
