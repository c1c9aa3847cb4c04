"""Network configuration: loading, validation and the layer table (shapes, MACs, params).

Pure Python (no torch) so the exporter, the numpy twin and the profiler share one
definition of the layer list. The graph itself is specified in docs/fixed-point.md.
"""
import json
import os

KNOWN_KEYS = {
    "name", "feat_c", "feat_k", "n_gcr", "hidden_c", "gate_k", "cand_k", "head_k",
    "upsample_mode", "deconv_k", "quant_bits", "res_gain", "head_x0", "head_x0_bits", "train",
}

# Channels of the network input X0 (space-to-depth 2x2 of the LR luma, docs/fixed-point.md 2).
X0_C = 4


class ConfigError(ValueError):
    pass


def load_config(path):
    try:
        with open(path) as f:
            cfg = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ConfigError(f"cannot read network config {path}: {e}")
    validate_config(cfg, path)
    return cfg


def validate_config(cfg, where="config"):
    unknown = set(cfg) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    def need(key, ok, msg):
        if key not in cfg or not ok(cfg[key]):
            raise ConfigError(f"{where}: '{key}' {msg} (got {cfg.get(key)!r})")
    need("name", lambda v: isinstance(v, str) and v, "must be a non-empty string")
    need("feat_c", lambda v: isinstance(v, list) and all(isinstance(c, int) and c > 0 for c in v),
         "must be a list of positive ints")
    for k in ("feat_k", "gate_k", "cand_k", "head_k"):
        need(k, lambda v: v in (1, 3), "must be 1 or 3")
    need("n_gcr", lambda v: isinstance(v, int) and v >= 1, "must be an int >= 1")
    need("hidden_c", lambda v: isinstance(v, int) and v >= 1, "must be an int >= 1")
    need("upsample_mode", lambda v: v in ("pixelshuffle", "deconv"), "must be pixelshuffle|deconv")
    need("deconv_k", lambda v: v in (3, 5), "must be 3 or 5")
    need("quant_bits", lambda v: v in (8, 6, 4), "must be 8, 6 or 4")
    need("res_gain", lambda v: isinstance(v, (int, float)) and v > 0, "must be > 0")
    if "head_x0" in cfg and not isinstance(cfg["head_x0"], bool):
        raise ConfigError(f"{where}: 'head_x0' must be true or false (got {cfg['head_x0']!r})")
    if "head_x0_bits" in cfg:
        v = cfg["head_x0_bits"]
        if not head_x0(cfg):
            raise ConfigError(f"{where}: 'head_x0_bits' needs 'head_x0': true")
        if cfg.get("upsample_mode") == "deconv" and v != cfg["quant_bits"]:
            raise ConfigError(f"{where}: 'head_x0_bits' differs from quant_bits only for a pixelshuffle head")
        if v not in (4, 6, 8, 10, 12) or v < cfg["quant_bits"]:
            raise ConfigError(f"{where}: 'head_x0_bits' must be 4, 6, 8, 10 or 12 and >= quant_bits {cfg['quant_bits']} (got {v!r})")


def head_x0(cfg):
    """True when the head also sees X0: its input is [H (hidden_c ch), X0 (4 ch)] (fixed-point.md 4.4)."""
    return bool(cfg.get("head_x0", False))

def head_x0_bits(cfg):
    """Weight bits of the head's X0 part (fixed-point.md 3): the X0 taps (the linear filter) share the
    output channel's scale with the H taps but may use a wider integer range. Default quant_bits."""
    return int(cfg.get("head_x0_bits", cfg["quant_bits"])) if head_x0(cfg) else int(cfg["quant_bits"])


def layer_table(cfg):
    """Layers in execution order: dicts with name, role, kind, cin, cout, k.

    role: 'feat' (ReLU, int8 [0,127]), 'gate' (sigmoid pre-act), 'cand' (tanh pre-act),
    'head' (residual in LSBs). kind: 'conv' or 'deconv'.
    """
    layers = []
    cin = 4
    for i, c in enumerate(cfg["feat_c"]):
        layers.append(dict(name=f"feat{i}", role="feat", kind="conv", cin=cin, cout=c, k=cfg["feat_k"]))
        cin = c
    hc = cfg["hidden_c"]
    for g in range(cfg["n_gcr"]):
        layers.append(dict(name=f"gru{g}.z", role="gate", kind="conv", cin=cin + hc, cout=hc, k=cfg["gate_k"]))
        layers.append(dict(name=f"gru{g}.r", role="gate", kind="conv", cin=cin + hc, cout=hc, k=cfg["gate_k"]))
        layers.append(dict(name=f"gru{g}.n", role="cand", kind="conv", cin=cin + hc, cout=hc, k=cfg["cand_k"]))
        cin = hc
    head_cin = hc + (X0_C if head_x0(cfg) else 0)
    if cfg["upsample_mode"] == "pixelshuffle":
        layers.append(dict(name="head", role="head", kind="conv", cin=head_cin, cout=9, k=cfg["head_k"]))
    else:
        layers.append(dict(name="head", role="head", kind="deconv", cin=head_cin, cout=1, k=cfg["deconv_k"]))
    return layers


def profile(cfg):
    """MACs per grid cell / per LR pixel (cell = 2x2 LR px) and parameter count."""
    rows = []
    total_cell = 0
    params = 0
    for L in layer_table(cfg):
        macs = L["cout"] * L["cin"] * L["k"] * L["k"]  # deconv: each cell scatters cin*k*k taps per output ch
        p = macs + L["cout"]
        rows.append(dict(name=L["name"], kind=L["kind"], cin=L["cin"], cout=L["cout"], k=L["k"],
                         macs_per_cell=macs, macs_per_lr_px=macs / 4, params=p))
        total_cell += macs
        params += p
    elementwise_cell = 2 * cfg["hidden_c"] * cfg["n_gcr"]  # R*H and Z*(N-H)
    alphas = max(len(cfg["feat_c"]) - 1, 0)  # learned PACT clips (last feature clip is fixed)
    return dict(
        layers=rows,
        macs_per_cell=total_cell,
        macs_per_lr_px=total_cell / 4,
        gru_elementwise_mults_per_lr_px=elementwise_cell / 4,
        params=params + alphas,
        state_bytes_per_cell=cfg["hidden_c"] * cfg["n_gcr"],
        state_bytes_per_720p_frame=cfg["hidden_c"] * cfg["n_gcr"] * 640 * 360,
    )


def repo_root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
