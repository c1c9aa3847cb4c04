import assert from 'node:assert/strict';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildRequant, REQUANT_LATENCY } from '../../generators/blocks/requant/index.ts';
import { packCoef, requantModel, resetCoef, requantValue, requantVector, type RequantCoef, type RequantOp, type RequantParams } from '../../generators/blocks/requant/model.ts';
import type { FixedLayer } from '../../model/net/weights.ts';
import { assertSimCompare, runStreamSim } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { realNetTrace } from './net_trace.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

/** Accumulators of a conv layer (docs/fixed-point.md 3) from its traced input planes, zero padding. */
function layerAcc(L: FixedLayer, input: Int32Array, gh: number, gw: number): Int32Array {
  const k = L.k, pd = (k - 1) >> 1, cells = gh * gw;
  const acc = new Int32Array(L.cout * cells);
  for (let co = 0; co < L.cout; co++)
    for (let i = 0; i < gh; i++)
      for (let j = 0; j < gw; j++) {
        let s = L.bias[co];
        for (let ci = 0; ci < L.cin; ci++)
          for (let ky = 0; ky < k; ky++)
            for (let kx = 0; kx < k; kx++) {
              const y = i + ky - pd, x = j + kx - pd;
              if (y >= 0 && y < gh && x >= 0 && x < gw) s += L.w[((co * L.cin + ci) * k + ky) * k + kx] * input[(ci * gh + y) * gw + x];
            }
        acc[co * cells + i * gw + j] = s;
      }
  return acc;
}

/** Frame 2's real layers: accumulators, coefficients and the golden model's outputs. */
function realLayers() {
  const t = realNetTrace();
  const [f1, f2] = t.frames;
  const cat2 = (a: Int32Array, b: Int32Array) => Int32Array.from([...a, ...b]);
  const inputs: Record<string, Int32Array> = {
    feat1: f2.feat0,
    'gru0.z': cat2(f2.feat1, f1['gru0.h']),
    'gru0.r': cat2(f2.feat1, f1['gru0.h']),
    'gru0.n': cat2(f2.feat1, f2['gru0.rh']),
  };
  const golden: Record<string, Int32Array> = { feat1: f2.feat1, 'gru0.z': f2['gru0.pz'], 'gru0.r': f2['gru0.pr'], 'gru0.n': f2['gru0.pn'] };
  return Object.keys(inputs).map((name) => {
    const L = t.net.fixed.get(name)!;
    const coef: RequantCoef = { M: [...L.M], S: [...L.shift], lo: L.lo, hi: L.hi };
    return { name, L, coef, acc: layerAcc(L, inputs[name], t.gh, t.gw), golden: golden[name], cells: t.gh * t.gw, gw: t.gw };
  });
}

const lanesAt = (t: Int32Array, n: number, cells: number, count: number) => Array.from({ length: count }, (_, c) => t[c * cells + n]);

describe('requant model', () => {
  it('gives the worked examples of docs/fixed-point.md 6 and clamps', () => {
    assert.equal(requantValue(12345, 20000, 20, -128, 127), 127, '235 clamps to HI');
    assert.equal(requantValue(12345, 20000, 20, -1000, 1000), 235);
    assert.equal(requantValue(-12345, 20000, 20, -1000, 1000), -235);
    assert.equal(requantValue(-12345, 20000, 20, 0, 127), 0);
    assert.equal(requantValue(3, 2 ** 14, 15, -128, 127), 2, '1.5 rounds half up');
    assert.equal(requantValue(-3, 2 ** 14, 15, -128, 127), -1, '-1.5 rounds half up');
  });

  it('rejects coefficients outside the spec; gives 0 before the first load (RTL reset values)', () => {
    const p: RequantParams = { lanes: 1, accBits: 24, outBits: 8 };
    assert.throws(() => requantModel(p, [{ kind: 'coef', coef: { M: [100], S: [3], lo: 0, hi: 1 } }]), /M\[0\] = 100 outside \[2\^14, 2\^15\)/);
    assert.throws(() => requantModel(p, [{ kind: 'coef', coef: { M: [2 ** 14], S: [47], lo: 0, hi: 1 } }]), /S\[0\] = 47 outside \[1, 46\]/);
    assert.deepEqual(requantModel(p, [{ kind: 'acc', acc: [2 ** 23 - 1] }, { kind: 'acc', acc: [-(2 ** 23)] }]), [[0], [0]]);
    assert.throws(() => requantVector(p, { M: [2 ** 14], S: [3], lo: 0, hi: 1 }, [2 ** 23]), /acc lane 0: 8388608 is not a signed 24-bit/);
  });

  it('equals the golden fixed-point model on the real layers feat1, gru0.z/r/n (DAVIS frame pair)', () => {
    for (const r of realLayers()) {
      const p: RequantParams = { lanes: r.L.cout, accBits: r.L.accBits, outBits: 8 };
      let distinct = 0;
      for (let n = 0; n < r.cells; n++) {
        const got = requantVector(p, r.coef, lanesAt(r.acc, n, r.cells, r.L.cout), `${r.name} cell ${n}`);
        const want = lanesAt(r.golden, n, r.cells, r.L.cout);
        assert.deepEqual(got, want, `${r.name} cell ${n}`);
        if (got.some((v) => v !== r.coef.lo && v !== r.coef.hi)) distinct++;
      }
      assert.ok(distinct > r.cells / 2, `${r.name}: most cells are not saturated (${distinct}/${r.cells})`);
    }
  });
});

describe('requant RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean, synthesises, and reports latency and flops', async () => {
    for (const cfg of [{}, { lanes: 12, accBits: 20 }, { lanes: 1, accBits: 2, outBits: 2 }, { lanes: 12, stall: false }]) {
      const b = buildRequant(cfg);
      const e = emitToTemp(b.module, 'rq');
      assert.deepEqual(lintProblems(e), [], e.top);
      assert.equal(b.flops, countFlops(b.module), e.top);
      assert.equal(b.latency, REQUANT_LATENCY);
    }
    if (hasBinary('yosys'))
      for (const stall of [true, false]) {
        const e = emitToTemp(buildRequant({ lanes: 2, stall }).module, 'rqys');
        const r = await yosysSynthCheck(e.files, e.top);
        assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
      }
    const free = emitToTemp(buildRequant({ lanes: 2, stall: false }).module, 'rqfree');
    assert.deepEqual(free.design.top.ports.filter((x) => /^(s|m)_axis_tready$/.test(x.name)), [], 'free-running: no tready on s_axis/m_axis');
  });

  it('rejects bad parameters, listing each', () => {
    assert.throws(() => buildRequant({ lanes: 0, accBits: 25 }), /2 invalid parameters[\s\S]*lanes = 0[\s\S]*accBits = 25/);
  });

  for (const name of ['gru0.z', 'feat1'] as const)
    it(`matches the golden model bit-exactly on real ${name} accumulators, under backpressure`, async () => {
    const r = realLayers().find((x) => x.name === name)!;
    const p: RequantParams = { lanes: r.L.cout, accBits: 24, outBits: 8 };
    const e = emitToTemp(buildRequant(p).module, `rqreal${p.lanes}`);
    const accs = Array.from({ length: r.cells }, (_, n) => lanesAt(r.acc, n, r.cells, p.lanes));
    const side = (n: number) => ({ last: n % r.gw === r.gw - 1, user: n === 0 });
    // The coefficient beat is offered in cycle 1 with no gap and blocks s_axis while pending, so it is accepted first.
    const rep = await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis_q: [{ data: packCoef(p, r.coef) }], s_axis: accs.map((a, n) => ({ data: packLanes(a, 24), ...side(n) })) },
      model: () => ({ m_axis: requantModel(p, [{ kind: 'coef', coef: r.coef }, ...accs.map((acc) => ({ kind: 'acc' as const, acc }))]).map((o, n) => ({ data: packLanes(o, 8), ...side(n) })) }),
      compare: { label: `requant ${name}` },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: { s_axis: 0.3 }, outputStall: 0.5 } }, { seed: 3, backpressure: { outputStall: 0.9 } }],
    });
    const out = rep.runs[0].result.outputs.m_axis;
    out.forEach((b, n) => assert.deepEqual(unpackLanes(b.data, p.lanes, 8, true), lanesAt(r.golden, n, r.cells, p.lanes), `RTL vs traced ${name} output, cell ${n}`));
    assert.equal(out[out.length - 1].cycle - out[0].cycle, r.cells - 1, 'one beat per cycle without backpressure');
    // Coefficients accepted in cycle 1, first accumulator in cycle 2, result offered 3 cycles later.
    assert.equal(out[0].cycle, 2 + REQUANT_LATENCY);
  });

  it('free-running (stall: false) matches the golden model on real gru0.z accumulators', async () => {
    const r = realLayers().find((x) => x.name === 'gru0.z')!;
    const p: RequantParams = { lanes: r.L.cout, accBits: 24, outBits: 8 };
    const e = emitToTemp(buildRequant({ ...p, stall: false }).module, 'rqfreereal');
    const accs = Array.from({ length: r.cells }, (_, n) => lanesAt(r.acc, n, r.cells, p.lanes));
    const res = await runStreamSim({
      design: simDesign(e),
      inputs: { s_axis_q: [{ data: packCoef(p, r.coef) }], s_axis: accs.map((a, n) => ({ data: packLanes(a, 24), last: n % r.gw === r.gw - 1, user: n === 0 })) },
      expect: { m_axis: accs.length },
      seed: 4,
      backpressure: { inputGap: { s_axis: 0.3 } },
    });
    // The load waits for a cycle without an accumulator: vectors before it give 0 (reset
    // coefficients), every later one the golden PZ.
    const out = res.outputs.m_axis.map((b) => unpackLanes(b.data, p.lanes, 8, true));
    const first = out.findIndex((v, n) => v.some((x, c) => x !== 0 || lanesAt(r.golden, n, r.cells, p.lanes)[c] === 0) && v.every((x, c) => x === lanesAt(r.golden, n, r.cells, p.lanes)[c]));
    assert.ok(first >= 0 && first < 10, `coefficients loaded within the first gaps (first golden vector ${first})`);
    out.forEach((v, n) => assert.deepEqual(v, n < first ? new Array<number>(p.lanes).fill(0) : lanesAt(r.golden, n, r.cells, p.lanes), `vector ${n}`));
    assert.equal(res.outputs.m_axis[res.outputs.m_axis.length - 1].last, true);
  });

  it('coefficient reloads between vectors never mix two sets (random extremes, S = 1..46)', async () => {
    const p: RequantParams = { lanes: 3, accBits: 24, outBits: 8 };
    const e = emitToTemp(buildRequant(p).module, 'rqreload');
    const g = prng(77);
    const extremes = [-(2 ** 23), 2 ** 23 - 1, -1, 0, 1];
    const accs = Array.from({ length: 600 }, (_, i) => Array.from({ length: 3 }, () => (i % 7 === 0 ? extremes[g.int(0, 4)] : g.int(-(2 ** 23), 2 ** 23 - 1))));
    const sets: RequantCoef[] = Array.from({ length: 8 }, (_, k) => {
      const lo = g.int(-128, 0), hi = g.int(lo, 127);
      return { M: [2 ** 14, 2 ** 15 - 1, g.int(2 ** 14, 2 ** 15 - 1)], S: k === 0 ? [1, 46, 24] : [g.int(1, 46), g.int(17, 30), g.int(20, 26)], lo, hi };
    });
    for (const seed of [5, 6]) {
      const res = await runStreamSim({
        design: simDesign(e),
        inputs: { s_axis_q: sets.map((c) => ({ data: packCoef(p, c) })), s_axis: accs.map((a) => ({ data: packLanes(a, 24), last: false, user: false })) },
        expect: { m_axis: accs.length },
        seed,
        backpressure: { inputGap: { s_axis_q: 0.97, s_axis: 0.1 }, outputStall: 0.3 },
      });
      // Candidates in load order: the reset coefficients (outputs 0) before any load, then each set.
      const cands = [resetCoef(p), ...sets];
      const used = new Array<number>(cands.length).fill(0);
      let phase = 0;
      res.outputs.m_axis.forEach((b, i) => {
        const got = unpackLanes(b.data, 3, 8, true);
        const ops = (k: number): RequantOp[] => {
          const v: RequantOp = { kind: 'acc', acc: accs[i] };
          return k === 0 ? [v] : [{ kind: 'coef', coef: cands[k] }, v];
        };
        const k = cands.findIndex((_, j) => j >= phase && requantModel(p, ops(j))[0].every((x, n) => x === got[n]));
        if (k < 0) assert.fail(`seed ${seed}, vector ${i}: [${got}] matches no coefficient set at or after ${phase} (expected [${requantModel(p, ops(phase))[0]}])`);
        phase = k;
        used[k]++;
      });
      assert.ok(used.filter((n) => n > 0).length >= 5, `seed ${seed}: reloads interleaved with data (per set: ${used.join('/')})`);
    }
  });
});
