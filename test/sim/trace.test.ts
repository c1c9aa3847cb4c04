import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBeatsEqual, compareStages } from '../../sim/compare.ts';
import { runStreamSim } from '../../sim/run.ts';
import type { BeatIn } from '../../sim/types.ts';
import { fixture, randomWords } from './fixture-designs.ts';

describe('sim: per-stage traces and VCD', () => {
  const design = () => fixture('two_stage', undefined, ['skid_buffer']);
  const beats: BeatIn[] = randomWords(200, 24, 3).map((data, i) => ({ data, last: i % 20 === 19, user: i === 0 }));
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'screen-sim-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('records a passive debug stream with cycle stamps alongside the output', async () => {
    const r = await runStreamSim({ design: design(), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed: 8, backpressure: { inputGap: 0.2, outputStall: 0.4 } });
    assertBeatsEqual(beats, r.outputs.m_axis, { label: 'm_axis' });
    assertBeatsEqual(beats, r.outputs.dbg_axis, { label: 'dbg_axis (middle stage)', compareLast: false, compareUser: false });
    // Every beat passes the middle stage before it leaves the second stage.
    r.outputs.dbg_axis.forEach((b, i) => assert.ok(b.cycle < r.outputs.m_axis[i].cycle, `beat ${i}: mid ${b.cycle} < out ${r.outputs.m_axis[i].cycle}`));
  });

  it('records an internal stream through public signals and writes a VCD', async () => {
    const vcd = join(dir, 'two_stage.vcd');
    const r = await runStreamSim({
      design: design(),
      inputs: { s_axis: beats },
      expect: { m_axis: beats.length },
      seed: 8,
      backpressure: { inputGap: 0.2, outputStall: 0.4 },
      taps: [{ name: 'mid', path: 'u_a.m_axis', dataWidth: 24, userWidth: 1, hasLast: true, hasReady: true }],
      vcd,
    });
    assertBeatsEqual(beats, r.outputs.mid, { label: 'u_a.m_axis' });
    // Per-stage comparison names the earliest stage whose log differs from its expectation.
    const wrongOut = beats.map((b, i) => (i === 9 ? { ...b, data: 0n } : b));
    const st = compareStages([
      { name: 'u_a.m_axis', expected: beats, actual: r.outputs.mid },
      { name: 'm_axis', expected: wrongOut, actual: r.outputs.m_axis },
    ]);
    assert.equal(st.ok, false);
    assert.equal(st.firstBad?.label, 'm_axis');
    assert.equal(st.firstBad?.first?.index, 9);
    assert.equal(compareStages([{ name: 'mid', expected: wrongOut, actual: r.outputs.mid }, { name: 'out', expected: wrongOut, actual: r.outputs.m_axis }]).firstBad?.label, 'mid');
    assert.deepEqual(r.outputs.mid.map((b) => b.cycle), r.outputs.dbg_axis.map((b) => b.cycle), 'tap and debug port see the same handshakes');
    assert.ok(existsSync(vcd));
    const text = readFileSync(vcd, 'utf8');
    assert.match(text, /\$var wire\s+24 \S+ dbg_axis_tdata/);
    assert.match(text, /\$enddefinitions/);
    // Two dumps per cycle (clock low and high), reset included.
    const stamps = text.match(/^#\d+$/gm)!;
    assert.equal(stamps.length, 2 * (r.cycles + 4));
  });
});
