import assert from 'node:assert/strict';
import { unpackLanes } from '../../generators/blocks/bits.ts';
import { buildConvUnit, convUnitFifoDepth, convUnitLatency, convUnitParams, minRqLanes, rqSteps } from '../../generators/blocks/conv_unit/index.ts';
import { digitSelects, radix4Digits } from '../../generators/blocks/conv_unit/digits.ts';
import { convUnitAccBits, convUnitCell, convUnitCycles, convUnitModel, packCell, type CellBeat, type ConvUnitConfig } from '../../generators/blocks/conv_unit/model.ts';
import { loadLayout, loadWords } from '../../generators/blocks/conv_unit/loader.ts';
import { streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { Module, mux } from '../../generators/core/index.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';
import { hwParams } from '../../generators/designs/upscaler/config.ts';
import { buildPlan } from '../../generators/designs/upscaler/plan.ts';
import { stageConstants } from '../../generators/designs/upscaler/stage_weights.ts';
import { weightMemory } from '../../generators/designs/upscaler/weights_mem.ts';
import { assertSimCompare } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { realNetTrace } from './net_trace.ts';
import { emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';
import { itFull } from '../helpers/tier.ts';

type Shape = Pick<ConvUnitConfig, 'T' | 'cout' | 'cpar' | 'P' | 'passBits' | 'wBits'>;

/** Random constants inside the spec ranges; `extreme`: every weight at +-max so cells of -128 hit the clamps. */
function randomConfig(name: string, s: Shape, seed: number, extreme = false): ConvUnitConfig {
  const g = prng(seed);
  const wmax = 2 ** (s.wBits - 1) - 1;
  const weights = Array.from({ length: s.cout * s.T }, (_, i) => (extreme ? (Math.floor(i / s.T) % 3 === 2 ? g.int(-wmax, wmax) : Math.floor(i / s.T) % 3 === 0 ? wmax : -wmax) : g.int(-wmax, wmax)));
  return {
    name,
    ...s,
    weights,
    bias: Array.from({ length: s.cout }, () => g.int(-3000, 3000)),
    M: Array.from({ length: s.cout }, (_, co) => (co === 0 ? 2 ** 14 : co === 1 ? 2 ** 15 - 1 : g.int(2 ** 14, 2 ** 15 - 1))),
    // Shifts that keep most outputs inside int8 for sums of ~T products, plus S = 1 and 46.
    S: Array.from({ length: s.cout }, (_, co) => (co === 2 ? 46 : co === 3 && extreme ? 1 : Math.max(1, Math.ceil(Math.log2(128 * wmax * Math.sqrt(s.T))) + 8 + g.int(-1, 1)))),
    lo: extreme ? -100 : -128,
    hi: extreme ? 90 : 127,
  };
}

/** Cells of a gw-wide grid: random operands (every 7th cell all -128, every 11th all 127), random pass bits. */
function randomCells(c: ConvUnitConfig, n: number, seed: number, gw = 8): CellBeat[] {
  const g = prng(seed);
  return Array.from({ length: n }, (_, k) => {
    const op = Array.from({ length: c.T }, () => (k % 7 === 3 ? -128 : k % 11 === 5 ? 127 : g.int(-128, 127)));
    let pass = 0n;
    for (let b = 0; b < c.passBits; b++) pass |= BigInt(g.int(0, 1)) << BigInt(b);
    return { data: packCell(c, op, pass), last: k % gw === gw - 1, user: k === 0 };
  });
}

const VARIANTS = [
  { seed: 1 },
  { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } },
  { seed: 3, backpressure: { outputStall: 0.9 } },
  { seed: 4, backpressure: { inputGap: 0.8 } },
];

/** RTL vs model under backpressure; then the full-rate run's handshake cycles. */
async function checkRtl(c: ConvUnitConfig, cells: CellBeat[]) {
  const b = buildConvUnit(c);
  const e = emitToTemp(b.module, c.name);
  const rep = await assertSimCompare({
    design: simDesign(e),
    inputs: { s_axis: cells },
    model: (ins) => ({ m_axis: convUnitModel(c, ins.s_axis.map((x) => ({ data: BigInt(x.data), last: !!x.last, user: !!x.user }))) }),
    compare: { label: c.name },
    variants: VARIANTS,
  });
  // Full speed (variant 1: input always valid, output always ready): the first beat is offered
  // in cycle 1 and accepted then (in place: in its last step, cycle N), then one cell every N
  // cycles, each leaving `latency` cycles after its accept.
  const N = convUnitCycles(c);
  const inPlace = c.inputReg === false;
  const first = inPlace ? N : 1;
  const run = rep.runs[0].result;
  const outs = run.outputs.m_axis;
  outs.forEach((o, k) => assert.equal(o.cycle, first + b.latency + k * N, `${c.name}: output ${k} at cycle ${first + b.latency + k * N}`));
  assert.equal(run.inputs.s_axis.stallCycles, (cells.length - (inPlace ? 0 : 1)) * (N - 1), `${c.name}: s_axis waits N-1 = ${N - 1} cycles ${inPlace ? 'on' : 'between'} cells`);
  assert.equal(b.latency, convUnitLatency(c));
  return { b, e, rep };
}

describe('conv_unit model', () => {
  it('cycles per cell and accumulator width follow the constants', () => {
    assert.equal(convUnitCycles({ T: 144, cout: 16, cpar: 1, P: 144 }), 16);
    assert.equal(convUnitCycles({ T: 108, cout: 9, cpar: 9, P: 7 }), 16);
    assert.equal(convUnitCycles({ T: 30, cout: 10, cpar: 3, P: 7 }), 20);
    assert.equal(convUnitCycles({ T: 9, cout: 4, cpar: 4, P: 9 }), 1);
    // 128 * 127 * 144 = 2,340,864 (+ bias 5) needs 23 bits signed.
    assert.equal(convUnitAccBits({ T: 144, cout: 1, weights: new Array(144).fill(-127), bias: [5] }), 23);
    assert.equal(convUnitAccBits({ T: 1, cout: 2, weights: [1, 0], bias: [0, 127] }), 9, '128 needs 9 bits; 127 needs 8');
  });

  it('radix-4 digits: in {-2..2}, sum to the weight, at most ceil(wBits/2) of them', () => {
    for (let wBits = 2; wBits <= 12; wBits++) {
      const wmax = 2 ** (wBits - 1) - 1;
      for (let w = -wmax; w <= wmax; w++) {
        const d = radix4Digits(w);
        assert.equal(d.reduce((a, di, i) => a + di * 4 ** i, 0), w, `digits of ${w}`);
        assert.ok(d.every((di) => Number.isInteger(di) && Math.abs(di) <= 2), `digits of ${w}: ${d}`);
        assert.ok(d.length <= Math.ceil(wBits / 2), `${w} (wBits ${wBits}) needs ${d.length} digits`);
        if (d.length) assert.notEqual(d[d.length - 1], 0, `no leading zero digit for ${w}`);
      }
    }
    assert.deepEqual(radix4Digits(0), []);
    assert.deepEqual(radix4Digits(2), [2]);
    assert.deepEqual(radix4Digits(-2), [-2]);
    assert.deepEqual(radix4Digits(127), [-1, 0, 0, 2]);
    assert.deepEqual(radix4Digits(-127), [1, 0, 0, -2]);
    assert.deepEqual(digitSelects(-2), { one: 0, two: 1, neg: 1 });
    assert.deepEqual(digitSelects(1), { one: 1, two: 0, neg: 0 });
  });

  it('equals the golden fixed-point model on every cell of the real feat1 layer (DAVIS frame)', () => {
    const t = realNetTrace();
    const L = t.net.fixed.get('feat1')!;
    const c = feat1Config();
    const f = t.frames[1];
    let unsat = 0;
    for (let i = 0; i < t.gh; i++)
      for (let j = 0; j < t.gw; j++) {
        const got = convUnitCell(c, windowOperands(f.feat0, L.cin, t.gh, t.gw, i, j));
        const want = Array.from({ length: L.cout }, (_, co) => f.feat1[(co * t.gh + i) * t.gw + j]);
        assert.deepEqual(got, want, `cell (${i}, ${j})`);
        if (got.some((v) => v !== c.lo && v !== c.hi)) unsat++;
      }
    assert.ok(unsat > (t.gh * t.gw) / 2, `most cells not clamped (${unsat})`);
  });
});

function feat1Config(): ConvUnitConfig {
  const t = realNetTrace();
  const L = t.net.fixed.get('feat1')!;
  return { name: 'cu_feat1', T: L.cin * L.k * L.k, cout: L.cout, cpar: 1, P: L.cin * L.k * L.k, passBits: 0, wBits: t.net.quantBits, weights: [...L.w], bias: [...L.bias], M: [...L.M], S: [...L.shift], lo: L.lo, hi: L.hi };
}

/** Operand t = ci*9 + ky*3 + kx of cell (i, j): the input at (i+ky-1, j+kx-1), 0 outside the grid. */
function windowOperands(x: Int32Array, cin: number, gh: number, gw: number, i: number, j: number): number[] {
  const op: number[] = [];
  for (let ci = 0; ci < cin; ci++)
    for (let ky = 0; ky < 3; ky++)
      for (let kx = 0; kx < 3; kx++) {
        const y = i + ky - 1, xx = j + kx - 1;
        op.push(y >= 0 && y < gh && xx >= 0 && xx < gw ? x[(ci * gh + y) * gw + xx] : 0);
      }
  return op;
}

describe('conv_unit elaboration', () => {
  const base = randomConfig('cu_err', { T: 36, cout: 4, cpar: 1, P: 36, passBits: 0, wBits: 8 }, 9);
  const msg = (cfg: Record<string, unknown>) => {
    try {
      convUnitParams.validate(cfg);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('rejects a bad constant with the layer name, index and value', () => {
    const w = [...base.weights];
    w[37] = 128;
    assert.match(msg({ ...base, weights: w }), /E_INVALID_PARAM in conv_unit: 1 invalid parameter:\n\s+layer 'cu_err': weights\[37\] \(co 1, t 1\) = 128 is not an integer in \[-127, 127\] \(wBits = 8\)\n/);
    const w4 = base.weights.map((x) => Math.max(-7, Math.min(7, x)));
    w4[5] = -8;
    w4[9] = 9;
    assert.match(msg({ ...base, wBits: 4, weights: w4 }), /layer 'cu_err': weights\[5\] \(co 0, t 5\) = -8 is not an integer in \[-7, 7\] \(wBits = 4\) \(and 1 more\)\n/);
    assert.match(msg({ ...base, M: [2 ** 14, 2 ** 15, 2 ** 14, 2 ** 14] }), /layer 'cu_err': M\[1\] = 32768 is not an integer in \[2\^14, 2\^15\)\n/);
    assert.match(msg({ ...base, S: [1, 2, 47, 3] }), /layer 'cu_err': S\[2\] = 47 is not an integer in \[1, 46\]\n/);
    assert.match(msg({ ...base, bias: [0, 0, 0, -(2 ** 23)] }), /layer 'cu_err': bias\[3\] = -8388608 is not an integer with \|B\| < 2\^23\n/);
    assert.match(msg({ ...base, lo: 5, hi: 4 }), /layer 'cu_err': lo = 5, hi = 4: need -128 <= lo <= hi <= 127\n/);
    assert.match(msg({ ...base, bias: [1, 2, 3] }), /layer 'cu_err': bias has 3 entries, expected cout = 4\n/);
  });

  it('rejects bad lanes and bus widths', () => {
    assert.match(msg({ ...base, cpar: 5 }), /layer 'cu_err': cpar = 5 exceeds cout = 4\n/);
    assert.match(msg({ ...base, P: 37 }), /layer 'cu_err': P = 37 exceeds T = 36\n/);
    assert.match(msg({ ...base, P: 0 }), /P = 0: must be an integer in \[1, 2048\]/);
    assert.match(msg({ ...base, passBits: 3900 }), /E_INVALID_PARAM in conv_unit: 1 invalid parameter:\n\s+passBits = 3900: must be an integer in \[0, 2048\]\n/);
    assert.match(msg({ ...base, passBits: 2048, T: 257, weights: new Array(4 * 257).fill(1) }), /layer 'cu_err': s_axis tdata T\*8 \+ passBits = 4104 bits exceeds the 4096-bit bus limit/);
    assert.match(msg({ ...base, name: '3x3' }), /name = "3x3": must be a Verilog identifier/);
  });

  it('rejects shared requantisers that cannot keep up, or with loaded weights', () => {
    // T=36 P=12: 3 operand groups between finished accumulators; 4 rows on 1 requantiser need 4.
    const c = { ...base, cpar: 4, P: 12 };
    assert.match(msg({ ...c, rqLanes: 5 }), /layer 'cu_err': rqLanes = 5 exceeds cpar = 4\n/);
    assert.match(msg({ ...c, rqLanes: 1 }), /layer 'cu_err': rqLanes = 1 needs ceil\(cpar\/rqLanes\) = 4 cycles per channel group, more than the 3 operand groups \(ceil\(T\/P\)\) between finished accumulators; use rqLanes >= 2\n/);
    assert.equal(msg({ ...c, rqLanes: 2 }), 'no error');
    assert.equal(minRqLanes(c), 2);
    assert.match(msg({ ...c, rqLanes: 2, weightSource: 'loaded' }), /layer 'cu_err': rqLanes = 2 < cpar = 4 is for baked weights only\n/);
    assert.match(msg({ ...c, inputReg: false, weightSource: 'loaded' }), /layer 'cu_err': inputReg = false is for baked weights only\n/);
    assert.equal(convUnitLatency({ ...c, inputReg: false }), convUnitLatency(c) - 3, 'in place: N = 3 cycles less from accept');
    // FIFO entries: ceil((latency + holdCycles) / N) + 1 in place (T=108 P=7 cpar=9 rqLanes=1: latency 21, N = 16).
    const head = { T: 108, cout: 9, cpar: 9, P: 7, rqLanes: 1, inputReg: false };
    assert.equal(convUnitLatency(head), 21);
    assert.equal(convUnitFifoDepth(head), 3);
    assert.equal(convUnitFifoDepth({ ...head, holdCycles: 14 }), 4);
    // rqLanes = cpar (or 0) is one requantiser per row: the same module.
    assert.equal(rqSteps({ cpar: 4, rqLanes: 4 }), 1);
    assert.equal(convUnitLatency({ ...c, rqLanes: 2 }), convUnitLatency(c) + 2);
  });

  it('rejects constants whose accumulator needs more than 24 bits', () => {
    // 128 * 127 * 36 + (2^23 - 1) = 8,973,823 >= 2^23: 25 bits.
    const cfg = { ...base, cout: 1, weights: new Array(36).fill(127), bias: [2 ** 23 - 1], M: [2 ** 14], S: [20] };
    assert.match(msg(cfg), /layer 'cu_err': accumulator needs 25 bits \(channel 0: 128\*sum\|w\| \+ \|B\| = 8973823\), more than 24 \(docs\/fixed-point.md 3\)\n/);
    assert.throws(() => buildConvUnit(cfg), /accumulator needs 25 bits/);
    // One less in the bias: 2^23 - 1 exactly, 24 bits.
    assert.equal(buildConvUnit({ ...cfg, bias: [2 ** 23 - 1 - 128 * 127 * 36] }).accBits, 24);
  });
});

describe('conv_unit RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean (verilator -Wall) for every lane split', () => {
    const shapes: Shape[] = [
      { T: 36, cout: 16, cpar: 1, P: 36, passBits: 0, wBits: 8 },
      { T: 28, cout: 12, cpar: 3, P: 7, passBits: 40, wBits: 4 },
      { T: 30, cout: 10, cpar: 3, P: 7, passBits: 3, wBits: 6 },
      { T: 9, cout: 4, cpar: 4, P: 9, passBits: 1, wBits: 8 },
      { T: 1, cout: 1, cpar: 1, P: 1, passBits: 0, wBits: 2 },
      { T: 5, cout: 2, cpar: 1, P: 2, passBits: 0, wBits: 8 },
    ];
    shapes.forEach((s, i) => {
      const e = emitToTemp(buildConvUnit(randomConfig(`cu_lint${i}`, s, 20 + i)).module, `cul${i}`);
      assert.deepEqual(lintProblems(e), [], e.top);
    });
    // Shared requantisers: J = 9 (one lane, no channel groups), J = 2 with 4 channel groups, 4-bit.
    // In place: operand groups and channel groups, OG = 1, N = 1.
    const shared: [Shape, number, boolean][] = [
      [{ T: 18, cout: 9, cpar: 9, P: 2, passBits: 4, wBits: 8 }, 1, true],
      [{ T: 8, cout: 12, cpar: 3, P: 4, passBits: 0, wBits: 4 }, 2, true],
      [{ T: 18, cout: 9, cpar: 9, P: 2, passBits: 4, wBits: 8 }, 1, false],
      [{ T: 36, cout: 16, cpar: 1, P: 36, passBits: 3, wBits: 6 }, 0, false],
      [{ T: 9, cout: 4, cpar: 4, P: 9, passBits: 1, wBits: 8 }, 0, false],
    ];
    shared.forEach(([s, rqLanes, inputReg], i) => {
      const e = emitToTemp(buildConvUnit({ ...randomConfig(`cu_lintrq${i}`, s, 40 + i), rqLanes, inputReg }).module, `culrq${i}`);
      assert.deepEqual(lintProblems(e), [], e.top);
    });
  });

  // (small shapes: the requantiser sharing depends on cpar and ceil(T/P), not on T)
  it('shared requantisers: 9 rows on 1 lane (9 steps in the 9 operand-group cycles, as the head), bit-exact, one cell per 9 cycles', async () => {
    const c = { ...randomConfig('cu_rq9', { T: 18, cout: 9, cpar: 9, P: 2, passBits: 13, wBits: 8 }, 11), rqLanes: 1 };
    await checkRtl(c, randomCells(c, 40, 111));
  });

  itFull('shared requantisers: 4 channel groups of 3 rows on 2 lanes (2 steps = the 2 operand groups), 4-bit weights', async () => {
    const c = { ...randomConfig('cu_rq2', { T: 8, cout: 12, cpar: 3, P: 4, passBits: 5, wBits: 4 }, 12), rqLanes: 2 };
    await checkRtl(c, randomCells(c, 30, 112));
  });

  it('shared requantisers: cout % cpar = 1, extreme constants, S = 1 and 46, both clamps (rqLanes 1: 3 steps)', async () => {
    const c = { ...randomConfig('cu_rqext', { T: 30, cout: 10, cpar: 3, P: 7, passBits: 40, wBits: 6 }, 13, true), rqLanes: 1 };
    const cells = randomCells(c, 36, 113);
    const outs = convUnitModel(c, cells).map((b) => unpackLanes(b.data, c.cout, 8, true));
    assert.ok(outs.some((v) => v.includes(c.lo)) && outs.some((v) => v.includes(c.hi)), 'the vectors reach LO and HI');
    await checkRtl(c, cells);
  });

  itFull('operands in place and shared requantisers: 2 channel groups of 8 rows on 1 lane (8 of the 9 operand-group cycles)', async () => {
    const c = { ...randomConfig('cu_ip8', { T: 36, cout: 16, cpar: 8, P: 4, passBits: 40, wBits: 8 }, 14), rqLanes: 1, inputReg: false };
    await checkRtl(c, randomCells(c, 30, 114));
  });

  it('operands in place: T=36 cpar=1 P=36 (the tree reads s_axis_tdata), 40 pass bits; and N = 1', async () => {
    const c = { ...randomConfig('cu_ip36', { T: 36, cout: 16, cpar: 1, P: 36, passBits: 40, wBits: 8 }, 15), inputReg: false };
    await checkRtl(c, randomCells(c, 30, 115));
    const c1 = { ...randomConfig('cu_ipn1', { T: 9, cout: 4, cpar: 4, P: 9, passBits: 2, wBits: 8 }, 16), inputReg: false };
    const { b } = await checkRtl(c1, randomCells(c1, 40, 116));
    assert.equal(b.cycles, 1);
  });

  itFull('T=36 cout=16 cpar=1 P=36, 40 pass bits: bit-exact under backpressure, one cell per 16 cycles', async () => {
    const c = randomConfig('cu_t36', { T: 36, cout: 16, cpar: 1, P: 36, passBits: 40, wBits: 8 }, 1);
    await checkRtl(c, randomCells(c, 40, 101));
  });

  it('T=28 cout=24 cpar=3 P=14, 4-bit weights: bit-exact, one cell per 16 cycles', async () => {
    const c = randomConfig('cu_t28a', { T: 28, cout: 24, cpar: 3, P: 14, passBits: 0, wBits: 4 }, 2);
    await checkRtl(c, randomCells(c, 40, 102));
  });

  itFull('T=28 cout=12 cpar=3 P=7, tree registered every level: bit-exact, one cell per 16 cycles', async () => {
    const c = { ...randomConfig('cu_t28b', { T: 28, cout: 12, cpar: 3, P: 7, passBits: 8, wBits: 8 }, 3), treeLevels: 1 };
    await checkRtl(c, randomCells(c, 40, 103));
  });

  itFull('T=108 cout=9 cpar=9 P=7 (T % P = 3), tree registered every 3 levels: bit-exact, one cell per 16 cycles', async () => {
    const c = { ...randomConfig('cu_t108', { T: 108, cout: 9, cpar: 9, P: 7, passBits: 0, wBits: 8 }, 4), treeLevels: 3 };
    await checkRtl(c, randomCells(c, 40, 104));
  });

  it('T=30 cout=10 cpar=3 P=7 (cout % cpar = 1), extreme constants and operands hit both clamps', async () => {
    const c = randomConfig('cu_ext', { T: 30, cout: 10, cpar: 3, P: 7, passBits: 40, wBits: 4 }, 5, true);
    const cells = randomCells(c, 36, 105);
    const outs = convUnitModel(c, cells).map((b) => unpackLanes(b.data, c.cout, 8, true));
    assert.ok(outs.some((v) => v.includes(c.lo)) && outs.some((v) => v.includes(c.hi)), 'the vectors reach LO and HI');
    // All -128 against all +7 / all -7 weights: 128 * 7 * 30 = 26,880 (+bias) at S = 1 saturates.
    assert.equal(outs[3][0], c.lo);
    assert.equal(outs[3][1], c.hi);
    await checkRtl(c, cells);
  });

  itFull('T=16 cout=16 cpar=1 P=16: every weight in [-127, 127] and an all-zero column, bit-exact', async () => {
    const c = randomConfig('cu_allw', { T: 16, cout: 16, cpar: 1, P: 16, passBits: 0, wBits: 8 }, 7);
    // Weight co*16 + t runs through -127..127 (lane t sees 16 different ones); column 5 is zero.
    const weights = Array.from({ length: 256 }, (_, i) => (i % 16 === 5 ? 0 : Math.max(-127, Math.min(127, i - 128))));
    const cfg = { ...c, weights };
    await checkRtl(cfg, randomCells(cfg, 40, 107));
  });

  itFull('P=1 (one lane, 6 operand groups), 4-bit weights at +-7 and 6-bit at +-31: bit-exact', async () => {
    const c4 = randomConfig('cu_p1', { T: 6, cout: 2, cpar: 1, P: 1, passBits: 3, wBits: 4 }, 8, true);
    await checkRtl(c4, randomCells(c4, 24, 108));
    const c6 = randomConfig('cu_w6', { T: 20, cout: 4, cpar: 2, P: 10, passBits: 0, wBits: 6 }, 9, true);
    await checkRtl(c6, randomCells(c6, 24, 109));
  });

  it('10-bit weights (a head_x0 head: wide X0 taps, 4-bit H taps) and 12-bit at the extremes: bit-exact; loaded refuses them', async function () {
    this.timeout(400000); // two Verilator builds
    // T = 8 H operands x 9 taps... scaled down: 12 operands, the last 4 with +-511 taps, the rest +-7.
    const c = randomConfig('cu_w10', { T: 12, cout: 9, cpar: 3, P: 6, passBits: 4, wBits: 10 }, 10);
    const g = prng(110);
    const weights = c.weights.map((_, i) => (i % 12 >= 8 ? g.int(-511, 511) : g.int(-7, 7)));
    const cfg = { ...c, weights, S: c.S.map((v) => Math.min(46, v + 2)) };
    await checkRtl(cfg, randomCells(cfg, 30, 111));
    const c12 = randomConfig('cu_w12', { T: 6, cout: 4, cpar: 2, P: 3, passBits: 0, wBits: 12 }, 11, true);
    await checkRtl(c12, randomCells(c12, 24, 112));
    assert.throws(() => buildConvUnit({ ...cfg, weightSource: 'loaded' }), /layer 'cu_w10': loaded weights are int8 lanes of the load words \(loader.ts\); wBits = 10 needs weightSource 'baked'/);
  });

  it('T=9 cout=4 cpar=4 P=9: one cell per cycle', async () => {
    const c = randomConfig('cu_n1', { T: 9, cout: 4, cpar: 4, P: 9, passBits: 2, wBits: 8 }, 6);
    const { b } = await checkRtl(c, randomCells(c, 60, 106));
    assert.equal(b.cycles, 1);
  });

  itFull('T=144 cout=16 cpar=1 P=144 with the real feat1 weights equals the traced golden feat1 (DAVIS frame)', async () => {
    const t = realNetTrace();
    const c = feat1Config();
    const f = t.frames[1];
    const where: [number, number][] = [];
    for (const i of [0, 7, t.gh - 1]) for (let j = 0; j < t.gw; j++) where.push([i, j]);
    const cells = where.map(([i, j], k) => ({ data: packCell(c, windowOperands(f.feat0, 16, t.gh, t.gw, i, j)), last: j === t.gw - 1, user: k === 0 }));
    const { rep } = await checkRtl(c, cells);
    rep.runs[0].result.outputs.m_axis.forEach((o, k) => {
      const [i, j] = where[k];
      assert.deepEqual(unpackLanes(o.data, 16, 8, true), Array.from({ length: 16 }, (_, co) => f.feat1[(co * t.gh + i) * t.gw + j]), `RTL vs traced feat1 at cell (${i}, ${j})`);
    });
  });
});

/**
 * A loaded unit behind one merged input stream, so words and cells keep their order: tdata bit
 * `dw` tags a weight word (low 32 bits, tlast = end of the image) against a cell; tready is the
 * tagged port's. The unit's own interlocks (no cells while a share is pending or loading, no load
 * while a cell is in flight) make every cell see the image before it in the merged order.
 */
function loadTb(c: ConvUnitConfig) {
  const u = buildConvUnit({ ...c, weightSource: 'loaded' as const });
  const cw = 8 * c.T + c.passBits, dw = Math.max(cw, 32);
  const m = new Module(`${c.name}_tb`, { params: { block: 'conv_unit_load_tb', unit: c.name }, doc: 'test wrapper: merged word/cell stream' });
  const s = streamIn(m, { width: dw + 1 });
  const o = streamOut(m, { width: 8 * c.cout + c.passBits });
  const ow = streamOut(m, { width: 32, user: false }, 'm_axis_w');
  const loaded = m.output('w_loaded', 1);
  const isW = s.data.bit(dw);
  const i = m.instantiate('u_unit', u.module, {
    s_axis_tdata: s.data.slice(cw - 1, 0),
    s_axis_tvalid: s.valid.and(isW.not()),
    s_axis_tlast: s.lastSig,
    s_axis_tuser: s.userSig,
    m_axis_tready: o.readySig,
    s_axis_w_tdata: s.data.slice(31, 0),
    s_axis_w_tvalid: s.valid.and(isW),
    s_axis_w_tlast: s.lastSig,
    m_axis_w_tready: ow.readySig,
  });
  if (dw > cw) m.unused(s.data.slice(dw - 1, cw), 'word bits above a short cell');
  else if (dw > 32) m.unused(s.data.slice(dw - 1, 32), 'cell bits above a word');
  s.driveReady(mux(isW, i.out('s_axis_w_tready'), i.out('s_axis_tready')));
  o.driveData(i.out('m_axis_tdata'));
  o.driveValid(i.out('m_axis_tvalid'));
  o.driveLast(i.out('m_axis_tlast'));
  o.driveUser(i.out('m_axis_tuser'));
  ow.driveData(i.out('m_axis_w_tdata'));
  ow.driveValid(i.out('m_axis_w_tvalid'));
  ow.driveLast(i.out('m_axis_w_tlast'));
  loaded.set(i.out('w_loaded'));
  return { m, u, dw };
}

type Phase = { cfg: ConvUnitConfig; extra?: number[]; cells: CellBeat[] };

/** Load image, run cells, reload, run cells, ... (no reset); RTL vs model under backpressure. */
async function checkLoaded(phases: Phase[]) {
  const { m, dw } = loadTb(phases[0].cfg);
  const tag = 1n << BigInt(dw);
  const beats: CellBeat[] = [];
  const wantOut: CellBeat[] = [];
  const wantPass: CellBeat[] = [];
  for (const ph of phases) {
    const words = [...loadWords(ph.cfg), ...(ph.extra ?? [])];
    assert.equal(words.length, loadLayout(ph.cfg.T, ph.cfg.cout).words + (ph.extra?.length ?? 0));
    words.forEach((w, k) => beats.push({ data: tag | BigInt(w), last: k === words.length - 1 }));
    (ph.extra ?? []).forEach((w, k) => wantPass.push({ data: BigInt(w), last: k === ph.extra!.length - 1 }));
    beats.push(...ph.cells);
    wantOut.push(...convUnitModel(ph.cfg, ph.cells));
  }
  const e = emitToTemp(m, phases[0].cfg.name);
  assert.deepEqual(lintProblems(e), [], e.top);
  return assertSimCompare({
    design: simDesign(e),
    inputs: { s_axis: beats },
    model: () => ({ m_axis: wantOut, m_axis_w: wantPass }),
    compare: { label: e.top },
    variants: VARIANTS.slice(0, 3),
  });
}

describe('conv_unit loaded weights', () => {
  it('baked stays the default; loaded sizes the accumulator for any weights: 24 bits up to the widest bus', () => {
    const c = randomConfig('cu_ld', { T: 36, cout: 4, cpar: 1, P: 36, passBits: 0, wBits: 8 }, 9);
    assert.equal(convUnitParams.validate({ ...c }).weightSource, 'baked');
    assert.equal(buildConvUnit({ ...c, weightSource: 'loaded' as const }).accBits, 24);
    // The bus limit caps T at 512 (8 * 512 = 4096 bits): 128 * 512 * 127 = 8,323,072 < 2^23, so
    // every loadable shape's products fit; the worst-case check guards a wider bus.
    const widest = { ...randomConfig('cu_wide', { T: 512, cout: 1, cpar: 1, P: 8, passBits: 0, wBits: 8 }, 3), weightSource: 'loaded' as const };
    assert.equal(convUnitParams.validate({ ...widest }).T, 512);
  });
  it("a unit's share is its stage's words of the top's weight image (weights_mem.ts), for every stage", () => {
    const net = loadNetWeights(DEFAULT_NET_WEIGHTS);
    const plan = buildPlan(net.config, hwParams.validate({ stripeCells: 16 }));
    const { words, manifest } = weightMemory(net, plan);
    plan.stages.forEach((st, i) => {
      const ms = manifest.stages[i];
      assert.equal(loadLayout(st.T, st.cout).words, ms.words, `stage ${st.name}`);
      assert.deepEqual(loadWords({ T: st.T, cout: st.cout, ...stageConstants(net, st) }), words.slice(ms.base, ms.base + ms.words), `stage ${st.name}`);
    });
  });
  if (!hasBinary('verilator')) return;

  it('lint-clean (verilator -Wall) for several lane splits', () => {
    const shapes: Shape[] = [
      { T: 9, cout: 4, cpar: 4, P: 9, passBits: 1, wBits: 8 },
      { T: 1, cout: 1, cpar: 1, P: 1, passBits: 0, wBits: 2 },
      { T: 30, cout: 10, cpar: 3, P: 7, passBits: 3, wBits: 5 },
    ];
    shapes.forEach((sh, i) => {
      const e = emitToTemp(buildConvUnit({ ...randomConfig(`cu_ldlint${i}`, sh, 30 + i), weightSource: 'loaded' }).module, `cull${i}`);
      assert.deepEqual(lintProblems(e), [], e.top);
    });
  });

  itFull('T=28 cout=12 cpar=3 P=7 (6-bit) and T=9 cpar=4 (N = 1): load, cells, reload a different set without reset, pass-through words; bit-exact under backpressure', async () => {
    const sh: Shape = { T: 28, cout: 12, cpar: 3, P: 7, passBits: 5, wBits: 6 };
    const a = randomConfig('cu_ld28', sh, 41);
    const b0 = randomConfig('cu_ld28', sh, 42, true);
    // channel 0 of set b: every weight at the 6-bit extreme -31
    const b = { ...b0, weights: b0.weights.map((w, i) => (i < 28 ? -31 : w)) };
    const rep = await checkLoaded([
      { cfg: a, extra: [0xdeadbeef, 7, 0x80000000], cells: randomCells(a, 20, 201) },
      { cfg: b, cells: randomCells(b, 20, 202) },
      { cfg: a, extra: [12345], cells: randomCells(a, 10, 203) },
    ]);
    assert.ok(rep.ok);
    // N = 1 (one cell per cycle, free-running input capture): a reload must still wait for the pipeline.
    const n1: Shape = { T: 9, cout: 4, cpar: 4, P: 9, passBits: 2, wBits: 8 };
    const c = randomConfig('cu_ldn1', n1, 43), d = randomConfig('cu_ldn1', n1, 44, true);
    await checkLoaded([
      { cfg: c, cells: randomCells(c, 30, 204) },
      { cfg: d, extra: [1, 2], cells: randomCells(d, 30, 205) },
    ]);
  });

  itFull('T=144 cout=16 P=144: the real feat1 weights (q8), then crnn_q6 feat1 loaded over them: bit-exact vs the model', async () => {
    const t = realNetTrace();
    const c8 = feat1Config();
    const q6 = loadNetWeights('weights/crnn_q6.json');
    const L6 = q6.fixed.get('feat1')!;
    assert.equal(L6.cin * L6.k * L6.k, c8.T);
    assert.equal(L6.cout, c8.cout);
    const c6: ConvUnitConfig = { ...c8, weights: [...L6.w], bias: [...L6.bias], M: [...L6.M], S: [...L6.shift], lo: L6.lo, hi: L6.hi };
    assert.notDeepEqual(c6.weights, c8.weights);
    const f = t.frames[1];
    const cells = (i: number) => Array.from({ length: t.gw }, (_, j) => ({ data: packCell(c8, windowOperands(f.feat0, 16, t.gh, t.gw, i, j)), last: j === t.gw - 1, user: j === 0 }));
    await checkLoaded([
      { cfg: c8, cells: cells(7) },
      { cfg: c6, cells: cells(8) },
    ]);
    // and the q8 outputs are the traced golden feat1
    assert.deepEqual(convUnitModel(c8, cells(7)).map((o) => unpackLanes(o.data, 16, 8, true)), Array.from({ length: t.gw }, (_, j) => Array.from({ length: 16 }, (_, co) => f.feat1[(co * t.gh + 7) * t.gw + j])));
  });
});
