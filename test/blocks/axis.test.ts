import assert from 'node:assert/strict';
import { ElaborationErrors, elaborate, HdlError, Module } from '../../generators/core/index.ts';
import { buildFifo, fifoFlops } from '../../generators/blocks/axis/fifo.ts';
import { buildPipeSlice } from '../../generators/blocks/axis/pipe_slice.ts';
import { buildSkidBuffer, skidFlops } from '../../generators/blocks/axis/skid_buffer.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../generators/blocks/axis/stream.ts';
import { davisFramePath, davisSequences, frameToBeats, loadFrame, runStreamSim, type BeatIn } from '../../sim/index.ts';
import { hasBinary } from '../helpers/tools.ts';
import { emitToTemp, lintProblems, prng, simDesign } from './rtl.ts';

function randomBeats(n: number, width: number, seed: number): BeatIn[] {
  const r = prng(seed);
  const mask = (1n << BigInt(width)) - 1n;
  return Array.from({ length: n }, () => ({ data: ((BigInt(r.u32()) << 32n) | BigInt(r.u32())) & mask, last: r.bit(0.1), user: r.bit(0.02) }));
}

/** Same beats, same order, nothing lost or duplicated: reports the first difference. */
function assertSameBeats(exp: BeatIn[], got: { data: bigint; last: boolean; user: bigint }[], what: string): void {
  assert.equal(got.length, exp.length, `${what}: ${got.length} beats out, ${exp.length} in`);
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i];
    const g = got[i];
    if (g.data !== BigInt(e.data) || g.last !== !!e.last || g.user !== (e.user ? 1n : 0n))
      assert.fail(`${what}: first mismatch at beat ${i}: expected data=0x${BigInt(e.data).toString(16)} last=${!!e.last} user=${!!e.user}, got data=0x${g.data.toString(16)} last=${g.last} user=${g.user}`);
  }
}

describe('axis helpers: structure', () => {
  it('skid buffer: lint-clean, every output registered, no ready->ready path, cost as documented', () => {
    const b = buildSkidBuffer({ width: 24 });
    const e = emitToTemp(b.module, 'skid');
    assert.deepEqual(lintProblems(e), []);
    // combDeps: output -> inputs it depends on combinationally; a skid buffer has none.
    for (const [out, deps] of e.design.top.combDeps) assert.equal(deps.size, 0, `${out} depends combinationally on ${[...deps].join(', ')}`);
    assert.equal(b.latency, 1);
    assert.equal(b.flops, 2 * (24 + 2) + 2);
    assert.equal(skidFlops({ width: 24, last: false, user: false }), 50);
  });

  it('pipe slice: lint-clean; only s_axis_tready depends (on m_axis_tready) combinationally', () => {
    const b = buildPipeSlice({ width: 8, user: false });
    const e = emitToTemp(b.module, 'pipe');
    assert.deepEqual(lintProblems(e), []);
    const deps = Object.fromEntries([...e.design.top.combDeps].map(([k, v]) => [k, [...v].sort()]));
    assert.deepEqual(deps.s_axis_tready, ['m_axis_tready']);
    assert.deepEqual(deps.m_axis_tvalid ?? [], []);
    assert.equal(b.flops, 8 + 1 + 1);
  });

  it('fifo: lint-clean for power-of-two and other depths', () => {
    for (const depth of [2, 5, 8]) assert.deepEqual(lintProblems(emitToTemp(buildFifo({ width: 12, depth }).module, 'fifo')), [], `depth ${depth}`);
    assert.equal(fifoFlops({ width: 12, depth: 5 }), 5 * 14 + 2 * 3 + 3);
  });

  it('connectStream wires two blocks in one call and reports width and sideband mismatches', () => {
    const top = new Module('two_slices');
    const a = top.instantiate('a', buildSkidBuffer({ width: 16 }).module);
    const b = top.instantiate('b', buildSkidBuffer({ width: 16 }).module);
    connectStream(top, streamIn(top, { width: 16 }), instSink(a));
    connectStream(top, instSource(a), instSink(b));
    connectStream(top, instSource(b), streamOut(top, { width: 16 }));
    const e = emitToTemp(top, 'conn');
    assert.deepEqual(lintProblems(e), []);

    const bad = new Module('bad_conn');
    const x = bad.instantiate('x', buildSkidBuffer({ width: 16 }).module);
    const y = bad.instantiate('y', buildSkidBuffer({ width: 12, user: false }).module);
    connectStream(bad, instSource(x), instSink(y));
    assert.throws(
      () => elaborate(bad),
      (err: unknown) => {
        const msgs = err instanceof ElaborationErrors ? err.message : (err as HdlError).message;
        assert.match(msgs, /tdata is 16 bits at bad_conn\.x\.m_axis but 12 bits at bad_conn\.y\.s_axis/);
        assert.match(msgs, /tuser exists at bad_conn\.x\.m_axis but not at bad_conn\.y\.s_axis/);
        return true;
      },
    );
  });

  it('bad parameters list every violation', () => {
    assert.throws(() => buildFifo({ width: 0, depth: 1 }), /2 invalid parameters[\s\S]*width = 0[\s\S]*depth = 1/);
  });
});

describe('axis helpers: RTL under random backpressure', function () {
  if (!hasBinary('verilator')) return;

  it('skid buffer passes 10^5 beats under random gaps and stalls, none lost or duplicated', async () => {
    const e = emitToTemp(buildSkidBuffer({ width: 32 }).module, 'skid100k');
    const beats = randomBeats(100_000, 32, 11);
    const r = await runStreamSim({ design: simDesign(e), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed: 3, backpressure: { inputGap: 0.3, outputStall: 0.4 } });
    assertSameBeats(beats, r.outputs.m_axis, 'axis_skid 10^5 beats');
    assert.ok(r.outputStats.m_axis.stallCycles > 10_000 && r.inputs.s_axis.stallCycles > 1000, 'backpressure was exercised');
  });

  it('skid buffer sustains one beat per cycle with no backpressure', async () => {
    const e = emitToTemp(buildSkidBuffer({ width: 8 }).module, 'skidfull');
    const beats = randomBeats(2000, 8, 5);
    const r = await runStreamSim({ design: simDesign(e), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed: 1 });
    assertSameBeats(beats, r.outputs.m_axis, 'axis_skid full speed');
    const out = r.outputs.m_axis;
    assert.equal(out[out.length - 1].cycle - out[0].cycle, beats.length - 1, 'one beat per cycle');
  });

  it('skid buffer passes a real DAVIS frame (24-bit RGB pixels) unchanged under backpressure', async () => {
    const img = loadFrame(davisFramePath(davisSequences('val')[3], 0), { format: 'rgb', crop: { x: 0, y: 0, width: 200, height: 30 } });
    const beats = frameToBeats(img);
    const e = emitToTemp(buildSkidBuffer({ width: 24 }).module, 'skidrgb');
    const r = await runStreamSim({ design: simDesign(e), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed: 12, backpressure: { inputGap: 0.2, outputStall: 0.5 } });
    assertSameBeats(beats, r.outputs.m_axis, 'axis_skid DAVIS frame');
  });

  it('pipe slice and fifo pass random traffic unchanged', async () => {
    for (const [name, mod] of [
      ['pipe', buildPipeSlice({ width: 40 }).module],
      ['fifo', buildFifo({ width: 40, depth: 5 }).module],
    ] as const) {
      const e = emitToTemp(mod, name);
      const beats = randomBeats(5000, 40, 9);
      const r = await runStreamSim({ design: simDesign(e), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed: 4, backpressure: { inputGap: 0.2, outputStall: 0.5 } });
      assertSameBeats(beats, r.outputs.m_axis, name);
    }
  });
});
