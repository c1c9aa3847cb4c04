// axis_join / axis_fork: structure (lint, comb paths, cost) and RTL under random backpressure
// for N = 2 and 3, plus a fork -> (credit gru | skid) -> join round trip.
import assert from 'node:assert/strict';
import { buildAxisFork, buildAxisJoin, joinFlops, joinParams } from '../../generators/blocks/axis/join_fork.ts';
import { buildSkidBuffer } from '../../generators/blocks/axis/skid_buffer.ts';
import { buildPipeSlice } from '../../generators/blocks/axis/pipe_slice.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { packLanes, unpackLanes } from '../../generators/blocks/bits.ts';
import { buildGruUpdate } from '../../generators/blocks/gru_update/index.ts';
import { gruModel } from '../../generators/blocks/gru_update/model.ts';
import { Module } from '../../generators/core/index.ts';
import { assertSimCompare, type BeatIn } from '../../sim/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

function randomBeats(n: number, width: number, seed: number): BeatIn[] {
  const r = prng(seed);
  const mask = (1n << BigInt(width)) - 1n;
  return Array.from({ length: n }, () => {
    let v = 0n;
    for (let b = 0; b < width; b += 32) v |= BigInt(r.u32()) << BigInt(b);
    return { data: v & mask, last: r.bit(0.1), user: r.bit(0.05) };
  });
}

/** Join model: beat i = concatenation of beat i of every input (input 0 lowest), sideband of input `side`. */
function joinModel(widths: number[], ins: BeatIn[][], side = 0): BeatIn[] {
  return ins[0].map((_, i) => {
    let d = 0n;
    for (let k = widths.length - 1; k >= 0; k--) d = (d << BigInt(widths[k])) | BigInt(ins[k][i].data);
    return { data: d, last: !!ins[side][i].last, user: ins[side][i].user ? 1 : 0 };
  });
}

describe('axis_join / axis_fork: structure', () => {
  it('join: lint-clean, no output depends on m_axis_tready, flops as reported', () => {
    for (const widths of [[8, 20], [5, 64, 3]]) {
      const b = buildAxisJoin({ widths });
      const e = emitToTemp(b.module, 'join');
      assert.deepEqual(lintProblems(e), [], e.top);
      for (const [out, deps] of e.design.top.combDeps) assert.ok(!deps.has('m_axis_tready'), `${out} depends combinationally on m_axis_tready`);
      // m_axis_* come straight from flops.
      for (const [out, deps] of e.design.top.combDeps) if (out.startsWith('m_axis')) assert.equal(deps.size, 0, `${out} depends on ${[...deps]}`);
      assert.equal(b.flops, countFlops(b.module));
      assert.equal(b.latency, 1);
    }
    assert.equal(joinFlops(joinParams.validate({ widths: [8, 20] })), 2 * 30 + 2);
  });

  it('fork: lint-clean, tvalid never depends on tready, one flag per output', () => {
    for (const outputs of [2, 3]) {
      const b = buildAxisFork({ width: 16, outputs });
      const e = emitToTemp(b.module, 'fork');
      assert.deepEqual(lintProblems(e), [], e.top);
      for (let k = 0; k < outputs; k++) assert.ok(![...(e.design.top.combDeps.get(`m_axis_${k}_tvalid`) ?? [])].some((d) => d.endsWith('_tready')), `m_axis_${k}_tvalid waits for a tready`);
      assert.equal(b.flops, countFlops(b.module));
      assert.equal(b.flops, outputs);
    }
  });

  it('join, fork and a credit gru_update synthesise with Yosys without warnings', async function () {
    if (!hasBinary('yosys')) this.skip();
    for (const m of [buildAxisJoin({ widths: [5, 9, 3] }).module, buildAxisFork({ width: 6, outputs: 3 }).module, buildGruUpdate({ mode: 'update', lanes: 2, passBits: 3, credit: true }).module]) {
      const e = emitToTemp(m, 'jfys');
      const r = await yosysSynthCheck(e.files, e.top);
      assert.ok(r.ok, `${e.top}: ${r.problems.join('\n') || r.output.slice(-2000)}`);
    }
  });

  it('bad parameters name every violation', () => {
    assert.throws(() => buildAxisJoin({ widths: [8], sideFrom: 3 }), /widths = \[8\]/);
    assert.throws(() => buildAxisJoin({ widths: [8, 8], sideFrom: 2 }), /sideFrom = 2 names no input \(there are 2\)/);
    assert.throws(() => buildAxisFork({ width: 0, outputs: 1 }), /2 invalid parameters[\s\S]*width = 0[\s\S]*outputs = 1/);
  });
});

describe('axis_join / axis_fork: RTL under random backpressure', function () {
  if (!hasBinary('verilator')) return;

  for (const [widths, side] of [[[8, 20], 0], [[5, 70, 3], 1]] as const) {
    it(`join of ${widths.length} (${widths.join('+')} bits, sideband from input ${side}): every beat concatenated, none lost`, async () => {
      const n = 3000;
      const ins = widths.map((w, k) => randomBeats(n, w, 100 + k));
      const e = emitToTemp(buildAxisJoin({ widths: [...widths], sideFrom: side }).module, 'joinsim');
      const inputs = Object.fromEntries(ins.map((b, k) => [`s_axis_${k}`, b]));
      const gaps = Object.fromEntries(ins.map((_, k) => [`s_axis_${k}`, [0.1, 0.6, 0.3][k]]));
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs,
        model: () => ({ m_axis: joinModel([...widths], ins, side) }),
        compare: { label: `join ${widths.join('+')}` },
        variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: gaps, outputStall: 0.5 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } }],
      });
      const out = rep.runs[0].result.outputs.m_axis;
      assert.equal(out[out.length - 1].cycle - out[0].cycle, n - 1, 'one beat per cycle without backpressure');
    });
  }

  it('join, registered false (no registers): every beat concatenated under backpressure, one per cycle, lint-clean, 0 flops', async () => {
    const widths = [5, 70, 3];
    const n = 2000;
    const ins = widths.map((w, k) => randomBeats(n, w, 200 + k));
    const b = buildAxisJoin({ widths, sideFrom: 1, registered: false });
    assert.equal(b.module.name, 'axis_join_w5_70_3lu_s1_c');
    assert.equal(b.flops, 0);
    assert.equal(countFlops(b.module), 0);
    assert.deepEqual(lintProblems(emitToTemp(b.module, 'joinc')), []);
    // A module without registers has no clock: simulate it behind a pipeline slice.
    const w = new Module('tb_join_c', { params: { block: 'join_c_test_wrapper' } });
    const u = w.instantiate('u_join', b.module);
    widths.forEach((wd, k) => connectStream(w, streamIn(w, { width: wd }, `s_axis_${k}`), instSink(u, `s_axis_${k}`)));
    const sl = w.instantiate('u_slice', buildPipeSlice({ width: 78 }).module);
    connectStream(w, instSource(u), instSink(sl));
    connectStream(w, instSource(sl), streamOut(w, { width: 78 }, 'm_axis'));
    const e = emitToTemp(w, 'joincw');
    const gaps = Object.fromEntries(ins.map((_, k) => [`s_axis_${k}`, [0.1, 0.6, 0.3][k]]));
    const rep = await assertSimCompare({
      design: simDesign(e),
      inputs: Object.fromEntries(ins.map((x, k) => [`s_axis_${k}`, x])),
      model: () => ({ m_axis: joinModel(widths, ins, 1) }),
      compare: { label: 'join combinational' },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: gaps, outputStall: 0.5 } }],
    });
    const out = rep.runs[0].result.outputs.m_axis;
    assert.equal(out[out.length - 1].cycle - out[0].cycle, n - 1, 'one beat per cycle without backpressure');
  });

  for (const outputs of [2, 3]) {
    it(`fork to ${outputs}: identical beats on every output with independent stalls`, async () => {
      const beats = randomBeats(3000, 40, 7 + outputs);
      const e = emitToTemp(buildAxisFork({ width: 40, outputs }).module, 'forksim');
      const outs = Array.from({ length: outputs }, (_, k) => `m_axis_${k}`);
      const stalls = Object.fromEntries(outs.map((o, k) => [o, [0.8, 0.1, 0.5][k]]));
      const rep = await assertSimCompare({
        design: simDesign(e),
        inputs: { s_axis: beats },
        model: () => Object.fromEntries(outs.map((o) => [o, beats])),
        compare: { label: `fork ${outputs}` },
        variants: [{ seed: 1 }, { seed: 5, backpressure: { inputGap: 0.3, outputStall: stalls } }, { seed: 6, backpressure: { outputStall: 0.6 } }],
      });
      const full = rep.runs[0].result;
      for (const o of outs) assert.equal(full.outputs[o][beats.length - 1].cycle - full.outputs[o][0].cycle, beats.length - 1, `${o}: one beat per cycle`);
      // Independent handshakes: under uneven stalls an output takes a beat before a slower one.
      const uneven = rep.runs[1].result.outputs;
      assert.ok(uneven.m_axis_1.some((b, i) => b.cycle < uneven.m_axis_0[i].cycle), 'the fast output ran ahead of the stalled one at least once');
    });
  }

  it('fork -> (credit gru_update rh | skid) -> join: the side branch realigns with the unit', async () => {
    // A design fragment: the gru takes the lanes, the other branch carries the whole beat.
    const lanes = 4, W = 2 * lanes * 8;
    const top = new Module('fork_gru_join');
    const s = streamIn(top, { width: W });
    const fork = top.instantiate('u_fork', buildAxisFork({ width: W, outputs: 2 }).module);
    connectStream(top, s, instSink(fork));
    const gru = top.instantiate('u_gru', buildGruUpdate({ mode: 'rh', lanes, credit: true }).module);
    connectStream(top, instSource(fork, 'm_axis_0'), instSink(gru));
    const skid = top.instantiate('u_skid', buildSkidBuffer({ width: W }).module);
    connectStream(top, instSource(fork, 'm_axis_1'), instSink(skid));
    const join = top.instantiate('u_join', buildAxisJoin({ widths: [lanes * 8, W] }).module);
    connectStream(top, instSource(gru), instSink(join, 's_axis_0'));
    connectStream(top, instSource(skid), instSink(join, 's_axis_1'));
    connectStream(top, instSource(join), streamOut(top, { width: lanes * 8 + W }));
    const e = emitToTemp(top, 'forkgrujoin');
    assert.deepEqual(lintProblems(e), []);
    const g = prng(77);
    const beats: BeatIn[] = Array.from({ length: 1500 }, (_, i) => ({ data: packLanes(Array.from({ length: 2 * lanes }, () => g.int(-128, 127)), 8), last: i % 30 === 29, user: i % 300 === 0 }));
    await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: beats },
      model: (ins) => {
        const v = ins.s_axis.map((b) => unpackLanes(BigInt(b.data), 2 * lanes, 8, true));
        const rh = gruModel('rh', lanes, v.map((x) => ({ pr: x.slice(0, lanes), h: x.slice(lanes) })));
        return { m_axis: ins.s_axis.map((b, i) => ({ data: (BigInt(b.data) << BigInt(lanes * 8)) | packLanes(rh[i], 8), last: !!b.last, user: b.user ? 1 : 0 })) };
      },
      compare: { label: 'fork-gru-join' },
      variants: [{ seed: 1 }, { seed: 9, backpressure: { inputGap: 0.2, outputStall: 0.6 } }],
    });
  });
});
