"""PyTorch CRNN (float or fake-quantised), the trainable twin of docs/fixed-point.md."""
import torch
import torch.nn as nn
import torch.nn.functional as F

import qat
from netdef import X0_C, head_x0, head_x0_bits, layer_table

H_ALPHA = 127.0 / 128.0  # fixed clip of the feature map that feeds the GRU (scale 2^-7)


class CRNN(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.bits = cfg["quant_bits"]
        self.quant = False
        self.table = layer_table(cfg)
        self.convs = nn.ModuleDict()
        for L in self.table:
            key = L["name"].replace(".", "_")
            if L["kind"] == "deconv":
                k = L["k"]
                self.convs[key] = nn.ConvTranspose2d(L["cin"], 1, k, stride=3, padding=(k - 3) // 2)
            else:
                self.convs[key] = nn.Conv2d(L["cin"], L["cout"], L["k"], padding=L["k"] // 2)
        with torch.no_grad():  # start as the plain skip upscaler
            self.convs["head"].weight.mul_(0.1)
            self.convs["head"].bias.zero_()
            if head_x0(cfg):  # X0 part zero (train.py loads the linear filter there, linear_init.py)
                w = self.convs["head"].weight  # conv [cout][cin]..., ConvTranspose2d [cin][cout]...
                (w[-X0_C:] if self.table[-1]["kind"] == "deconv" else w[:, -X0_C:]).zero_()
        nf = len(cfg["feat_c"])
        # learned PACT clips for all feature maps except the last (fixed 127/128)
        self.alphas = nn.Parameter(torch.full((max(nf - 1, 0),), 2.0))

    def feat_alpha(self, i):
        nf = len(self.cfg["feat_c"])
        if i == nf - 1:
            return torch.tensor(H_ALPHA, dtype=self.alphas.dtype)
        return self.alphas[i]

    def in_scale(self, i):
        """Real scale of the input tensor of feature layer i."""
        if i == 0:
            return 1.0 / 128
        return self.feat_alpha(i - 1).detach() / 127.0

    def conv(self, name, x, in_scale):
        m = self.convs[name.replace(".", "_")]
        w, b = m.weight, m.bias
        if self.quant:
            xb = head_x0_bits(self.cfg)
            if name == "head" and xb > self.bits and not isinstance(m, nn.ConvTranspose2d):
                w, s = qat.quant_weight_split(w, self.bits, xb, w.shape[1] - X0_C)
            else:
                w, s = qat.quant_weight(w, self.bits, out_dim=1 if isinstance(m, nn.ConvTranspose2d) else 0)
            b = qat.quant_bias(b, in_scale * s)
        if isinstance(m, nn.ConvTranspose2d):
            return F.conv_transpose2d(x, w, b, stride=3, padding=m.padding)
        return F.conv2d(x, w, b, padding=m.padding)

    def features(self, y8):
        """y8: (N,h,w) float of uint8 codes -> (X0 (N,4,h/2,w/2) at scale 2^-7, GRU input (N,C,h/2,w/2))."""
        x0 = F.pixel_unshuffle(((y8 - 128.0) / 128.0).unsqueeze(1), 2)
        x = x0
        for i in range(len(self.cfg["feat_c"])):
            x = qat.pact_relu(self.conv(f"feat{i}", x, self.in_scale(i)), self.feat_alpha(i), self.quant)
        return x0, x

    def gru(self, g, x, h):
        q = self.quant
        xh = torch.cat([x, h], 1)
        z = qat.q_sigmoid(self.conv(f"gru{g}.z", xh, qat.H_SCALE), q)
        r = qat.q_sigmoid(self.conv(f"gru{g}.r", xh, qat.H_SCALE), q)
        rh = qat.q_mul_round(r, h, q)
        n = qat.q_tanh(self.conv(f"gru{g}.n", torch.cat([x, rh], 1), qat.H_SCALE), q)
        upd = qat.q_mul_round(z, n - h, q)
        return h + upd

    def head(self, h, x0):
        """h: last GRU state; x0: network input (used when head_x0: input [h, x0], both scale 2^-7)."""
        gain = self.cfg["res_gain"]
        if head_x0(self.cfg):
            h = torch.cat([h, x0], 1)
        r = self.conv("head", h, qat.H_SCALE) * gain
        if self.cfg["upsample_mode"] == "pixelshuffle":
            r = F.pixel_shuffle(r, 3)
        r = r.squeeze(1)
        if self.quant:
            return torch.clamp(qat.round_ste(r), -128, 127)
        return torch.clamp(r, -128, 127)

    def init_state(self, n, gh, gw, device=None):
        return [torch.zeros(n, self.cfg["hidden_c"], gh, gw, device=device) for _ in range(self.cfg["n_gcr"])]

    def forward(self, y8, skip, single_frame=False, state=None):
        """y8: (B,T,h,w), skip: (B,T,1.5h,1.5w) (uint8 codes as float). Returns (out, state), out in LSBs."""
        B, T, h, w = y8.shape
        x0, feats = self.features(y8.reshape(B * T, h, w))
        feats = feats.reshape(B, T, *feats.shape[1:])
        if state is None:
            state = self.init_state(B, h // 2, w // 2, y8.device)
        hs = []
        for t in range(T):
            if single_frame:
                state = self.init_state(B, h // 2, w // 2, y8.device)
            x = feats[:, t]
            new = []
            for g in range(self.cfg["n_gcr"]):
                x = self.gru(g, x, state[g])
                new.append(x)
            state = new
            hs.append(x)
        res = self.head(torch.stack(hs, 1).reshape(B * T, -1, h // 2, w // 2), x0)
        out = torch.clamp(skip + res.reshape(B, T, *res.shape[1:]), 0, 255)
        return out, state
