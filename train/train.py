#!/usr/bin/python3
"""Train the CRNN upscaler (float warm-up, then quantisation-aware) within a wall-clock budget.

  /usr/bin/python3 train/train.py --config train/configs/crnn_default.json --minutes 55 \
      --out train/runs/crnn_q8
Progress lines (loss, quick val PSNR on val crops) go to stdout and <out>/train.log;
the checkpoint is <out>/ckpt.pt (state dict + config + history).
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netdef  # noqa: E402
from data import FrameCache, DataError  # noqa: E402
from model import CRNN  # noqa: E402
import linear_init  # noqa: E402


def charbonnier(x, eps=1e-3):
    return torch.sqrt(x * x + eps * eps).mean()


def psnr_shaved(out, ref, shave=4):
    d = out[..., shave:-shave, shave:-shave].astype(np.float64) - ref[..., shave:-shave, shave:-shave]
    mse = max(float(np.mean(d * d)), 1e-10)
    return 10 * math.log10(255.0 ** 2 / mse)


def val_clips(cache, n_frames, lr_crop):
    """Fixed centre crops of the first n_frames of each val sequence (grid-aligned)."""
    clips = []
    for s in cache.seqs:
        h, w = s["lr"].shape[1:]
        y0, x0 = (h - lr_crop) // 4 * 2, (w - lr_crop) // 4 * 2
        Y0, X0, hc = y0 * 3 // 2, x0 * 3 // 2, lr_crop * 3 // 2
        clips.append((s["lr"][:n_frames, y0:y0 + lr_crop, x0:x0 + lr_crop],
                      s["hr"][:n_frames, Y0:Y0 + hc, X0:X0 + hc].astype(np.float32),
                      s["skip"][:n_frames, Y0:Y0 + hc, X0:X0 + hc]))
    return clips


@torch.no_grad()
def quick_val(net, clips, single_frame):
    net.eval()
    ps, pskip = [], []
    for lr, hr, sk in clips:
        out, _ = net(torch.from_numpy(lr.astype(np.float32))[None], torch.from_numpy(sk.astype(np.float32))[None],
                     single_frame=single_frame)
        o = torch.round(out[0]).numpy() if net.quant else out[0].numpy()
        for t in range(lr.shape[0]):
            ps.append(psnr_shaved(o[t], hr[t]))
            pskip.append(psnr_shaved(sk[t].astype(np.float64), hr[t]))
    net.train()
    return float(np.mean(ps)), float(np.mean(pskip))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", required=True)
    ap.add_argument("--minutes", type=float, required=True, help="wall-clock budget incl. data loading")
    ap.add_argument("--out", required=True, help="run directory (ckpt.pt, train.log)")
    ap.add_argument("--quant-bits", type=int, choices=(8, 6, 4), help="override config quant_bits")
    ap.add_argument("--head-x0-bits", type=int, choices=(4, 6, 8, 10, 12),
                    help="weight bits of the head's X0 part (head_x0 networks; default quant_bits)")
    ap.add_argument("--single-frame", action="store_true", help="ablation: reset the hidden state every frame")
    ap.add_argument("--init", help="checkpoint to start from (fine-tuning); QAT from the first step")
    ap.add_argument("--lr", type=float, help="override peak learning rate")
    ap.add_argument("--max-iters", type=int,
                    help="schedule by iterations instead of time (deterministic; --minutes stays a hard cap)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int)
    a = ap.parse_args(argv)

    t_start = time.time()
    budget = a.minutes * 60.0
    try:
        cfg = netdef.load_config(a.config)
    except netdef.ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if a.quant_bits:
        cfg["quant_bits"] = a.quant_bits
    if a.head_x0_bits:
        cfg["head_x0_bits"] = a.head_x0_bits
    elif a.quant_bits and cfg.get("head_x0_bits", a.quant_bits) < a.quant_bits:
        cfg.pop("head_x0_bits")
    try:
        netdef.validate_config(cfg, a.config)
    except netdef.ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    tc = cfg["train"]
    seed = a.seed if a.seed is not None else tc.get("seed", 1)
    torch.set_num_threads(a.threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    os.makedirs(a.out, exist_ok=True)
    logf = open(os.path.join(a.out, "train.log"), "a")

    def log(msg):
        line = f"[{time.time() - t_start:7.1f}s] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    log(f"config {a.config} bits={cfg['quant_bits']} single_frame={a.single_frame} init={a.init} "
        f"profile={json.dumps({k: v for k, v in netdef.profile(cfg).items() if k != 'layers'})}")
    try:
        train = FrameCache("train", tc.get("max_train_seqs"), tc.get("max_frames_per_seq"), log=lambda m: None)
        val = FrameCache("val", tc.get("max_val_seqs", 4), tc.get("val_frames", 8), log=lambda m: None)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    log(f"cached {sum(s['lr'].shape[0] for s in train.seqs)} train frames in {len(train.seqs)} seqs, "
        f"{len(val.seqs)} val seqs")
    clips = val_clips(val, tc.get("val_frames", 8), tc.get("val_crop", 128))

    net = CRNN(cfg)
    history = []
    if a.init:
        ck = torch.load(a.init)
        net.load_state_dict(ck["state"])
        warm = 0.0
        log(f"initialised from {a.init}")
    else:
        warm = tc["float_warmup_frac"]
        if linear_init.apply(net):
            log("head X0 part initialised from the 6x6 linear filter (weights/linear_6x6.json)")
    lr0 = a.lr if a.lr else tc["lr"]
    opt = torch.optim.Adam(net.parameters(), lr=lr0)
    it = 0
    t_loop = time.time()
    loop_budget = budget - (t_loop - t_start) - min(30.0, 0.15 * budget)  # room for the final val + save
    if loop_budget <= 0:
        log("budget exhausted by data loading")
        return 2
    next_val = tc["val_every_s"]
    loss_acc, n_acc = 0.0, 0

    def save(tag):
        torch.save(dict(state=net.state_dict(), cfg=cfg, single_frame=a.single_frame, iters=it,
                        history=history, init=a.init), os.path.join(a.out, "ckpt.pt"))
        log(f"saved {tag} checkpoint {os.path.join(a.out, 'ckpt.pt')}")

    while True:
        tfrac = (time.time() - t_loop) / loop_budget
        frac = it / a.max_iters if a.max_iters else tfrac
        if frac >= 1.0 or tfrac >= 1.0:
            break
        net.quant = frac >= warm
        lr = tc["lr_min"] + 0.5 * (lr0 - tc["lr_min"]) * (1 + math.cos(math.pi * frac))
        for gp in opt.param_groups:
            gp["lr"] = lr
        lrb, hrb, skb = train.sample(rng, tc["batch"], tc["clip_len"], tc["lr_crop"])
        y = torch.from_numpy(lrb.astype(np.float32))
        tgt = torch.from_numpy(hrb) / 255.0
        out, _ = net(y, torch.from_numpy(skb.astype(np.float32)), single_frame=a.single_frame)
        out = out / 255.0
        loss = charbonnier(out - tgt)
        if out.shape[1] > 1:
            loss = loss + tc["temporal_weight"] * charbonnier((out[:, 1:] - out[:, :-1]) - (tgt[:, 1:] - tgt[:, :-1]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            net.alphas.clamp_(min=0.05)
        it += 1
        loss_acc += float(loss)
        n_acc += 1
        el = time.time() - t_loop
        if el >= next_val:
            p, pb = quick_val(net, clips, a.single_frame)
            history.append(dict(it=it, t=round(time.time() - t_start, 1), loss=loss_acc / n_acc, val_psnr=p,
                                quant=net.quant))
            log(f"it {it} loss {loss_acc / n_acc:.5f} lr {lr:.2e} quant={net.quant} val {p:.3f} dB "
                f"(skip {pb:.3f}, +{p - pb:.3f}) it/s {it / el:.2f}")
            loss_acc, n_acc = 0.0, 0
            next_val += tc["val_every_s"]
            save("periodic")
    net.quant = True
    pq, pb = quick_val(net, clips, a.single_frame)
    net.quant = False
    pf, _ = quick_val(net, clips, a.single_frame)
    history.append(dict(it=it, t=round(time.time() - t_start, 1), val_psnr_fakequant=pq, val_psnr_float=pf,
                        val_psnr_skip=pb))
    log(f"final it {it}: val fake-quant {pq:.3f} dB, float {pf:.3f} dB, skip {pb:.3f} dB")
    save("final")
    return 0


if __name__ == "__main__":
    sys.exit(main())
