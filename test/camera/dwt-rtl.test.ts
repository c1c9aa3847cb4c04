// Forward 5/3 DWT RTL (issue 7): the horizontal and vertical lifting cores and the 2-stage
// per-field design, bit-exact against the golden model (model/camera/dwt.ts) in Verilator on
// real Bayer fields from DAVIS val frames and on the worst-case patterns, under backpressure.
import assert from 'node:assert/strict';
import { BANDS, forward53, forwardDwt, STAGE_WIDTH } from '../../model/camera/dwt.ts';
import { mosaicFromImage, splitFields, type BayerMode } from '../../model/camera/bayer.ts';
import { readImage } from '../../model/io/image-file.ts';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildDwt53h } from '../../generators/blocks/dwt53_h/index.ts';
import { dwt53hModel, type SampleBeat } from '../../generators/blocks/dwt53_h/model.ts';
import { buildDwt53v } from '../../generators/blocks/dwt53_v/index.ts';
import { dwt53vModel } from '../../generators/blocks/dwt53_v/model.ts';
import { buildDwt2d, dwt2dGeometry, DWT2D_ERR_BITS } from '../../generators/designs/camera/dwt2d.ts';
import { dwt2dModel, fieldBeats, type FieldFrame } from '../../generators/designs/camera/dwt2d-model.ts';
import { assertSimCompare, runStreamSim, type Backpressure } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from '../blocks/rtl.ts';
import { DAVIS_VAL, extremeInputs } from './helpers.ts';

const VARIANTS: { seed: number; backpressure?: Backpressure }[] = [
  { seed: 1 },
  { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } },
  { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } },
];

/** The four colour fields of a DAVIS val frame's RGGB mosaic (8 -> 10 bit by bit replication). */
function davisFields(seq: string, frame: number, mode: BayerMode): FieldFrame[] {
  const f = splitFields(mosaicFromImage(readImage(`${DAVIS_VAL}/${seq}/${String(frame).padStart(5, '0')}.jpg`), mode));
  return f.planes.map((data) => ({ width: f.width, height: f.height, data }));
}

function plane(w: number, h: number, f: (x: number, y: number) => number): Int32Array {
  const p = new Int32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p[y * w + x] = f(x, y);
  return p;
}

/**
 * The worst-case 10-bit fields of test/camera/dwt.test.ts: alternating rows/columns,
 * checkerboards, edges, and for every subband the input that is 1023 where its centre output's
 * impulse response is positive (0 elsewhere) and the reverse; these reach the STAGE_WIDTH limits.
 */
function worstCaseFields(W = 32, H = 32): FieldFrame[] {
  const pats: Int32Array[] = [
    plane(W, H, (x) => (x & 1) * 1023),
    plane(W, H, (_x, y) => (y & 1) * 1023),
    plane(W, H, (x, y) => ((x ^ y) & 1) * 1023),
    plane(W, H, (x, y) => (((x >> 1) ^ (y >> 1)) & 1 ? 1023 : 0)),
    plane(W, H, (x) => (x < W / 2 ? 0 : 1023)),
  ];
  for (const band of BANDS) {
    const { pos, neg } = extremeInputs(W, H, band);
    pats.push(pos, neg);
  }
  return pats.map((data) => ({ width: W, height: H, data }));
}

/** Extremes of every band over a set of fields. */
function bandExtremes(fields: readonly FieldFrame[]): Record<string, [number, number]> {
  const r: Record<string, [number, number]> = {};
  for (const f of fields)
    for (const [name, v] of Object.entries(forwardDwt(f.data, f.width, f.height).bands)) {
      const e = (r[name] ??= [Infinity, -Infinity]);
      for (const x of v) {
        if (x < e[0]) e[0] = x;
        if (x > e[1]) e[1] = x;
      }
    }
  return r;
}

const sampleBeats = (rows: number[][], lanes: number, firstUser = true): SampleBeat[] =>
  rows.flatMap((r, y) => Array.from({ length: r.length / lanes }, (_, b) => ({ lanes: r.slice(b * lanes, b * lanes + lanes), last: b === r.length / lanes - 1, user: firstUser && y === 0 && b === 0 })));

describe('camera DWT block models', () => {
  it('dwt53_h gives the hand-worked lifting line and carries tuser/tlast per group', () => {
    // d0 = 20 - ((10+5)>>1) = 13, d1 = 0 - 5 = -5 (x[4] := x[2]); s0 = 10 + ((13+13+2)>>2) = 17, s1 = 5 + ((13-5+2)>>2) = 7
    assert.deepEqual(dwt53hModel({ lanes: 2 }, sampleBeats([[10, 20, 5, 0]], 2)), [
      { lo: [17], hi: [13], last: false, user: true },
      { lo: [7], hi: [-5], last: true, user: false },
    ]);
    assert.deepEqual(dwt53hModel({ lanes: 1 }, sampleBeats([[10, 20, 5, 0]], 1)).map((b) => [b.lo, b.hi]), [[[17], [13]], [[7], [-5]]]);
    assert.throws(() => dwt53hModel({ lanes: 1 }, sampleBeats([[1, 2, 3]], 1)), /row ending at beat 2 has 3 samples, not a multiple of 2/);
    assert.throws(() => dwt53hModel({ lanes: 2 }, sampleBeats([[1, 2, 3, 4]], 2).slice(0, 1)), /2 samples after the last tlast/);
  });

  it('dwt53_v rejects one-beat rows and partial frames', () => {
    assert.throws(() => dwt53vModel({ lanes: 1, rows: 2 }, sampleBeats([[1], [2]], 1)), /rows need >= 2 beats/);
    assert.throws(() => dwt53vModel({ lanes: 1, rows: 4 }, sampleBeats([[1, 2], [3, 4]], 1)), /not a whole number of 4-row frames/);
  });

  it('h -> v -> (LL) h -> v composed from the block models equals forwardDwt on a real field (P = 1, 4)', () => {
    const f = davisFields('kite-surf', 0, 'subsampled')[1];
    for (const P of [1, 4]) {
      const g = dwt2dGeometry(P);
      const rows = Array.from({ length: f.height }, (_, y) => [...f.data.subarray(y * f.width, (y + 1) * f.width)]);
      const h1 = dwt53hModel({ lanes: P }, sampleBeats(rows, P));
      const v1 = dwt53vModel({ lanes: 2 * g.q1, rows: f.height }, h1.map((b) => ({ lanes: [...b.lo, ...b.hi], last: b.last, user: b.user })));
      const h2 = dwt53hModel({ lanes: g.q1 }, v1.map((b) => ({ lanes: b.lo.slice(0, g.q1), last: b.last, user: b.user })));
      const v2 = dwt53vModel({ lanes: 2 * g.q2, rows: f.height / 2 }, h2.map((b) => ({ lanes: [...b.lo, ...b.hi], last: b.last, user: b.user })));
      const want = dwt2dModel(P, 12, 13, [f]);
      assert.deepEqual(v1.map((b) => packLanes([...b.lo.slice(g.q1), ...b.hi], 12)), want.m_axis_s1.map((b) => b.data), `P=${P} stage 1`);
      assert.deepEqual(v2.map((b) => packLanes([...b.lo, ...b.hi], 13)), want.m_axis_s2.map((b) => b.data), `P=${P} stage 2`);
      assert.deepEqual(v2.map((b) => [b.last, b.user]), want.m_axis_s2.map((b) => [b.last, b.user]));
    }
  });

  it(`worst-case fields need ${STAGE_WIDTH[1]} bits in stage 1 and ${STAGE_WIDTH[2]} in stage 2: the reference refuses 12-bit stage 2`, () => {
    const wc = worstCaseFields();
    const e = bandExtremes(wc);
    assert.deepEqual(e.HH1, [-2046, 2046], 'HH1 uses the 12-bit range');
    assert.ok(e.HH2[1] > 2047 && e.HH2[0] < -2048, `HH2 ${e.HH2} exceeds 12 bits`);
    assert.doesNotThrow(() => dwt2dModel(4, 12, 13, wc));
    assert.throws(() => dwt2dModel(4, 12, 12, wc), /stage 2 \(LL2\|HL2\|LH2\|HH2\).*not a signed 12-bit/);
    assert.throws(() => dwt2dModel(4, 11, 13, wc), /stage 1 \(HL1\|LH1\|HH1\).*not a signed 11-bit/);
  });
});

describe('camera DWT RTL', function () {
  if (!hasBinary('verilator')) return;
  this.timeout(600_000);

  it('is lint-clean (-Wall) for P = 1, 2, 4 and 64 and counts its flip-flops', () => {
    const mods = [
      buildDwt53h({ lanes: 1 }),
      buildDwt53h({ lanes: 64 }),
      buildDwt53h({ lanes: 4, stall: true }),
      buildDwt53h({ lanes: 1, stall: true }),
      buildDwt53h({ lanes: 2, inBits: 12, inSigned: true, outBits: 13 }),
      buildDwt53v({ lanes: 4 }),
      buildDwt53v({ lanes: 2, inBits: 13, outBits: 13, maxBeats: 3, rowsBits: 2 }),
      buildDwt2d({ lanes: 1, maxWidth: 64, hStall: true }),
      buildDwt2d({ lanes: 4 }),
    ];
    for (const b of mods) {
      const e = emitToTemp(b.module, 'dwtlint');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), `${e.top}: flops`);
    }
    assert.throws(() => buildDwt53h({ lanes: 3 }), /lanes = 3 must be 1 or even/);
    assert.throws(() => buildDwt2d({ lanes: 4, maxWidth: 18 }), /maxWidth = 18 must be a multiple of 4/);
  });

  for (const stall of [false, true]) {
    it(`dwt53_h (P = 4, ${stall ? 'stall enable + output register' : 'credit FIFO'}) matches forward53 on random and real field rows, one group per clock`, async () => {
      const P = 4;
      const g = prng(11);
      const f = davisFields('blackswan', 0, 'full')[0];
      const rows: number[][] = [[0, 1023, 0, 1023], Array.from({ length: 8 }, () => g.int(0, 1023)), Array.from({ length: 100 }, () => g.int(0, 1023))];
      for (let y = 0; y < 6; y++) rows.push([...f.data.subarray(y * f.width, (y + 1) * f.width)]);
      const ins = sampleBeats(rows, P);
      const e = emitToTemp(buildDwt53h({ lanes: P, stall }).module, 'dwth4');
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: ins.map((b) => ({ data: packLanes(b.lanes, 10), last: b.last, user: b.user })) },
        model: () => ({ m_axis: dwt53hModel({ lanes: P }, ins).map((b) => ({ data: packLanes([...b.lo, ...b.hi], 12), last: b.last, user: b.user })) }),
        variants: VARIANTS,
      });
      const out = rep.runs[0].result.outputs.m_axis;
      assert.equal(out[out.length - 1].cycle - out[0].cycle, out.length - 1, 'full speed: one output beat per clock, no bubble at row ends');
      // Cross-check one real row against forward53 directly.
      const lo = new Int32Array(f.width / 2), hi = new Int32Array(f.width / 2);
      forward53(f.data.subarray(0, f.width), f.width, lo, hi);
      const at = 1 + 2 + 25; // output beats of the three synthetic rows (4, 8, 100 samples)
      const got = out.slice(at, at + f.width / 4).map((b) => unpackLanes(b.data, 4, 12, true));
      assert.deepEqual(got, Array.from({ length: f.width / 4 }, (_, k) => [lo[2 * k], lo[2 * k + 1], hi[2 * k], hi[2 * k + 1]]));
    });
  }

  it('dwt53_v (K = 4) matches forward53 down the columns: random 12-bit rows, 2..7 beats, rows = 6', async () => {
    const g = prng(23);
    const ins: SampleBeat[] = [];
    for (const B of [2, 3, 7, 2])
      for (let y = 0; y < 6; y++)
        for (let b = 0; b < B; b++) ins.push({ lanes: Array.from({ length: 4 }, () => (g.bit(0.3) ? (g.bit(0.5) ? 2047 : -2048) : g.int(-2048, 2047))), last: b === B - 1, user: y === 0 && b === 0 });
    const e = emitToTemp(buildDwt53v({ lanes: 4, inBits: 12, outBits: 14, maxBeats: 8, rowsBits: 4 }).module, 'dwtv4');
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: ins.map((b) => ({ data: packLanes(b.lanes, 12), last: b.last, user: b.user })) },
      constInputs: { rows: 6 },
      model: () => ({ m_axis: dwt53vModel({ lanes: 4, rows: 6 }, ins).map((b) => ({ data: packLanes([...b.lo, ...b.hi], 14), last: b.last, user: b.user })) }),
      variants: VARIANTS,
    });
  });

  describe('dwt2d (P = 4, one build for every mode and size)', () => {
    const P = 4;
    let e: ReturnType<typeof emitToTemp>;
    before(() => {
      e = emitToTemp(buildDwt2d({ lanes: P }).module, 'dwt2d4');
    });
    const run = (fields: FieldFrame[], variants = VARIANTS) =>
      assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: fields.flatMap((f) => fieldBeats(f, P, 10)) },
        constInputs: { rows: fields[0].height },
        model: () => ({ ...dwt2dModel(P, 12, 13, fields), err: [] }),
        variants,
      });

    it('is bit-exact on real full-mode Bayer fields (DAVIS val, 416x240: R of blackswan, B of car-shadow)', async () => {
      await run([davisFields('blackswan', 0, 'full')[0], davisFields('car-shadow', 5, 'full')[3]]);
    });
    it('is bit-exact on real 2x-subsampled fields (208x120, G1/G2 of scooter-black) with rows changed, no rebuild', async () => {
      const f = davisFields('scooter-black', 2, 'subsampled');
      await run([f[1], f[2]], VARIANTS.slice(0, 2));
    });
    it('does not overflow on the worst-case fields (12-bit stage 1, 13-bit stage 2)', async () => {
      await run(worstCaseFields());
    });

    it('flags a truncated frame and a short row on `err`, never hangs, and is exact again on the next frame', async () => {
      const wc = worstCaseFields();
      const [A, B, C, D, E] = [wc[2], wc[7], wc[12], wc[15], wc[18]];
      const beatsOf = (f: FieldFrame) => fieldBeats(f, P, 10);
      const truncated = beatsOf(B).slice(0, 10 * 8); // 10 of 32 rows
      const short = beatsOf(D);
      short.splice(5 * 8 + 7, 1); // row 5 loses its last beat ...
      short[5 * 8 + 6] = { ...short[5 * 8 + 6], last: true }; // ... and ends one beat early
      const good = (f: FieldFrame) => dwt2dModel(P, 12, 13, [f]);
      // Partial outputs of the bad frames: B's 10 rows give stage-1 rows 0..3 and one stage-2 row;
      // D keeps its row count (the short row is odd, so it only fills a buffer): full counts.
      const n1 = 4 * 128 + 4 * 8, n2 = 4 * 64 + 8;
      const r = await runStreamSim({
        design: simDesign(e),
        inputs: { s_axis: [...beatsOf(A), ...truncated, ...beatsOf(C), ...short, ...beatsOf(E)] },
        constInputs: { rows: 32 },
        expect: { m_axis_s1: n1, m_axis_s2: n2 },
        seed: 9,
        backpressure: { inputGap: 0.2, outputStall: 0.3 },
      });
      const s1 = r.outputs.m_axis_s1.map((b) => b.data), s2 = r.outputs.m_axis_s2.map((b) => b.data);
      assert.equal(s1.length, n1);
      assert.equal(s2.length, n2);
      assert.deepEqual(s1.slice(0, 128), good(A).m_axis_s1.map((b) => b.data), 'frame A');
      assert.deepEqual(s2.slice(0, 64), good(A).m_axis_s2.map((b) => b.data), 'frame A');
      assert.deepEqual(s1.slice(160, 288), good(C).m_axis_s1.map((b) => b.data), 'frame C after the truncated frame');
      assert.deepEqual(s2.slice(72, 136), good(C).m_axis_s2.map((b) => b.data), 'frame C after the truncated frame');
      assert.deepEqual(s1.slice(-128), good(E).m_axis_s1.map((b) => b.data), 'frame E after the short row');
      assert.deepEqual(s2.slice(-64), good(E).m_axis_s2.map((b) => b.data), 'frame E after the short row');
      const flags = r.outputs.err.map((b) => DWT2D_ERR_BITS.filter((_, k) => (b.data >> BigInt(k)) & 1n));
      const count = (k: string) => flags.flat().filter((x) => x === k).length;
      assert.deepEqual([count('s1_row'), count('s1_sof'), count('s2_sof'), count('s1_cfg'), count('s2_cfg')], [1, 1, 1, 0, 0], `err beats: ${JSON.stringify(flags)}`);
      // A bad height (30: stage 2 would get 15 rows) is flagged at the frame start, and the run ends.
      const bad = await runStreamSim({ design: simDesign(e), inputs: { s_axis: beatsOf(A) }, constInputs: { rows: 30 }, seed: 1 });
      assert.ok(bad.outputs.err.some((b) => (b.data >> 5n) & 1n), 's2_cfg');
    });
  });

  it('control: a 12-bit stage 2 wraps on the worst-case fields (so the test above can fail)', async () => {
    const wc = worstCaseFields();
    const e12 = emitToTemp(buildDwt2d({ lanes: 4, s2Bits: 12, maxWidth: 64, rowsBits: 6 }).module, 'dwt2d4w12');
    const want = dwt2dModel(4, 12, 13, wc);
    const r = await runStreamSim({
      design: simDesign(e12),
      inputs: { s_axis: wc.flatMap((f) => fieldBeats(f, 4, 10)) },
      constInputs: { rows: 32 },
      expect: { m_axis_s1: want.m_axis_s1.length, m_axis_s2: want.m_axis_s2.length },
    });
    assert.deepEqual(r.outputs.m_axis_s1.map((b) => b.data), want.m_axis_s1.map((b) => b.data), 'stage 1 is unchanged');
    const exact = want.m_axis_s2.map((b) => unpackLanes(b.data, 8, 13, true));
    const got = r.outputs.m_axis_s2.map((b) => unpackLanes(b.data, 8, 12, true));
    const wrong = got.flatMap((v, i) => v.filter((x, k) => x !== exact[i][k])).length;
    assert.ok(wrong > 0, 'some stage-2 coefficient of the worst cases does not fit 12 bits');
  });

  it('dwt2d (P = 1, horizontal cores with stall enables) is bit-exact on a real field crop and the worst cases', async () => {
    const f = davisFields('kite-surf', 0, 'full')[2];
    const W = 64, H = 48, crop: FieldFrame = { width: W, height: H, data: plane(W, H, (x, y) => f.data[(y + 60) * f.width + x + 150]) };
    const fields = [crop, ...worstCaseFields().slice(0, 9)];
    const e = emitToTemp(buildDwt2d({ lanes: 1, maxWidth: 64, rowsBits: 7, hStall: true }).module, 'dwt2d1');
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: [crop].flatMap((x) => fieldBeats(x, 1, 10)) },
      constInputs: { rows: H },
      model: () => ({ ...dwt2dModel(1, 12, 13, [crop]), err: [] }),
      variants: VARIANTS.slice(0, 2),
    });
    const wc = fields.slice(1);
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: wc.flatMap((x) => fieldBeats(x, 1, 10)) },
      constInputs: { rows: 32 },
      model: () => ({ ...dwt2dModel(1, 12, 13, wc), err: [] }),
      variants: VARIANTS.slice(1, 2),
    });
    // A row of odd length (tlast on sample 62 of row 3): err_odd + err_row, then the next field is exact.
    const odd = fieldBeats(crop, 1, 10);
    odd.splice(3 * W + 63, 1);
    odd[3 * W + 62] = { ...odd[3 * W + 62], last: true };
    const next: FieldFrame = { width: W, height: H, data: plane(W, H, (x, y) => f.data[(y + 120) * f.width + x + 300]) };
    const want = dwt2dModel(1, 12, 13, [next]);
    const r = await runStreamSim({
      design: simDesign(e),
      inputs: { s_axis: [...odd, ...fieldBeats(next, 1, 10)] },
      constInputs: { rows: H },
      expect: { m_axis_s1: 768 + want.m_axis_s1.length, m_axis_s2: 192 + want.m_axis_s2.length },
      seed: 4,
      backpressure: { inputGap: 0.2, outputStall: 0.2 },
    });
    assert.deepEqual(r.outputs.m_axis_s1.slice(768).map((b) => b.data), want.m_axis_s1.map((b) => b.data));
    assert.deepEqual(r.outputs.m_axis_s2.slice(192).map((b) => b.data), want.m_axis_s2.map((b) => b.data));
    assert.ok(r.outputs.err.length >= 1 && r.outputs.err.every((b) => b.data === 1n), `only s1_row errors: ${r.outputs.err.map((b) => b.data)}`);
  });
});
