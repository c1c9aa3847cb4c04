import assert from 'node:assert/strict';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildMacArray, macArrayFullRateFifoDepth, macArrayLatency } from '../../generators/blocks/mac_array/index.ts';
import { macArrayMatVec, macArrayModel, type MacArrayOp, type MacArrayParams } from '../../generators/blocks/mac_array/model.ts';
import { accWidth } from '../../generators/blocks/mac_pe/widths.ts';
import { assertSimCompare, davisFramePath, davisSequences, loadFrame, runStreamSim, type BeatIn } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

describe('mac_array model', () => {
  const p: MacArrayParams = { rows: 2, cols: 2, actBits: 8, weightBits: 8, pipeMul: false };

  it('computes out[j] = sum_r a[r] W[r][j] with the matrix loaded so far', () => {
    const ops: MacArrayOp[] = [
      { kind: 'act', a: [1, 1] }, // no weights yet: zeros
      { kind: 'weights', row: [1, 2] },
      { kind: 'weights', row: [3, 4] },
      { kind: 'act', a: [5, 6] },
      { kind: 'weights', row: [-1, 0] }, // reload starts again at row 0
      { kind: 'act', a: [5, 6] },
    ];
    assert.deepEqual(macArrayModel(p, ops), [[0, 0], [23, 34], [13, 24]]);
  });

  it('rejects wrong lane counts and out-of-range values', () => {
    assert.throws(() => macArrayModel(p, [{ kind: 'weights', row: [1] }]), /weight row has 1 lanes, expected cols=2/);
    assert.throws(() => macArrayModel(p, [{ kind: 'act', a: [1, 200] }]), /activation lane 1: 200 is not a signed 8-bit/);
  });
});

describe('mac_array RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean (4x3 with and without FIFO, 16x16 int8 x int4) and reports latency', () => {
    const small = buildMacArray({ rows: 4, cols: 3, pipeMul: true });
    const e0 = emitToTemp(small.module, 'arr');
    assert.deepEqual(lintProblems(e0), []);
    assert.equal(small.latency, 4 + 3 + 1);
    assert.equal(small.fifoDepth, 0);
    assert.equal(e0.design.top.ports.find((q) => q.name === 'm_axis_tready'), undefined, 'no FIFO: no m_axis_tready');
    // Without the FIFO every m_axis output is a flop: nothing depends on an input combinationally.
    for (const [out, deps] of e0.design.top.combDeps) if (out.startsWith('m_axis')) assert.equal(deps.size, 0, out);
    const fifo = buildMacArray({ rows: 4, cols: 3, fifoDepth: macArrayFullRateFifoDepth({ rows: 4, cols: 3, pipeMul: true }) });
    assert.deepEqual(lintProblems(emitToTemp(fifo.module, 'arrf')), []);
    assert.equal(fifo.latency, 4 + 3 + 1 + 1);
    assert.equal(fifo.fifoDepth, fifo.latency + 1);
    const big = buildMacArray({ rows: 16, cols: 16, weightBits: 4 });
    const e = emitToTemp(big.module, 'arr16');
    assert.deepEqual(lintProblems(e), []);
    assert.equal(e.design.modules.length, 16 + 1, 'one PE module per row, the array');
    assert.equal(big.accBits, 8 + 4 + 4);
  });

  it('rejects bad parameters, listing each', () => {
    assert.throws(() => buildMacArray({ rows: 0, cols: 65, actBits: 1 }), /3 invalid parameters[\s\S]*rows = 0[\s\S]*cols = 65[\s\S]*actBits = 1/);
    assert.throws(() => buildMacArray({ fifoDepth: 1 }), /fifoDepth = 1: use 0 \(no FIFO\) or at least 2/);
  });

  function randomCase(p: MacArrayParams, nAct: number, seed: number, act?: (i: number, r: number) => number) {
    const r = prng(seed);
    const wr = () => r.int(-(2 ** (p.weightBits - 1)), 2 ** (p.weightBits - 1) - 1);
    const W = Array.from({ length: p.rows }, () => Array.from({ length: p.cols }, wr));
    // Beat 0 is the worst case: all activations and weights most negative in column 0.
    W.forEach((row) => (row[0] = -(2 ** (p.weightBits - 1))));
    const A = Array.from({ length: nAct }, (_, i) => Array.from({ length: p.rows }, (_, k) => (i === 0 ? -128 : act ? act(i, k) : r.int(-128, 127))));
    return { W, A };
  }

  /** fifoDepth: 0 = no FIFO (m_axis has no tready, so no output stalls), -1 = full-rate FIFO. */
  async function check(p: MacArrayParams, fifoDepth: number, W: number[][], A: number[][], label: string) {
    const depth = fifoDepth < 0 ? macArrayFullRateFifoDepth(p) : fifoDepth;
    const info = buildMacArray({ ...p, weightBits: p.weightBits as 8 | 6 | 4, fifoDepth: depth });
    const e = emitToTemp(info.module, 'arr_sim');
    const accW = accWidth(p.actBits, p.weightBits, p.rows);
    const ops: MacArrayOp[] = [...W.map((row) => ({ kind: 'weights' as const, row })), ...A.map((a) => ({ kind: 'act' as const, a }))];
    const side = (i: number) => ({ last: i % 16 === 15, user: i % 64 === 0 });
    // Weights have priority while offered, so with no gaps on s_axis_w the matrix is complete
    // before the first activation is accepted: acceptance order = ops order.
    return assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis_w: W.map((row) => ({ data: packLanes(row, p.weightBits) })), s_axis_a: A.map((a, i) => ({ data: packLanes(a, p.actBits), ...side(i) })) },
      model: () => ({ m_axis: macArrayModel(p, ops).map((o, i) => ({ data: packLanes(o, accW), ...side(i) })) }),
      compare: { label },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: { s_axis_a: 0.3 }, ...(depth ? { outputStall: 0.5 } : {}) } }],
    });
  }

  it('matches the model bit-exactly on random data (several shapes, FIFO sizes, pipelining)', async () => {
    for (const [rows, cols, weightBits, pipeMul, fifo] of [
      [4, 3, 8, true, 0],
      [4, 3, 8, true, -1],
      [5, 2, 4, false, 2],
      [3, 6, 6, true, 3],
      [2, 5, 6, false, 0],
    ] as const) {
      const p = { rows, cols, actBits: 8, weightBits, pipeMul };
      const { W, A } = randomCase(p, 400, rows * 10 + cols);
      await check(p, fifo, W, A, `mac_array ${rows}x${cols} w${weightBits}`);
    }
  });

  it('sustains one result per cycle without a FIFO and with a full-rate FIFO', async () => {
    const p = { rows: 4, cols: 3, actBits: 8, weightBits: 8, pipeMul: true };
    const { W, A } = randomCase(p, 500, 3);
    for (const depth of [0, -1]) {
      const r = await check(p, depth, W, A, 'mac_array throughput');
      const out = r.runs[0].result.outputs.m_axis;
      assert.equal(out[out.length - 1].cycle - out[0].cycle, A.length - 1, `fifo ${depth}`);
    }
  });

  it('16x16 int8 x int4 matches the model on real DAVIS pixels (16 luma pixels - 128 per beat)', async () => {
    const img = loadFrame(davisFramePath(davisSequences('val')[1], 0), { crop: { x: 100, y: 200, width: 256, height: 4 } });
    const p = { rows: 16, cols: 16, actBits: 8, weightBits: 4, pipeMul: true };
    const { W, A } = randomCase(p, 64, 99, (i, k) => img.data[(i * 16 + k) % img.data.length] - 128);
    await check(p, 0, W, A, 'mac_array 16x16 real pixels');
    assert.equal(macArrayLatency({ ...p, fifoDepth: 0 }), 16 + 16 + 1);
  });

  it('weight reloads between activations never mix two matrices (drain counter)', async () => {
    // Wide rows make the last column read row 0's weights long after the activation entered.
    const p = { rows: 3, cols: 8, actBits: 8, weightBits: 8 as const, pipeMul: true };
    const e = emitToTemp(buildMacArray({ ...p, fifoDepth: 6 }).module, 'arr_reload');
    const { A } = randomCase(p, 600, 41);
    const Ws = Array.from({ length: 8 }, (_, k) => randomCase(p, 1, 50 + k).W);
    const accW = accWidth(8, 8, p.rows);
    for (const seed of [7, 8, 9]) {
      // Weight beats arrive with random gaps while activations flow: which matrix an activation
      // sees depends on timing, but it must be exactly one whole matrix (none yet = zeros,
      // then W0, W1, ...), in load order.
      const r = await runStreamSim({
        design: simDesign(e),
        inputs: { s_axis_w: Ws.flat().map((row) => ({ data: packLanes(row, 8) })), s_axis_a: A.map((a) => ({ data: packLanes(a, 8), last: false, user: false })) },
        expect: { m_axis: A.length },
        seed,
        backpressure: { inputGap: { s_axis_w: 0.8, s_axis_a: 0.1 }, outputStall: 0.2 },
      });
      const out = r.outputs.m_axis;
      assert.equal(out.length, A.length);
      const used = new Array<number>(Ws.length + 1).fill(0);
      let phase = 0;
      out.forEach((b, i) => {
        const got = unpackLanes(b.data, p.cols, accW, true);
        const cands = [new Array<number>(p.cols).fill(0), ...Ws.map((W) => macArrayMatVec(p, W, A[i]))];
        const k = cands.findIndex((c, j) => j >= phase && c.every((x, n) => x === got[n]));
        if (k < 0) assert.fail(`seed ${seed}, activation ${i}: result [${got}] is no whole matrix at or after phase ${phase} (expected [${cands[phase]}] or a later one)`);
        phase = k;
        used[k]++;
      });
      assert.ok(used.filter((n) => n > 0).length >= 4, `seed ${seed}: several reloads interleaved with activations (per phase: ${used.join('/')})`);
    }
  });
});
