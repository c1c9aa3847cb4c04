// The committed reference vectors (test/fixtures/net/*.ref.json, written by
// train/make_reference.py) follow docs/fixed-point.md step by step: every traced integer
// tensor is recomputed here from its inputs with the spec's formulas, independently of
// train/fixed_ref.py and of model/net.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(ROOT, 'test', 'fixtures', 'net');

interface Tensor { shape: number[]; data: number[] }
interface Ref {
  format: string; weights: string; lr_w: number; lr_h: number; hr_w: number; hr_h: number; frames: number;
  single_frame: boolean; lr_y8: number[][]; float_out: number[][]; int_out: number[][];
  int_trace?: Record<string, Tensor>[];
}
interface Layer { name: string; kind: string; cin: number; cout: number; k: number; w: number[]; bias: number[]; M: number[]; shift: number[]; lo: number; hi: number }
interface Weights { config: { feat_c: number[]; n_gcr: number; hidden_c: number; upsample_mode: string; head_x0?: boolean }; luts: { sigmoid: number[]; tanh: number[] }; fixed: { layers: Layer[] } }

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Section 3: zero-padded stride-1 conv + (acc*M + 2^(S-1)) >> S, saturated. */
function conv(L: Layer, x: number[], h: number, w: number): number[] {
  const p = (L.k - 1) / 2, out = new Array<number>(L.cout * h * w);
  for (let co = 0; co < L.cout; co++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        let acc = L.bias[co];
        for (let ci = 0; ci < L.cin; ci++) {
          for (let ky = 0; ky < L.k; ky++) {
            const y = i + ky - p;
            if (y < 0 || y >= h) continue;
            for (let kx = 0; kx < L.k; kx++) {
              const xx = j + kx - p;
              if (xx < 0 || xx >= w) continue;
              acc += L.w[((co * L.cin + ci) * L.k + ky) * L.k + kx] * x[(ci * h + y) * w + xx];
            }
          }
        }
        const S = L.shift[co];
        out[(co * h + i) * w + j] = clamp(Math.floor((acc * L.M[co] + 2 ** (S - 1)) / 2 ** S), L.lo, L.hi);
      }
    }
  }
  return out;
}

/** Section 4.4 deconv head in gather form: stride 3, padding P = (K-3)/2, one output channel. */
function deconv(L: Layer, x: number[], gh: number, gw: number): number[] {
  const K = L.k, P = (K - 3) / 2, H = 3 * gh, W = 3 * gw, out: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let xx = 0; xx < W; xx++) {
      let acc = L.bias[0];
      for (let i = 0; i < gh; i++) {
        const ky = y + P - 3 * i;
        if (ky < 0 || ky >= K) continue;
        for (let j = 0; j < gw; j++) {
          const kx = xx + P - 3 * j;
          if (kx < 0 || kx >= K) continue;
          for (let ci = 0; ci < L.cin; ci++) acc += L.w[(ci * K + ky) * K + kx] * x[(ci * gh + i) * gw + j];
        }
      }
      const S = L.shift[0];
      out.push(clamp(Math.floor((acc * L.M[0] + 2 ** (S - 1)) / 2 ** S), L.lo, L.hi));
    }
  }
  return out;
}

/** Section 4.5 skip, straight from the per-axis tap table. */
function skip(y8: number[], H: number, W: number): number[] {
  const taps = (n: number, o: number): [number, number][] => {
    const k = Math.floor(o / 3), p = o % 3, c = (i: number) => clamp(i, 0, n - 1);
    if (p === 0) return [[c(2 * k - 1), 11], [c(2 * k), 53]];
    if (p === 1) return [[c(2 * k), 32], [c(2 * k + 1), 32]];
    return [[c(2 * k + 1), 53], [c(2 * k + 2), 11]];
  };
  const out: number[] = [];
  for (let y = 0; y < (H * 3) / 2; y++) {
    for (let x = 0; x < (W * 3) / 2; x++) {
      let s = 0;
      for (const [ry, wy] of taps(H, y)) for (const [rx, wx] of taps(W, x)) s += wy * wx * y8[ry * W + rx];
      out.push((s + 2048) >> 12);
    }
  }
  return out;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.ref.json')).sort();

describe('network reference vectors (test/fixtures/net)', () => {
  it('exist for the default network', () => assert.ok(files.includes('crnn_q8.ref.json'), files.join(', ')));

  for (const f of files) {
    it(`${f}: every traced tensor and the output follow the spec`, () => {
      const ref = JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Ref;
      assert.equal(ref.format, 'screen-crnn-reference');
      const wj = JSON.parse(readFileSync(join(ROOT, ref.weights), 'utf8')) as Weights;
      const layers = new Map(wj.fixed.layers.map((L) => [L.name, L]));
      const { lr_w: W, lr_h: H, hr_w: HW } = ref;
      const gh = H / 2, gw = W / 2, cells = gh * gw, hc = wj.config.hidden_c;
      assert.equal(ref.int_out.length, ref.frames);
      let state: number[][] = [];
      for (let t = 0; t < ref.frames; t++) {
        const y8 = ref.lr_y8[t];
        const sk = skip(y8, H, W);
        const tr = ref.int_trace?.[t];
        if (t === 0 || ref.single_frame) state = Array.from({ length: wj.config.n_gcr }, () => new Array<number>(hc * cells).fill(0));
        if (tr) {
          assert.deepEqual(tr.skip.data, sk, `frame ${t} skip`);
          // section 2: space-to-depth, c = 2*dy + dx
          const x0 = [0, 1, 2, 3].flatMap((c) => Array.from({ length: cells }, (_, n) => y8[(2 * Math.floor(n / gw) + (c >> 1)) * W + 2 * (n % gw) + (c & 1)] - 128));
          assert.deepEqual(tr.X0.data, x0, `frame ${t} X0`);
          let x = x0;
          wj.config.feat_c.forEach((_, i) => {
            x = conv(layers.get(`feat${i}`)!, x, gh, gw);
            assert.deepEqual(tr[`feat${i}`].data, x, `frame ${t} feat${i}`);
          });
          for (let g = 0; g < wj.config.n_gcr; g++) {
            const h = state[g];
            const pz = conv(layers.get(`gru${g}.z`)!, [...x, ...h], gh, gw);
            const pr = conv(layers.get(`gru${g}.r`)!, [...x, ...h], gh, gw);
            const z = pz.map((q) => wj.luts.sigmoid[q + 128]);
            const r = pr.map((q) => wj.luts.sigmoid[q + 128]);
            const rh = r.map((v, i) => (v * h[i] + 128) >> 8);
            const pn = conv(layers.get(`gru${g}.n`)!, [...x, ...rh], gh, gw);
            const n = pn.map((q) => wj.luts.tanh[q + 128]);
            const hn = h.map((v, i) => clamp(v + ((z[i] * (n[i] - v) + 128) >> 8), -128, 127));
            for (const [k, v] of Object.entries({ pz, z, pr, r, rh, pn, n, h: hn })) assert.deepEqual(tr[`gru${g}.${k}`].data, v, `frame ${t} gru${g}.${k}`);
            state[g] = hn;
            x = hn;
          }
          // section 4.4: with head_x0 the head reads [H, X0]
          const hin = wj.config.head_x0 ? [...x, ...x0] : x;
          if (wj.config.upsample_mode === 'pixelshuffle') {
            const r9 = conv(layers.get('head')!, hin, gh, gw);
            assert.deepEqual(tr.head.data, r9, `frame ${t} head`);
            // depth-to-space: RES[3i+py][3j+px] = RES9[3py+px][i][j]
            const res = sk.map((_, o) => {
              const yy = Math.floor(o / HW), xx = o % HW;
              return r9[((3 * (yy % 3) + (xx % 3)) * gh + Math.floor(yy / 3)) * gw + Math.floor(xx / 3)];
            });
            assert.deepEqual(tr.res.data, res, `frame ${t} res`);
          } else {
            const res = deconv(layers.get('head')!, hin, gh, gw);
            assert.deepEqual(tr.res.data, res, `frame ${t} deconv res`);
          }
        }
        const res = tr ? tr.res.data : null;
        if (res) assert.deepEqual(ref.int_out[t], sk.map((s, i) => clamp(s + res[i], 0, 255)), `frame ${t} output`);
        // float model output stays close to the integer one (quantisation noise only)
        const mad = ref.float_out[t].reduce((a, v, i) => a + Math.abs(v - ref.int_out[t][i]), 0) / ref.float_out[t].length;
        assert.ok(mad < 2, `frame ${t}: float vs integer mean |diff| ${mad}`);
      }
    });
  }
});
