"""Fake-quantisation primitives that mirror docs/fixed-point.md, with straight-through gradients.

Rounding everywhere is round-half-up (floor(x + 0.5)) like the hardware's
`(acc*M + 2^(S-1)) >> S`; clamps pass no gradient outside their range.
"""
import torch


def round_ste(x):
    return x + (torch.floor(x + 0.5) - x).detach()


def quant_fixed(x, scale, lo, hi):
    """Integer code clamp(round(x/scale), lo, hi) times scale (a fixed-scale int tensor)."""
    return torch.clamp(round_ste(x / scale), lo, hi) * scale


def pact_relu(x, alpha, quant):
    """ReLU clipped at alpha (PACT; alpha learnable -> gradient where x > alpha); 127 levels of alpha/127."""
    y = torch.minimum(torch.relu(x), alpha)
    if not quant:
        return y
    s = alpha / 127.0
    return round_ste(y / s) * s


def weight_scale(w, bits):
    """Per-output-channel symmetric scale max|w| / (2^(b-1)-1) (1.0 for an all-zero channel)."""
    qmax = 2 ** (bits - 1) - 1
    m = w.detach().abs().flatten(1).amax(dim=1)
    return torch.where(m > 0, m / qmax, torch.ones_like(m))


def quant_weight(w, bits, out_dim=0):
    """Per-output-channel symmetric fake-quant. out_dim=1 for ConvTranspose2d weights [cin][cout][k][k]."""
    qmax = 2 ** (bits - 1) - 1
    wt = w.transpose(0, 1) if out_dim == 1 else w
    s = weight_scale(wt, bits).view(-1, *([1] * (wt.dim() - 1)))
    q = torch.clamp(round_ste(wt / s), -qmax, qmax) * s
    return (q.transpose(0, 1) if out_dim == 1 else q), s.flatten()


def quant_weight_split(w, bits, wide_bits, wide_from):
    """Per-output-channel fake-quant of a conv weight [cout][cin][k][k] whose input channels
    [wide_from:] may use +-(2^(wide_bits-1)-1) at the channel's scale and the others +-(2^(bits-1)-1);
    the scale is the smallest that keeps both parts in range (export.py: same rule)."""
    qn, qw = 2 ** (bits - 1) - 1, 2 ** (wide_bits - 1) - 1
    mn = w[:, :wide_from].detach().abs().flatten(1).amax(dim=1) / qn
    mw = w[:, wide_from:].detach().abs().flatten(1).amax(dim=1) / qw
    m = torch.maximum(mn, mw)
    s = torch.where(m > 0, m, torch.ones_like(m)).view(-1, 1, 1, 1)
    r = round_ste(w / s)
    q = torch.cat([torch.clamp(r[:, :wide_from], -qn, qn), torch.clamp(r[:, wide_from:], -qw, qw)], 1) * s
    return q, s.flatten()


def quant_bias(b, acc_scale):
    """Bias as an integer at the accumulator scale (int32 in hardware)."""
    return round_ste(b / acc_scale) * acc_scale


SIG_SCALE = 1.0 / 16   # gate pre-activation Q3.4
TANH_SCALE = 1.0 / 32  # candidate pre-activation Q2.5
H_SCALE = 1.0 / 128    # hidden state, GRU inputs, tanh output Q1.7
Z_SCALE = 1.0 / 256    # sigmoid output Q0.8


def q_sigmoid(pre, quant):
    if not quant:
        return torch.sigmoid(pre)
    p = quant_fixed(pre, SIG_SCALE, -128, 127)
    return torch.clamp(round_ste(torch.sigmoid(p) * 256), 0, 255) * Z_SCALE


def q_tanh(pre, quant):
    if not quant:
        return torch.tanh(pre)
    p = quant_fixed(pre, TANH_SCALE, -128, 127)
    return torch.clamp(round_ste(torch.tanh(p) * 128), -127, 127) * H_SCALE


def q_mul_round(a, b, quant):
    """a*b requantised to Q1.7 with round half up: (A*B + 128) >> 8 for A in Q0.8, B in Q1.7."""
    p = a * b
    if not quant:
        return p
    return round_ste(p * 128) * H_SCALE
