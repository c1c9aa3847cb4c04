// Bit-exact fixed-point CRNN (docs/fixed-point.md sections 1-4): the hardware spec in
// executable form. It must equal train/fixed_ref.py on every pixel.
//
// Speed: a 720p frame is ~1 GMAC for the default network. Each conv layer is compiled
// (new Function) into straight-line code for the frame size at hand, with the integer
// weights, bias, multiplier and shift as literals: per grid cell the inputs are loaded
// once into locals and every output channel is a sum of constant products, so there
// are no inner loops, no weight loads and zero weights cost nothing. Values live in
// Float64Arrays: every quantity is an integer below 2^53 (acc < 2^24, acc*M < 2^39),
// so double arithmetic is exact and needs no int32 overflow checks; the shift is a
// multiply by 2^-S (exact) and floor.
// Tensors are C,H,W planes padded by one zero cell on each side, so 3x3 taps need no
// bounds checks; borders are never written and stay 0 (the spec's zero padding).
import { ModelInputError, E } from '../errors.ts';
import type { FixedLayer, NetWeights } from './weights.ts';
import { skipUpscale } from './skip.ts';

type ConvFn = (a: Float64Array, b: Float64Array | null, out: Float64Array) => void;

interface Geometry {
  gh: number;
  gw: number;
  pw: number;
  cs: number;
}

/** Straight-line conv for one layer and one frame size; inputs `a` (first ca channels) then `b`. */
export function compileConv(L: FixedLayer, ca: number, g: Geometry): ConvFn {
  if (L.kind !== 'conv') throw new Error(`compileConv: ${L.name} is a ${L.kind}`);
  const { gh, gw, pw, cs } = g, k = L.k, p = (k - 1) >> 1;
  const lines: string[] = [];
  const used = new Set<number>();
  for (let co = 0; co < L.cout; co++) {
    for (let t = 0; t < L.cin * k * k; t++) if (L.w[co * L.cin * k * k + t] !== 0) used.add(t);
  }
  for (const t of [...used].sort((x, y) => x - y)) {
    const ci = Math.floor(t / (k * k)), ky = Math.floor((t % (k * k)) / k), kx = t % k;
    const off = (ci < ca ? ci : ci - ca) * cs + (ky - p) * pw + (kx - p);
    lines.push(`const v${t} = ${ci < ca ? 'a' : 'b'}[q + ${off}];`);
  }
  for (let co = 0; co < L.cout; co++) {
    const terms: string[] = [String(L.bias[co])];
    for (let t = 0; t < L.cin * k * k; t++) {
      const w = L.w[co * L.cin * k * k + t];
      if (w !== 0) terms.push(`${w} * v${t}`);
    }
    const half = 2 ** (L.shift[co] - 1), inv = 2 ** -L.shift[co];
    lines.push(`t = Math.floor(((${terms.join(' + ')}) * ${L.M[co]} + ${half}) * ${inv});`);
    lines.push(`out[q + ${co * cs}] = t < ${L.lo} ? ${L.lo} : t > ${L.hi} ? ${L.hi} : t;`);
  }
  const body = `let t = 0;
for (let i = 0; i < ${gh}; i++) {
  for (let q = (i + 1) * ${pw} + 1, e = q + ${gw}; q < e; q++) {
${lines.map((l) => '    ' + l).join('\n')}
  }
}`;
  return new Function('a', 'b', 'out', body) as ConvFn;
}

export class FixedNet {
  private geo?: Geometry;
  private fns = new Map<string, ConvFn>();
  private state: Float64Array[] = [];
  private started = false;
  constructor(
    readonly net: NetWeights,
    /** Reset the state before every frame (the single-frame ablation). */
    readonly singleFrame = net.singleFrame,
  ) {}

  reset(): void {
    this.started = false;
  }

  private setup(gh: number, gw: number): Geometry {
    if (this.geo && this.geo.gh === gh && this.geo.gw === gw) return this.geo;
    const pw = gw + 2;
    this.geo = { gh, gw, pw, cs: pw * (gh + 2) };
    this.fns.clear();
    this.started = false;
    return this.geo;
  }

  private fn(name: string, ca: number): ConvFn {
    let f = this.fns.get(name);
    if (!f) {
      f = compileConv(this.net.fixed.get(name)!, ca, this.geo!);
      this.fns.set(name, f);
    }
    return f;
  }

  /** One LR luma frame (uint8, even size) → HR luma uint8 (1.5x). `trace` receives every intermediate tensor (unpadded C,H,W). */
  run(y8: Uint8Array, w: number, h: number, trace?: Record<string, Int32Array>): Uint8Array {
    if (w % 2 || h % 2) throw new ModelInputError(E.ODD_SIZE, `network input ${w}x${h}: width and height must be even`);
    if (y8.length !== w * h) throw new ModelInputError(E.SIZE_MISMATCH, `network input has ${y8.length} samples, expected ${w}x${h}`);
    const cfg = this.net.config, gh = h / 2, gw = w / 2;
    const geo = this.setup(gh, gw), { pw, cs } = geo;
    const hc = cfg.hidden_c;
    if (!this.started || this.singleFrame) {
      this.state = Array.from({ length: cfg.n_gcr }, () => new Float64Array(hc * cs));
      this.started = true;
    }
    const tr = trace ? (name: string, buf: Float64Array, c: number) => (trace[name] = unpad(buf, c, geo)) : undefined;
    // Section 2: space-to-depth, minus 128.
    const x0 = new Float64Array(4 * cs);
    let x = x0;
    for (let i = 0; i < gh; i++) {
      const r0 = 2 * i * w, r1 = r0 + w;
      for (let j = 0, q = (i + 1) * pw + 1; j < gw; j++, q++) {
        x[q] = y8[r0 + 2 * j] - 128;
        x[q + cs] = y8[r0 + 2 * j + 1] - 128;
        x[q + 2 * cs] = y8[r1 + 2 * j] - 128;
        x[q + 3 * cs] = y8[r1 + 2 * j + 1] - 128;
      }
    }
    tr?.('X0', x, 4);
    let cx = 4;
    cfg.feat_c.forEach((c, l) => {
      const out = new Float64Array(c * cs);
      this.fn(`feat${l}`, cx)(x, null, out);
      tr?.(`feat${l}`, out, c);
      x = out;
      cx = c;
    });
    const SIG = this.net.sigmoid, TANH = this.net.tanh;
    for (let g = 0; g < cfg.n_gcr; g++) {
      const hs = this.state[g];
      const pz = new Float64Array(hc * cs), pr = new Float64Array(hc * cs), pn = new Float64Array(hc * cs);
      this.fn(`gru${g}.z`, cx)(x, hs, pz);
      this.fn(`gru${g}.r`, cx)(x, hs, pr);
      // Borders: pz = pr = 0 and h = 0 give rh = 0 and h' = 0, so whole-buffer loops keep them 0.
      const rh = new Float64Array(hc * cs);
      for (let i = 0; i < rh.length; i++) rh[i] = (SIG[pr[i] + 128] * hs[i] + 128) >> 8;
      this.fn(`gru${g}.n`, cx)(x, rh, pn);
      const hn = new Float64Array(hc * cs);
      for (let i = 0; i < hn.length; i++) {
        const hv = hs[i], d = TANH[pn[i] + 128] - hv;
        const v = hv + ((SIG[pz[i] + 128] * d + 128) >> 8);
        hn[i] = v < -128 ? -128 : v > 127 ? 127 : v;
      }
      if (tr) {
        tr(`gru${g}.pz`, pz, hc);
        tr(`gru${g}.z`, pz.map((v) => SIG[v + 128]), hc);
        tr(`gru${g}.pr`, pr, hc);
        tr(`gru${g}.r`, pr.map((v) => SIG[v + 128]), hc);
        tr(`gru${g}.rh`, rh, hc);
        tr(`gru${g}.pn`, pn, hc);
        tr(`gru${g}.n`, pn.map((v) => TANH[v + 128]), hc);
        tr(`gru${g}.h`, hn, hc);
      }
      this.state[g] = hn;
      x = hn;
      cx = hc;
    }
    const W = 3 * gw, H = 3 * gh;
    const skip = skipUpscale(y8, w, h);
    const out = new Uint8Array(W * H);
    const head = this.net.fixed.get('head')!;
    // head_x0: the head's input is [H, X0] (fixed-point.md 4.4): X0 as the conv's second input.
    const hx0 = cfg.head_x0 ? x0 : null;
    if (head.kind === 'deconv') {
      const res = deconvFixed(x, cx, hx0, geo, head);
      if (trace) trace.head = Int32Array.from(res);
      for (let i = 0; i < out.length; i++) {
        const v = skip[i] + res[i];
        out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    } else {
      const r9 = new Float64Array(9 * cs);
      this.fn('head', cx)(x, hx0, r9);
      tr?.('head', r9, 9);
      for (let Y = 0; Y < H; Y++) {
        const i = (Y / 3) | 0, py = Y - 3 * i;
        for (let X = 0; X < W; X++) {
          const j = (X / 3) | 0, px = X - 3 * j;
          const v = skip[Y * W + X] + r9[(3 * py + px) * cs + (i + 1) * pw + j + 1];
          out[Y * W + X] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
      }
    }
    if (trace) {
      trace.skip = Int32Array.from(skip);
      trace.out = Int32Array.from(out);
    }
    return out;
  }
}

/** Transposed conv (stride 3, padding (K-3)/2, gather form) + requantisation → RES (3gh x 3gw). Input channels: `a` (first ca), then `b`. */
function deconvFixed(a: Float64Array, ca: number, b: Float64Array | null, geo: Geometry, L: FixedLayer): Float64Array {
  const { gh, gw, pw, cs } = geo, K = L.k, P = (K - 3) >> 1, W = 3 * gw, H = 3 * gh;
  const acc = new Float64Array(W * H).fill(L.bias[0]);
  for (let ci = 0; ci < L.cin; ci++) {
    for (let ky = 0; ky < K; ky++) {
      for (let kx = 0; kx < K; kx++) {
        const wv = L.w[(ci * K + ky) * K + kx];
        if (wv === 0) continue;
        const hbuf = ci < ca ? a : b!;
        for (let i = 0; i < gh; i++) {
          const y = 3 * i - P + ky;
          if (y < 0 || y >= H) continue;
          const src = (ci < ca ? ci : ci - ca) * cs + (i + 1) * pw + 1;
          for (let j = 0; j < gw; j++) {
            const xx = 3 * j - P + kx;
            if (xx >= 0 && xx < W) acc[y * W + xx] += wv * hbuf[src + j];
          }
        }
      }
    }
  }
  const M = L.M[0], half = 2 ** (L.shift[0] - 1), inv = 2 ** -L.shift[0];
  for (let i = 0; i < acc.length; i++) {
    const t = Math.floor((acc[i] * M + half) * inv);
    acc[i] = t < L.lo ? L.lo : t > L.hi ? L.hi : t;
  }
  return acc;
}

function unpad(buf: Float64Array, c: number, g: Geometry): Int32Array {
  const out = new Int32Array(c * g.gh * g.gw);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < g.gh; i++) {
      for (let j = 0; j < g.gw; j++) out[(ch * g.gh + i) * g.gw + j] = buf[ch * g.cs + (i + 1) * g.pw + j + 1];
    }
  }
  return out;
}
