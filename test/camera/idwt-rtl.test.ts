// Inverse 5/3 DWT RTL (issue 7 item 4): the vertical and horizontal inverse lifting cores,
// bit-exact against the golden inverse (model/camera/dwt.ts inverse53) in Verilator under random
// backpressure, on coefficients of real Bayer fields (DAVIS val) made by the golden forward DWT;
// golden forward -> RTL inverse gives the field back exactly.
import assert from 'node:assert/strict';
import { forward53 } from '../../model/camera/dwt.ts';
import { mosaicFromImage, splitFields, type BayerMode } from '../../model/camera/bayer.ts';
import { readImage } from '../../model/io/image-file.ts';
import { packLanes } from '../../generators/blocks/bits.ts';
import type { PairBeat } from '../../generators/blocks/dwt53_h/model.ts';
import { buildIdwt53h } from '../../generators/blocks/idwt53_h/index.ts';
import { idwt53hModel } from '../../generators/blocks/idwt53_h/model.ts';
import { buildIdwt53v } from '../../generators/blocks/idwt53_v/index.ts';
import { idwt53vModel } from '../../generators/blocks/idwt53_v/model.ts';
import type { VBeat } from '../../generators/blocks/dwt53_v/model.ts';
import { buildDwt2d } from '../../generators/designs/camera/dwt2d.ts';
import { fieldBeats } from '../../generators/designs/camera/dwt2d-model.ts';
import { buildIdwt2d, IDWT2D_ERR_BITS } from '../../generators/designs/camera/idwt2d.ts';
import { idwt2dInputs, idwt2dModel } from '../../generators/designs/camera/idwt2d-model.ts';
import { forwardDwt } from '../../model/camera/dwt.ts';
import { assertSimCompare, runStreamSim, type Backpressure } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from '../blocks/rtl.ts';
import { DAVIS_VAL } from './helpers.ts';

const VARIANTS: { seed: number; backpressure?: Backpressure }[] = [
  { seed: 1 },
  { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } },
  { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } },
];

interface Field {
  width: number;
  height: number;
  data: Int32Array;
}

function davisField(seq: string, frame: number, mode: BayerMode, c: number): Field {
  const f = splitFields(mosaicFromImage(readImage(`${DAVIS_VAL}/${seq}/${String(frame).padStart(5, '0')}.jpg`), mode));
  return { width: f.width, height: f.height, data: f.planes[c] };
}

/** Rows of a plane, each through the golden forward53, as pair beats of Q pairs. */
function hCoefBeats(rows: number[][], Q: number): PairBeat[] {
  return rows.flatMap((r, y) => {
    const n = r.length, lo = new Int32Array(n / 2), hi = new Int32Array(n / 2);
    forward53(Int32Array.from(r), n, lo, hi);
    return Array.from({ length: n / 2 / Q }, (_, b) => ({ lo: [...lo.subarray(b * Q, b * Q + Q)], hi: [...hi.subarray(b * Q, b * Q + Q)], last: b === n / 2 / Q - 1, user: y === 0 && b === 0 }));
  });
}

/**
 * A real field's horizontal low-pass plane L (w/2 x h, golden forward53 per row) and its
 * golden vertical transform as dwt53_v output beats (K columns per beat: lo = LL, hi = LH).
 */
function vCoefBeats(f: Field, K: number): { L: Int32Array; w: number; beats: VBeat[] } {
  const w = f.width / 2, h = f.height;
  const L = new Int32Array(w * h), lo = new Int32Array(Math.max(w, h)), hi = new Int32Array(Math.max(w, h));
  for (let y = 0; y < h; y++) {
    forward53(f.data.subarray(y * f.width, (y + 1) * f.width), f.width, lo, hi);
    L.set(lo.subarray(0, w), y * w);
  }
  const LL = new Int32Array((w * h) / 2), LH = new Int32Array((w * h) / 2), col = new Int32Array(h);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) col[y] = L[y * w + x];
    forward53(col, h, lo, hi);
    for (let i = 0; i < h / 2; i++) {
      LL[i * w + x] = lo[i];
      LH[i * w + x] = hi[i];
    }
  }
  const B = w / K;
  const beats = Array.from({ length: (h / 2) * B }, (_, n) => {
    const i = Math.floor(n / B), c = n % B, at = i * w + c * K;
    return { lo: [...LL.subarray(at, at + K)], hi: [...LH.subarray(at, at + K)], last: c === B - 1, user: n === 0 };
  });
  return { L, w, beats };
}

const rowsOf = (f: Field, y0: number, n: number): number[][] => Array.from({ length: n }, (_, y) => [...f.data.subarray((y0 + y) * f.width, (y0 + y + 1) * f.width)]);

describe('camera inverse DWT block models', () => {
  it('idwt53_h inverts the hand-worked lifting line and the golden forward rows of a real field', () => {
    // forward [10, 20, 5, 0] -> lo [17, 7], hi [13, -5] (test/camera/dwt-rtl.test.ts)
    assert.deepEqual(idwt53hModel(1, [{ lo: [17], hi: [13], last: false, user: true }, { lo: [7], hi: [-5], last: true, user: false }]), [
      { lanes: [10, 20], last: false, user: true },
      { lanes: [5, 0], last: true, user: false },
    ]);
    const f = davisField('blackswan', 0, 'full', 0);
    const rows = rowsOf(f, 0, 4);
    assert.deepEqual(idwt53hModel(4, hCoefBeats(rows, 4)).flatMap((b) => b.lanes), rows.flat());
    const v = vCoefBeats(f, 4);
    assert.deepEqual(idwt53vModel({ lanes: 4, rows: f.height }, v.beats).flatMap((b) => b.lanes), [...v.L]);
    assert.throws(() => idwt53vModel({ lanes: 1, rows: 4 }, v.beats.slice(0, 1)), /expected 1/);
    assert.throws(() => idwt53hModel(2, [{ lo: [1], hi: [2], last: true, user: false }]), /beat 0 has 1 lo \/ 1 hi values, expected pairs=2/);
  });
});

describe('camera inverse DWT RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);

  it('is lint-clean (-Wall) and counts its flip-flops', () => {
    assert.throws(() => buildIdwt2d({ lanes: 6 }), /lanes = 6 must be a multiple of 4/);
    for (const b of [buildIdwt53h({ pairs: 1 }), buildIdwt53h({ pairs: 2 }), buildIdwt53h({ pairs: 32, inBits: 13, outBits: 12 }), buildIdwt53v({ lanes: 4 }), buildIdwt53v({ lanes: 1, inBits: 13, outBits: 13, maxBeats: 2, rowsBits: 2 }), buildIdwt2d({ lanes: 8, maxWidth: 64, rowsBits: 6 }), buildIdwt2d({ lanes: 4, maxWidth: 64, rowsBits: 6, ll1Only: true })]) {
      const e = emitToTemp(b.module, 'idwtlint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
  });

  for (const Q of [1, 2]) {
    it(`idwt53_h (Q = ${Q}) matches inverse53 on golden-forward rows of a real field (round trip exact) and on random coefficients`, async () => {
      const f = davisField('blackswan', 0, 'full', 0);
      const g = prng(31 + Q);
      const real = rowsOf(f, 17, 6);
      const ins = hCoefBeats(real, Q);
      // Random 12-bit coefficients (not a forward transform's): rows of 1, 2 and 37 groups.
      for (const n of [1, 2, 37])
        for (let b = 0; b < n; b++) ins.push({ lo: Array.from({ length: Q }, () => g.int(-2048, 2047)), hi: Array.from({ length: Q }, () => (g.bit(0.3) ? (g.bit(0.5) ? 2047 : -2048) : g.int(-2048, 2047))), last: b === n - 1, user: false });
      const want = idwt53hModel(Q, ins);
      assert.deepEqual(want.slice(0, (real.length * f.width) / (2 * Q)).flatMap((b) => b.lanes), real.flat(), 'golden round trip');
      const e = emitToTemp(buildIdwt53h({ pairs: Q, inBits: 12, outBits: 14 }).module, `idwth${Q}`);
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: ins.map((b) => ({ data: packLanes([...b.lo, ...b.hi], 12), last: b.last, user: b.user })) },
        model: () => ({ m_axis: want.map((b) => ({ data: packLanes(b.lanes, 14), last: b.last, user: b.user })) }),
        variants: VARIANTS,
      });
      const out = rep.runs[0].result.outputs.m_axis;
      assert.equal(out[out.length - 1].cycle - out[0].cycle, out.length - 1, 'full speed: one output beat per clock');
    });
  }

  it('idwt53_v (K = 4) matches inverse53 down the columns of a real field\'s golden coefficients (round trip to L exact)', async () => {
    const f = davisField('car-shadow', 5, 'subsampled', 3); // 208 x 120: L is 104 x 120
    const K = 4, v = vCoefBeats(f, K);
    const want = idwt53vModel({ lanes: K, rows: f.height }, v.beats);
    assert.deepEqual(want.flatMap((b) => b.lanes), [...v.L], 'golden round trip');
    const e = emitToTemp(buildIdwt53v({ lanes: K, inBits: 12, outBits: 12, maxBeats: 64, rowsBits: 8 }).module, 'idwtv4');
    const rep = await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: v.beats.map((b) => ({ data: packLanes([...b.lo, ...b.hi], 12), last: b.last, user: b.user })) },
      constInputs: { rows: f.height },
      model: () => ({ m_axis: want.map((b) => ({ data: packLanes(b.lanes, 12), last: b.last, user: b.user })) }),
      variants: VARIANTS,
    });
    const out = rep.runs[0].result.outputs.m_axis;
    assert.equal(out[out.length - 1].cycle - out[0].cycle, out.length - 1, 'full speed: one output beat per clock');
  });

  it('idwt53_v (K = 2) matches the model on random 13-bit coefficients: 2..5 beats, rows = 2 and 6, frames back to back', async () => {
    const g = prng(41);
    const e = emitToTemp(buildIdwt53v({ lanes: 2, inBits: 13, outBits: 15, maxBeats: 8, rowsBits: 4 }).module, 'idwtv2');
    const rnd = () => (g.bit(0.3) ? (g.bit(0.5) ? 4095 : -4096) : g.int(-4096, 4095));
    for (const rows of [2, 6]) {
      const ins: VBeat[] = [];
      for (const B of [2, 5, 3])
        for (let i = 0; i < rows / 2; i++)
          for (let c = 0; c < B; c++) ins.push({ lo: [rnd(), rnd()], hi: [rnd(), rnd()], last: c === B - 1, user: i === 0 && c === 0 });
      await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: ins.map((b) => ({ data: packLanes([...b.lo, ...b.hi], 13), last: b.last, user: b.user })) },
        constInputs: { rows },
        model: () => ({ m_axis: idwt53vModel({ lanes: 2, rows }, ins).map((b) => ({ data: packLanes(b.lanes, 15), last: b.last, user: b.user })) }),
        variants: VARIANTS,
      });
    }
  });

  describe('idwt2d (P = 4)', () => {
    let e: ReturnType<typeof emitToTemp>;
    before(() => {
      e = emitToTemp(buildIdwt2d({ lanes: 4, maxWidth: 512, rowsBits: 9 }).module, 'idwt2d4');
    });

    it('is lint-clean and equals the golden inverseDwt on golden-forward bands of real fields (round trip exact), under backpressure', async () => {
      assert.deepEqual(lintProblems(e), []);
      const fields = [davisField('blackswan', 0, 'subsampled', 0), davisField('kite-surf', 0, 'subsampled', 2)]; // 208 x 120
      const bands = fields.map((f) => forwardDwt(f.data, f.width, f.height));
      const want = idwt2dModel(4, 12, bands);
      assert.deepEqual(want, fields.flatMap((f) => fieldBeats(f, 4, 12)), 'golden round trip');
      await assertSimCompare({
        design: simDesign(e),
        inputs: idwt2dInputs(4, 12, 13, bands),
        constInputs: { rows: fields[0].height },
        model: () => ({ m_axis: want, err: [] }),
        variants: VARIANTS,
      });
    });

    it('ll1Only (the preview\'s stage-2 inverse) equals the golden inverseToLL1 on a real field', async () => {
      const f = davisField('scooter-black', 2, 'full', 3); // 416 x 240: LL1 208 x 120
      const bands = [forwardDwt(f.data, f.width, f.height)];
      const e1 = emitToTemp(buildIdwt2d({ lanes: 4, maxWidth: 512, rowsBits: 9, ll1Only: true }).module, 'idwt2d4ll1');
      assert.deepEqual(lintProblems(e1), []);
      const want = idwt2dModel(4, 12, bands, true);
      assert.equal(want.length, (208 / 2) * 120);
      await assertSimCompare({
        design: simDesign(e1),
        inputs: { s_axis_s2: idwt2dInputs(4, 12, 13, bands).s_axis_s2 },
        constInputs: { rows: f.height },
        model: () => ({ m_axis: want, err: [] }),
        variants: VARIANTS.slice(0, 2),
      });
    });

    it('ll1Only flags a truncated frame and a short row on `err`, never hangs, and is exact again on the next frame', async () => {
      const src = davisField('kite-surf', 0, 'full', 1);
      const W = 64, H = 32;
      const crop = (x0: number, y0: number) => {
        const data = new Int32Array(W * H);
        for (let y = 0; y < H; y++) data.set(src.data.subarray((y0 + y) * src.width + x0, (y0 + y) * src.width + x0 + W), y * W);
        return forwardDwt(data, W, H);
      };
      const [A, B, C, D, E] = [crop(0, 0), crop(100, 40), crop(200, 80), crop(300, 120), crop(350, 200)];
      const e1 = emitToTemp(buildIdwt2d({ lanes: 4, maxWidth: 64, rowsBits: 6, ll1Only: true }).module, 'idwt2d4ll1e');
      const ins = (b: typeof A) => idwt2dInputs(4, 12, 13, [b]).s_axis_s2; // 8 rows of 16 beats
      const truncated = ins(B).slice(0, 3 * 16);
      const short = ins(D);
      short.splice(3 * 16 + 15, 1); // row 3 loses its last beat and ends one beat early
      short[3 * 16 + 14] = { ...short[3 * 16 + 14], last: true };
      const good = (b: typeof A) => idwt2dModel(4, 12, [b], true).map((x) => x.data);
      // B's 3 input rows give LL1 rows 0..4; D's short row makes LL1 rows 5 and 6 one beat short.
      const n = 256 + 5 * 16 + 256 + 254 + 256;
      const r = await runStreamSim({
        design: simDesign(e1),
        inputs: { s_axis_s2: [...ins(A), ...truncated, ...ins(C), ...short, ...ins(E)] },
        constInputs: { rows: H },
        expect: { m_axis: n },
        seed: 8,
        backpressure: { inputGap: 0.2, outputStall: 0.3 },
      });
      const got = r.outputs.m_axis.map((b) => b.data);
      assert.equal(got.length, n);
      assert.deepEqual(got.slice(0, 256), good(A), 'frame A');
      assert.deepEqual(got.slice(336, 592), good(C), 'frame C after the truncated frame');
      assert.deepEqual(got.slice(-256), good(E), 'frame E after the short row');
      const flags = r.outputs.err.map((b) => IDWT2D_ERR_BITS.filter((_, k) => (b.data >> BigInt(k)) & 1n));
      assert.deepEqual(flags, [['s2_sof'], ['s2_row']]);
    });

    it('RTL forward (dwt2d) -> RTL inverse (idwt2d) gives a real full-mode field back exactly', async () => {
      const f = davisField('car-shadow', 5, 'full', 1); // 416 x 240
      const fwd = await runStreamSim({
        design: simDesign(emitToTemp(buildDwt2d({ lanes: 4, maxWidth: 512, rowsBits: 9 }).module, 'dwt2d4rt')),
        inputs: { s_axis: fieldBeats(f, 4, 10) },
        constInputs: { rows: f.height },
        expect: { m_axis_s1: (f.width / 4) * (f.height / 2), m_axis_s2: (f.width / 4) * (f.height / 4) },
        seed: 5,
        backpressure: { inputGap: 0.1, outputStall: 0.2 },
      });
      const strip = (bs: { data: bigint; last: boolean; user: number | bigint | boolean }[]) => bs.map((b) => ({ data: b.data, last: b.last, user: Number(b.user) }));
      const inv = await runStreamSim({
        design: simDesign(e),
        inputs: { s_axis_s1: strip(fwd.outputs.m_axis_s1), s_axis_s2: strip(fwd.outputs.m_axis_s2) },
        constInputs: { rows: f.height },
        expect: { m_axis: (f.width / 4) * f.height },
        seed: 6,
        backpressure: { inputGap: 0.2, outputStall: 0.3 },
      });
      assert.deepEqual(inv.outputs.m_axis.map((b) => b.data), fieldBeats(f, 4, 12).map((b) => b.data), 'field back bit for bit');
      assert.equal(inv.outputs.err.length, 0);
    });
  });
});
