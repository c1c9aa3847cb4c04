"""DAVIS frames -> (LR Y8, HR float Y, integer skip) in RAM, and random clip crops.

HR = the 852x480 centre crop of each 854x480 frame (the evaluation protocol's crop, model/protocol.ts
hrFromFrame: largest multiple-of-6 size, offset floor(excess / 2)); LR = Pillow BICUBIC resize to
568x320 (÷1.5) in RGB, then integer BT.601 Y8. Target = float BT.601 Y of the HR RGB.
"""
import os
import numpy as np
from PIL import Image

DATA_ROOT = os.environ.get("SCREEN_DATA", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "davis480p"))
HR_W, HR_H = 852, 480


class DataError(RuntimeError):
    pass


def y8_int(rgb):
    """Integer BT.601 luma of a uint8 HxWx3 array (what the chip receives)."""
    r, g, b = (rgb[..., i].astype(np.int32) for i in range(3))
    return (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16).astype(np.uint8)


def y_float(rgb):
    """Float BT.601 luma in [16, 235] (the training/eval target)."""
    rgb = rgb.astype(np.float64)
    return 16.0 + (65.481 * rgb[..., 0] + 128.553 * rgb[..., 1] + 24.966 * rgb[..., 2]) / 255.0


def hr_crop(im, path="frame"):
    """The protocol's HR crop of a PIL image: centre crop to HR_W x HR_H (= 852x480 of 854x480)."""
    W, H = im.size
    if W < HR_W or H < HR_H:
        raise DataError(f"frame {path} is {W}x{H}, need at least {HR_W}x{HR_H}")
    x0, y0 = (W - HR_W) // 2, (H - HR_H) // 2  # 854x480 -> x0 = 1, y0 = 0, as hrFromFrame
    return im.crop((x0, y0, x0 + HR_W, y0 + HR_H))


def load_frame(path):
    """-> (lr_y8 uint8 [H/1.5][W/1.5], hr_y float32 [H][W], bicubic_y float64 HR) for one JPEG."""
    try:
        im = Image.open(path).convert("RGB")
    except OSError as e:
        raise DataError(f"cannot decode frame {path}: {e}")
    hr = hr_crop(im, path)
    lr = hr.resize((HR_W * 2 // 3, HR_H * 2 // 3), Image.BICUBIC)
    return y8_int(np.asarray(lr)), y_float(np.asarray(hr)).astype(np.float32)


def list_sequences(split):
    root = os.path.join(DATA_ROOT, split)
    if not os.path.isdir(root):
        raise DataError(f"no data directory {root}")
    return sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))


def list_frames(split, seq):
    d = os.path.join(DATA_ROOT, split, seq)
    frames = sorted(f for f in os.listdir(d) if f.endswith(".jpg"))
    if not frames:
        raise DataError(f"no .jpg frames in {d}")
    return [os.path.join(d, f) for f in frames]


def skip_upscale(y8):
    """The fixed integer 'bilinear x1.5' skip of docs/fixed-point.md 4.5. y8: [..., H, W] uint8."""
    y = np.asarray(y8).astype(np.int64)
    H, W = y.shape[-2:]
    iy, wy = skip_taps(H)
    ix, wx = skip_taps(W)
    t = wy[0][:, None] * y[..., iy[0], :] + wy[1][:, None] * y[..., iy[1], :]
    u = wx[0] * t[..., ix[0]] + wx[1] * t[..., ix[1]]
    return ((u + 2048) >> 12).astype(np.uint8)


def skip_taps(n):
    """Two taps (indices, weights in 64ths) per output index o = 3k+p along an axis of n LR px."""
    o = np.arange(n * 3 // 2)
    k, p = o // 3, o % 3
    i0 = np.where(p == 0, 2 * k - 1, np.where(p == 1, 2 * k, 2 * k + 1))
    w0 = np.where(p == 0, 11, np.where(p == 1, 32, 53))
    i1 = i0 + 1
    w1 = 64 - w0
    return (np.clip(i0, 0, n - 1), np.clip(i1, 0, n - 1)), (w0.astype(np.int64), w1.astype(np.int64))


class FrameCache:
    """All frames of the chosen sequences decoded once: lr (T,h,w) u8, hr (T,H,W) f16, skip u8."""

    def __init__(self, split, max_seqs=None, max_frames=None, log=print):
        self.seqs = []
        names = list_sequences(split)[:max_seqs] if max_seqs else list_sequences(split)
        for s in names:
            paths = list_frames(split, s)[:max_frames] if max_frames else list_frames(split, s)
            lrs, hrs = zip(*(load_frame(p) for p in paths))
            lr = np.stack(lrs)
            self.seqs.append(dict(name=s, lr=lr, hr=np.stack(hrs).astype(np.float16), skip=skip_upscale(lr)))
            log(f"loaded {split}/{s}: {len(paths)} frames")

    def sample(self, rng, batch, clip_len, lr_crop):
        """Random clips: lr (B,T,c,c) u8, hr/skip (B,T,1.5c,1.5c); hflip + time reversal augmentation."""
        if lr_crop % 4:
            raise DataError(f"lr_crop {lr_crop} must be a multiple of 4")
        hc = lr_crop * 3 // 2
        lrs, hrs, sks = [], [], []
        for _ in range(batch):
            s = self.seqs[rng.integers(len(self.seqs))]
            T = s["lr"].shape[0]
            if T < clip_len:
                raise DataError(f"sequence {s['name']} has {T} frames < clip_len {clip_len}")
            t0 = rng.integers(T - clip_len + 1)
            h, w = s["lr"].shape[1:]
            y0 = 2 * rng.integers((h - lr_crop) // 2 + 1)
            x0 = 2 * rng.integers((w - lr_crop) // 2 + 1)
            Y0, X0 = y0 * 3 // 2, x0 * 3 // 2
            lr = s["lr"][t0:t0 + clip_len, y0:y0 + lr_crop, x0:x0 + lr_crop]
            hr = s["hr"][t0:t0 + clip_len, Y0:Y0 + hc, X0:X0 + hc]
            sk = s["skip"][t0:t0 + clip_len, Y0:Y0 + hc, X0:X0 + hc]
            if rng.random() < 0.5:  # the skip and grid are mirror-symmetric, so flips stay exact
                lr, hr, sk = lr[..., ::-1], hr[..., ::-1], sk[..., ::-1]
            if rng.random() < 0.5:
                lr, hr, sk = lr[::-1], hr[::-1], sk[::-1]
            lrs.append(lr)
            hrs.append(hr)
            sks.append(sk)
        return (np.ascontiguousarray(np.stack(lrs)), np.ascontiguousarray(np.stack(hrs)).astype(np.float32),
                np.ascontiguousarray(np.stack(sks)))
