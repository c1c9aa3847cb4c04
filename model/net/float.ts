// Float reference of the CRNN (docs/fixed-point.md section 5): the same graph as the
// fixed-point model without quantisation, float64 throughout. It must match the
// PyTorch float output within 1e-4 on test/fixtures/net; speed is secondary.
import { ModelInputError, E } from '../errors.ts';
import type { NetWeights, FloatLayer } from './weights.ts';
import { skipUpscale } from './skip.ts';

/** Zero-padded stride-1 conv on C,H,W float planes. `ins` are concatenated along channels. */
function conv(ins: Float64Array[], gh: number, gw: number, L: FloatLayer): Float64Array {
  const n = gh * gw, p = (L.k - 1) >> 1, k = L.k;
  const out = new Float64Array(L.cout * n);
  const chans: Float64Array[] = [];
  for (const t of ins) for (let c = 0; c < t.length / n; c++) chans.push(t.subarray(c * n, (c + 1) * n));
  if (chans.length !== L.cin) throw new ModelInputError(E.WEIGHTS, `layer ${L.name}: input has ${chans.length} channels, weights expect ${L.cin}`);
  for (let co = 0; co < L.cout; co++) {
    const o = out.subarray(co * n, (co + 1) * n);
    o.fill(L.b[co]);
    for (let ci = 0; ci < L.cin; ci++) {
      const src = chans[ci];
      for (let ky = 0; ky < k; ky++) {
        for (let kx = 0; kx < k; kx++) {
          const w = L.w[((co * L.cin + ci) * k + ky) * k + kx];
          if (w === 0) continue;
          const dy = ky - p, dx = kx - p;
          const y0 = Math.max(0, -dy), y1 = Math.min(gh, gh - dy), x0 = Math.max(0, -dx), x1 = Math.min(gw, gw - dx);
          for (let y = y0; y < y1; y++) {
            const ro = y * gw, ri = (y + dy) * gw + dx;
            for (let x = x0; x < x1; x++) o[ro + x] += w * src[ri + x];
          }
        }
      }
    }
  }
  return out;
}

/** Transposed conv, stride 3, padding (K-3)/2, one output channel → (3gh, 3gw). */
export function deconvFloat(h: Float64Array, gh: number, gw: number, L: FloatLayer): Float64Array {
  const K = L.k, P = (K - 3) >> 1, W = 3 * gw, H = 3 * gh, n = gh * gw;
  const out = new Float64Array(W * H).fill(L.b[0]);
  for (let ci = 0; ci < L.cin; ci++) {
    for (let ky = 0; ky < K; ky++) {
      for (let kx = 0; kx < K; kx++) {
        const w = L.w[(ci * K + ky) * K + kx];
        for (let i = 0; i < gh; i++) {
          const y = 3 * i - P + ky;
          if (y < 0 || y >= H) continue;
          for (let j = 0; j < gw; j++) {
            const x = 3 * j - P + kx;
            if (x >= 0 && x < W) out[y * W + x] += w * h[ci * n + i * gw + j];
          }
        }
      }
    }
  }
  return out;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export class FloatNet {
  private state: Float64Array[] | null = null;
  private gh = 0;
  private gw = 0;
  constructor(readonly net: NetWeights) {}

  reset(): void {
    this.state = null;
  }

  /** One LR luma frame (uint8 codes, even size) → HR luma, float in [0, 255]. */
  run(y8: Uint8Array, w: number, h: number): Float64Array {
    if (w % 2 || h % 2) throw new ModelInputError(E.ODD_SIZE, `network input ${w}x${h}: width and height must be even`);
    const cfg = this.net.config, gh = h / 2, gw = w / 2, n = gh * gw;
    if (!this.state || this.gh !== gh || this.gw !== gw || this.net.singleFrame) {
      this.state = Array.from({ length: cfg.n_gcr }, () => new Float64Array(cfg.hidden_c * n));
      this.gh = gh;
      this.gw = gw;
    }
    const x0 = new Float64Array(4 * n);
    for (let i = 0; i < gh; i++) {
      for (let j = 0; j < gw; j++) {
        for (let c = 0; c < 4; c++) x0[c * n + i * gw + j] = (y8[(2 * i + (c >> 1)) * w + 2 * j + (c & 1)] - 128) / 128;
      }
    }
    let x: Float64Array = x0;
    const L = (name: string) => this.net.float.get(name)!;
    cfg.feat_c.forEach((_, l) => {
      const f = conv([x], gh, gw, L(`feat${l}`));
      const a = this.net.featAlpha[l];
      for (let i = 0; i < f.length; i++) f[i] = f[i] < 0 ? 0 : f[i] > a ? a : f[i];
      x = f;
    });
    for (let g = 0; g < cfg.n_gcr; g++) {
      const hs = this.state[g];
      const z = conv([x, hs], gh, gw, L(`gru${g}.z`));
      const r = conv([x, hs], gh, gw, L(`gru${g}.r`));
      const rh = new Float64Array(hs.length);
      for (let i = 0; i < rh.length; i++) rh[i] = sigmoid(r[i]) * hs[i];
      const nn = conv([x, rh], gh, gw, L(`gru${g}.n`));
      const hn = new Float64Array(hs.length);
      for (let i = 0; i < hn.length; i++) hn[i] = hs[i] + sigmoid(z[i]) * (Math.tanh(nn[i]) - hs[i]);
      this.state[g] = hn;
      x = hn;
    }
    const W = 3 * gw, H = 3 * gh;
    const head = L('head');
    // head_x0: input [H, X0] (fixed-point.md 4.4)
    let hin = x;
    if (cfg.head_x0) {
      hin = new Float64Array(x.length + x0.length);
      hin.set(x);
      hin.set(x0, x.length);
    }
    let res: Float64Array;
    if (head.kind === 'deconv') res = deconvFloat(hin, gh, gw, head);
    else {
      const r9 = conv([hin], gh, gw, head);
      res = new Float64Array(W * H);
      for (let c = 0; c < 9; c++) {
        const py = (c / 3) | 0, px = c % 3;
        for (let i = 0; i < gh; i++) for (let j = 0; j < gw; j++) res[(3 * i + py) * W + 3 * j + px] = r9[c * n + i * gw + j];
      }
    }
    const skip = skipUpscale(y8, w, h);
    const out = new Float64Array(W * H);
    for (let i = 0; i < out.length; i++) {
      const r = res[i] < -128 ? -128 : res[i] > 127 ? 127 : res[i];
      const v = skip[i] + r;
      out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    return out;
  }
}
