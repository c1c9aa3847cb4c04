// Exported network weights (weights/crnn*.json) obey docs/fixed-point.md: integer ranges,
// multiplier/shift ranges, LUT formulas, accumulator widths, and the integer parameters
// really are the quantised float ones. Self-contained on purpose (no model/ imports), so it
// checks the files against the spec text rather than against another implementation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WEIGHTS = join(ROOT, 'weights');

interface FixedLayer {
  name: string; role: string; kind: string; cin: number; cout: number; k: number;
  w: number[]; bias: number[]; M: number[]; shift: number[]; lo: number; hi: number;
  in_scale: number; out_scale: number; w_scale: number[]; acc_bits: number;
}
interface FloatLayer { name: string; cin: number; cout: number; k: number; w: number[]; b: number[] }
interface WeightsDoc {
  format: string; version: number; quant_bits: number;
  config: { feat_c: number[]; quant_bits: number; hidden_c: number; n_gcr: number; head_x0?: boolean; head_x0_bits?: number };
  profile: { macs_per_cell: number; macs_per_lr_px: number; params: number };
  luts: { sigmoid: number[]; tanh: number[] };
  float: { feat_alpha: number[]; layers: FloatLayer[] };
  fixed: { layers: FixedLayer[] };
}

const files = readdirSync(WEIGHTS).filter((f) => /^crnn.*\.json$/.test(f)).sort();
const RANGE: Record<string, [number, number]> = { feat: [0, 127], gate: [-128, 127], cand: [-128, 127], head: [-128, 127] };

describe('network weights files (docs/fixed-point.md)', () => {
  it('at least the default 8-bit network is exported', () => {
    assert.ok(files.includes('crnn_q8.json'), `weights/ has ${files.join(', ')}`);
  });

  for (const f of files) {
    describe(f, () => {
      const doc = JSON.parse(readFileSync(join(WEIGHTS, f), 'utf8')) as WeightsDoc;
      const bits = doc.quant_bits;
      const qmax = 2 ** (bits - 1) - 1;
      // section 3: the head's X0 input channels (the last 4) may use head_x0_bits at the same scale
      const xBits = doc.config.head_x0 && doc.config.head_x0_bits !== undefined ? doc.config.head_x0_bits : bits;
      const qx = 2 ** (xBits - 1) - 1;
      const isX0 = (L: FixedLayer, i: number) => L.role === 'head' && L.kind === 'conv' && i % (L.cin * L.k * L.k) >= (L.cin - 4) * L.k * L.k;
      const limit = (L: FixedLayer, i: number) => (isX0(L, i) ? qx : qmax);

      it('has the format header and matching bit width', () => {
        assert.equal(doc.format, 'screen-crnn-weights');
        assert.equal(doc.version, 1);
        assert.ok([8, 6, 4].includes(bits));
        assert.equal(doc.config.quant_bits, bits);
        if (doc.config.head_x0_bits !== undefined) assert.ok(doc.config.head_x0 && [4, 6, 8, 10, 12].includes(xBits) && xBits >= bits, `head_x0_bits ${xBits}`);
      });

      it('carries the sigmoid/tanh LUTs of section 4.3', () => {
        for (let q = -128; q < 128; q++) {
          const sig = Math.min(255, Math.max(0, Math.floor(256 / (1 + Math.exp(-q / 16)) + 0.5)));
          const th = Math.max(-127, Math.min(127, Math.floor(128 * Math.tanh(q / 32) + 0.5)));
          assert.equal(doc.luts.sigmoid[q + 128], sig, `sigmoid q=${q}`);
          assert.equal(doc.luts.tanh[q + 128], th, `tanh q=${q}`);
        }
      });

      it('has integer parameters inside their widths', () => {
        for (const L of doc.fixed.layers) {
          assert.equal(L.w.length, L.cout * L.cin * L.k * L.k, `${L.name} weight count`);
          assert.ok(L.w.every((v, i) => Number.isInteger(v) && Math.abs(v) <= limit(L, i)), `${L.name} weights within ±${qmax} (head X0 part ±${qx})`);
          assert.ok(L.M.every((m) => Number.isInteger(m) && m >= 2 ** 14 && m < 2 ** 15), `${L.name} M in [2^14,2^15)`);
          assert.ok(L.shift.every((s) => Number.isInteger(s) && s >= 1 && s <= 46), `${L.name} shift in [1,46]`);
          assert.deepEqual([L.lo, L.hi], RANGE[L.role], `${L.name} saturation range`);
          // accumulator bound of section 3: 128*sum|Wq| + |B| must fit acc_bits (signed) <= 24
          const per = L.k * L.k * L.cin;
          for (let c = 0; c < L.cout; c++) {
            let s = Math.abs(L.bias[c]);
            for (let i = 0; i < per; i++) s += 128 * Math.abs(L.w[c * per + i]);
            assert.ok(s < 2 ** (L.acc_bits - 1), `${L.name} ch ${c}: bound ${s} vs acc_bits ${L.acc_bits}`);
          }
          assert.ok(L.acc_bits <= 24, `${L.name} acc_bits ${L.acc_bits}`);
        }
      });

      it('integer weights, biases and multipliers are the quantised float parameters', () => {
        assert.equal(doc.float.layers.length, doc.fixed.layers.length);
        doc.fixed.layers.forEach((L, li) => {
          const F = doc.float.layers[li];
          assert.equal(F.name, L.name);
          const per = L.k * L.k * L.cin;
          for (let c = 0; c < L.cout; c++) {
            const ws = L.w_scale[c];
            let m = 0;
            for (let i = 0; i < per; i++) m = Math.max(m, Math.abs(F.w[c * per + i]) / limit(L, c * per + i));
            assert.ok(Math.abs(ws - m) <= 1e-6 * ws, `${L.name} ch ${c} weight scale`);
            for (let i = 0; i < per; i++) {
              assert.ok(Math.abs(L.w[c * per + i] - F.w[c * per + i] / ws) <= 0.5 + 1e-6, `${L.name} w[${c},${i}]`);
            }
            const accScale = L.in_scale * ws;
            assert.ok(Math.abs(L.bias[c] - F.b[c] / accScale) <= 0.5 + 1e-6, `${L.name} bias[${c}]`);
            const ratio = accScale / L.out_scale;
            const approx = L.M[c] / 2 ** L.shift[c];
            assert.ok(Math.abs(approx - ratio) <= ratio * 2 ** -14, `${L.name} M/shift ch ${c}: ${approx} vs ${ratio}`);
          }
        });
      });

      it('profile MACs and params match the layer shapes', () => {
        const macs = doc.fixed.layers.reduce((a, L) => a + L.cout * L.cin * L.k * L.k, 0);
        assert.equal(doc.profile.macs_per_cell, macs);
        assert.equal(doc.profile.macs_per_lr_px, macs / 4);
        const params = doc.fixed.layers.reduce((a, L) => a + L.w.length + L.cout, 0) + Math.max(doc.config.feat_c.length - 1, 0);
        assert.equal(doc.profile.params, params);
        assert.ok(doc.profile.macs_per_lr_px <= 1670, `${doc.profile.macs_per_lr_px} MACs/LR px exceeds the 720p30 budget`);
      });
    });
  }
});
