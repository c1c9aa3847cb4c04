// Fast bit-exact fixed-point CRNN: same arithmetic as fixed.ts (docs/fixed-point.md),
// convs compiled to WebAssembly SIMD (wasm-conv.ts), the per-element GRU maths to
// scalar WebAssembly (wasm-gru.ts); space-to-depth, skip and depth-to-space in JS over
// the same int16 memory.
// Memory layout per frame size: HWC int16 tensors with a zero border of one cell.
// GRU g keeps one tensor with three 8-aligned channel slots [X | H | RH]: the gate
// convs read X,H and the candidate conv X,RH from it with no concatenation copies,
// and the H slot is the recurrent state carried from frame to frame. With head_x0 the last
// GRU's tensor has a fourth slot holding a copy of X0, so the head conv reads [H, X0] from
// one tensor (fixed-point.md 4.4).
import { ModelInputError, E } from '../errors.ts';
import type { NetWeights } from './weights.ts';
import { buildModule, type FuncDef } from './wasm-asm.ts';
import { convFunc, type ConvPlan } from './wasm-conv.ts';
import { gruRhFunc, gruUpdateFunc, type GruLayout } from './wasm-gru.ts';
import { skipUpscale } from './skip.ts';

const c8 = (n: number) => Math.ceil(n / 8) * 8;

interface Tensor {
  /** Offset in int16 units. */
  at: number;
  cp: number;
}

type Kernel = (inPtr: number, outPtr: number) => void;

let simd: boolean | undefined;

/** True when this JavaScript engine runs WebAssembly SIMD (i32x4.dot_i16x8_s). */
export function wasmSimdAvailable(): boolean {
  simd ??= probeSimd();
  return simd;
}

function probeSimd(): boolean {
  try {
    const m = buildModule([convFunc('t', { layer: { name: 't', role: 'feat', kind: 'conv', cin: 1, cout: 1, k: 1, w: Int32Array.of(1), bias: Float64Array.of(0), M: Int32Array.of(16384), shift: Int32Array.of(14), lo: 0, hi: 1, accBits: 8 }, inMap: [0], cpIn: 8, cpOut: 8, oc0: 0 }, { gh: 1, gw: 1 })]);
    return WebAssembly.validate(m);
  } catch {
    return false;
  }
}

export class FixedNetWasm {
  private gh = -1;
  private gw = -1;
  private m16 = new Int16Array(0);
  private kernels = new Map<string, Kernel>();
  private t: Record<string, Tensor> = {};
  private started = false;
  private skipBuf = new Uint8Array(0);

  constructor(
    readonly net: NetWeights,
    readonly singleFrame = net.singleFrame,
  ) {}

  reset(): void {
    this.started = false;
  }

  private slots(g: number) {
    const cfg = this.net.config;
    const cx = g === 0 ? (cfg.feat_c.length ? cfg.feat_c[cfg.feat_c.length - 1] : 4) : cfg.hidden_c;
    const base = c8(cx) + 2 * c8(cfg.hidden_c);
    const x0 = cfg.head_x0 && g === cfg.n_gcr - 1 ? base : -1;
    return { cx, h: c8(cx), rh: c8(cx) + c8(cfg.hidden_c), x0, cp: x0 >= 0 ? base + 8 : base };
  }

  private setup(gh: number, gw: number): void {
    if (gh === this.gh && gw === this.gw) return;
    const cfg = this.net.config, hc = cfg.hidden_c, nf = cfg.feat_c.length;
    const cells = (gh + 2) * (gw + 2);
    // Bytes 0..2047: the sigmoid and tanh LUTs as i32 tables for the GRU kernels.
    let top = 1024;
    const alloc = (cp: number): Tensor => {
      const t = { at: top, cp };
      top += cells * cp + 32; // slack: the last cell's 8-lane loads may run past its channels
      top = Math.ceil(top / 8) * 8;
      return t;
    };
    const t: Record<string, Tensor> = {};
    for (let g = 0; g < cfg.n_gcr; g++) t[`G${g}`] = alloc(this.slots(g).cp);
    t.X0 = nf ? alloc(4) : t.G0;
    for (let l = 0; l < nf - 1; l++) t[`F${l}`] = alloc(c8(cfg.feat_c[l]));
    for (const n of ['PZ', 'PR', 'PN']) t[n] = alloc(c8(hc));
    if (cfg.upsample_mode === 'pixelshuffle') t.HEAD = alloc(16);
    const bytes = top * 2;
    const mem = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
    this.kernels.clear();
    const plans: [string, ConvPlan, string, string][] = [];
    const id = (n: number) => Array.from({ length: n }, (_, i) => i);
    const lay = (n: string) => this.net.fixed.get(n)!;
    for (let l = 0; l < nf; l++) {
      const src = l === 0 ? 'X0' : `F${l - 1}`, dst = l === nf - 1 ? 'G0' : `F${l}`;
      plans.push([`feat${l}`, { layer: lay(`feat${l}`), inMap: id(lay(`feat${l}`).cin), cpIn: t[src].cp, cpOut: t[dst].cp, oc0: 0 }, src, dst]);
    }
    for (let g = 0; g < cfg.n_gcr; g++) {
      const s = this.slots(g), G = `G${g}`;
      const mapH = id(s.cx + hc).map((ci) => (ci < s.cx ? ci : s.h + ci - s.cx));
      const mapR = id(s.cx + hc).map((ci) => (ci < s.cx ? ci : s.rh + ci - s.cx));
      plans.push([`gru${g}.z`, { layer: lay(`gru${g}.z`), inMap: mapH, cpIn: s.cp, cpOut: c8(hc), oc0: 0 }, G, 'PZ']);
      plans.push([`gru${g}.r`, { layer: lay(`gru${g}.r`), inMap: mapH, cpIn: s.cp, cpOut: c8(hc), oc0: 0 }, G, 'PR']);
      plans.push([`gru${g}.n`, { layer: lay(`gru${g}.n`), inMap: mapR, cpIn: s.cp, cpOut: c8(hc), oc0: 0 }, G, 'PN']);
    }
    if (t.HEAD) {
      const s = this.slots(cfg.n_gcr - 1);
      const inMap = id(lay('head').cin).map((c) => (c < hc ? s.h + c : s.x0 + c - hc));
      plans.push(['head', { layer: lay('head'), inMap, cpIn: s.cp, cpOut: 16, oc0: 0 }, `G${cfg.n_gcr - 1}`, 'HEAD']);
    }
    const funcs: FuncDef[] = plans.map(([name, plan]) => convFunc(name.replace('.', '_'), plan, { gh, gw }));
    for (let g = 0; g < cfg.n_gcr; g++) {
      const s = this.slots(g), G = t[`G${g}`], nx = t[`G${g + 1}`];
      const gl: GruLayout = {
        gh, gw, hc, g: G.at * 2, gcp: G.cp, hSlot: s.h, rhSlot: s.rh, pz: t.PZ.at * 2, pr: t.PR.at * 2, pn: t.PN.at * 2, pcp: t.PZ.cp,
        next: nx ? { at: nx.at * 2, cp: nx.cp } : null, sig: 0, tanh: 1024,
      };
      funcs.push(gruRhFunc(`gru${g}_rh`, gl), gruUpdateFunc(`gru${g}_update`, gl));
    }
    const inst = new WebAssembly.Instance(new WebAssembly.Module(buildModule(funcs)), { env: { mem } });
    const luts = new Int32Array(mem.buffer, 0, 512);
    luts.set(this.net.sigmoid, 0);
    luts.set(this.net.tanh, 256);
    for (let g = 0; g < cfg.n_gcr; g++) {
      for (const k of ['rh', 'update']) {
        const f = inst.exports[`gru${g}_${k}`] as () => void;
        this.kernels.set(`gru${g}.${k}`, () => f());
      }
    }
    for (const [name, , src, dst] of plans) {
      const f = inst.exports[name.replace('.', '_')] as (a: number, b: number) => void;
      const a = t[src].at * 2, b = t[dst].at * 2;
      this.kernels.set(name, () => f(a, b));
    }
    this.m16 = new Int16Array(mem.buffer);
    this.t = t;
    this.gh = gh;
    this.gw = gw;
    this.started = false;
    this.skipBuf = new Uint8Array(9 * gh * gw);
  }

  /** Same contract as FixedNet.run (bit-identical results). */
  run(y8: Uint8Array, w: number, h: number, trace?: Record<string, Int32Array>): Uint8Array {
    if (w % 2 || h % 2) throw new ModelInputError(E.ODD_SIZE, `network input ${w}x${h}: width and height must be even`);
    if (y8.length !== w * h) throw new ModelInputError(E.SIZE_MISMATCH, `network input has ${y8.length} samples, expected ${w}x${h}`);
    const gh = h / 2, gw = w / 2;
    this.setup(gh, gw);
    const cfg = this.net.config, hc = cfg.hidden_c, nf = cfg.feat_c.length, pw = gw + 2;
    const m = this.m16, t = this.t;
    if (!this.started || this.singleFrame) {
      for (let g = 0; g < cfg.n_gcr; g++) {
        const G = t[`G${g}`];
        m.fill(0, G.at, G.at + (gh + 2) * pw * G.cp);
      }
      this.started = true;
    }
    const tr = trace ? (name: string, T: Tensor, ch0: number, n: number, f?: (v: number) => number) => (trace[name] = unpad(m, T, ch0, n, gh, gw, f)) : undefined;
    const X0 = t.X0;
    for (let i = 0; i < gh; i++) {
      const r0 = 2 * i * w, r1 = r0 + w;
      for (let j = 0, a = X0.at + ((i + 1) * pw + 1) * X0.cp; j < gw; j++, a += X0.cp) {
        m[a] = y8[r0 + 2 * j] - 128;
        m[a + 1] = y8[r0 + 2 * j + 1] - 128;
        m[a + 2] = y8[r1 + 2 * j] - 128;
        m[a + 3] = y8[r1 + 2 * j + 1] - 128;
      }
    }
    tr?.('X0', X0, 0, 4);
    const ls = this.slots(cfg.n_gcr - 1), last = t[`G${cfg.n_gcr - 1}`];
    if (ls.x0 >= 0) copyX0(m, X0, last, ls.x0, gh, gw);
    for (let l = 0; l < nf; l++) {
      this.kernels.get(`feat${l}`)!(0, 0);
      if (tr) tr(`feat${l}`, l === nf - 1 ? t.G0 : t[`F${l}`], 0, cfg.feat_c[l]);
    }
    const SIG = this.net.sigmoid, TANH = this.net.tanh;
    const PZ = t.PZ, PR = t.PR, PN = t.PN;
    for (let g = 0; g < cfg.n_gcr; g++) {
      const s = this.slots(g), G = t[`G${g}`];
      this.kernels.get(`gru${g}.z`)!(0, 0);
      this.kernels.get(`gru${g}.r`)!(0, 0);
      this.kernels.get(`gru${g}.rh`)!(0, 0);
      this.kernels.get(`gru${g}.n`)!(0, 0);
      if (tr) {
        tr(`gru${g}.pz`, PZ, 0, hc);
        tr(`gru${g}.z`, PZ, 0, hc, (v) => SIG[v + 128]);
        tr(`gru${g}.pr`, PR, 0, hc);
        tr(`gru${g}.r`, PR, 0, hc, (v) => SIG[v + 128]);
        tr(`gru${g}.rh`, G, s.rh, hc);
        tr(`gru${g}.pn`, PN, 0, hc);
        tr(`gru${g}.n`, PN, 0, hc, (v) => TANH[v + 128]);
      }
      this.kernels.get(`gru${g}.update`)!(0, 0);
      tr?.(`gru${g}.h`, G, s.h, hc);
    }
    const W = 3 * gw, H = 3 * gh;
    const skip = skipUpscale(y8, w, h, this.skipBuf);
    const out = new Uint8Array(W * H);
    if (t.HEAD) {
      this.kernels.get('head')!(0, 0);
      tr?.('head', t.HEAD, 0, 9);
      const HD = t.HEAD;
      for (let i = 0; i < gh; i++) {
        for (let py = 0; py < 3; py++) {
          const Y = 3 * i + py;
          let a = HD.at + ((i + 1) * pw + 1) * 16 + 3 * py, o = Y * W;
          for (let j = 0; j < gw; j++, a += 16) {
            for (let px = 0; px < 3; px++, o++) {
              const v = skip[o] + m[a + px];
              out[o] = v < 0 ? 0 : v > 255 ? 255 : v;
            }
          }
        }
      }
    } else {
      const res = deconvHwc(m, last, ls.h, ls.x0, hc, gh, gw, this.net.fixed.get('head')!);
      if (trace) trace.head = Int32Array.from(res);
      for (let i = 0; i < out.length; i++) {
        const v = skip[i] + res[i];
        out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    if (trace) {
      trace.skip = Int32Array.from(skip);
      trace.out = Int32Array.from(out);
    }
    return out;
  }
}

/** X0 (4 channels) into slot `ch0` of tensor D, interior cells only (borders stay 0). */
function copyX0(m: Int16Array, X0: Tensor, D: Tensor, ch0: number, gh: number, gw: number): void {
  const pw = gw + 2;
  for (let i = 1; i <= gh; i++) {
    for (let j = 1, a = X0.at + (i * pw + 1) * X0.cp, d = D.at + (i * pw + 1) * D.cp + ch0; j <= gw; j++, a += X0.cp, d += D.cp) {
      m[d] = m[a];
      m[d + 1] = m[a + 1];
      m[d + 2] = m[a + 2];
      m[d + 3] = m[a + 3];
    }
  }
}

/** Deconv head over the hc channels at slot `ch0` of T, then (x0Slot >= 0) the 4 X0 channels at slot x0Slot. */
function deconvHwc(m: Int16Array, T: Tensor, ch0: number, x0Slot: number, hc: number, gh: number, gw: number, L: import('./weights.ts').FixedLayer): Int32Array {
  const K = L.k, P = (K - 3) >> 1, W = 3 * gw, H = 3 * gh, pw = gw + 2;
  const acc = new Float64Array(W * H).fill(L.bias[0]);
  for (let ci = 0; ci < L.cin; ci++) {
    for (let ky = 0; ky < K; ky++) {
      for (let kx = 0; kx < K; kx++) {
        const wv = L.w[(ci * K + ky) * K + kx];
        if (wv === 0) continue;
        for (let i = 0; i < gh; i++) {
          const y = 3 * i - P + ky;
          if (y < 0 || y >= H) continue;
          const src = T.at + ((i + 1) * pw + 1) * T.cp + (ci < hc ? ch0 + ci : x0Slot + ci - hc);
          for (let j = 0; j < gw; j++) {
            const x = 3 * j - P + kx;
            if (x >= 0 && x < W) acc[y * W + x] += wv * m[src + j * T.cp];
          }
        }
      }
    }
  }
  const out = new Int32Array(W * H);
  const M = L.M[0], half = 2 ** (L.shift[0] - 1), inv = 2 ** -L.shift[0];
  for (let i = 0; i < acc.length; i++) {
    const v = Math.floor((acc[i] * M + half) * inv);
    out[i] = v < L.lo ? L.lo : v > L.hi ? L.hi : v;
  }
  return out;
}

function unpad(m: Int16Array, T: Tensor, ch0: number, n: number, gh: number, gw: number, f?: (v: number) => number): Int32Array {
  const out = new Int32Array(n * gh * gw), pw = gw + 2;
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < gh; i++) {
      for (let j = 0; j < gw; j++) {
        const v = m[T.at + ((i + 1) * pw + j + 1) * T.cp + ch0 + c];
        out[(c * gh + i) * gw + j] = f ? f(v) : v;
      }
    }
  }
  return out;
}
