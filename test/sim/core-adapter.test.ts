import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { elaborate } from '../../generators/core/elaborate.ts';
import { Module } from '../../generators/core/module.ts';
import { combValidOnReadyViolations, designFromCore } from '../../sim/core-design.ts';
import { assertSimCompare } from '../../sim/sim-compare.ts';
import type { BeatIn } from '../../sim/types.ts';
import { randomWords } from './fixture-designs.ts';

/** A one-entry stream slice adding 1 to each beat, written with the DSL core. */
function incSlice(opts: { validOnReady: boolean }): Module {
  const m = new Module(opts.validOnReady ? 'sim_t_bad_inc' : 'sim_t_inc', { params: { width: 12 } });
  const sd = m.input('s_axis_tdata', 12);
  const sv = m.input('s_axis_tvalid', 1);
  const sr = m.output('s_axis_tready', 1);
  const md = m.output('m_axis_tdata', 12);
  const mv = m.output('m_axis_tvalid', 1);
  const mr = m.input('m_axis_tready', 1);
  const v = m.regInit('v', 1, 0);
  const d = m.reg('d', 12, { reset: null });
  const free = m.wire('free', v.not().or(mr));
  sr.set(free);
  m.when(free, () => {
    v.set(sv);
    d.set(sd.add(1, 12));
  });
  md.set(d);
  // The broken variant only offers its beat while the sink is ready (tvalid waits for tready).
  mv.set(opts.validOnReady ? v.and(mr) : v);
  return m;
}

describe('sim: DSL core designs', () => {
  it('runs an elaborated core Design directly and matches the model under backpressure', async () => {
    const design = elaborate(incSlice({ validOnReady: false }));
    const sd = designFromCore(design);
    assert.equal(sd.top, 'sim_t_inc');
    assert.ok(sd.files.every((f) => existsSync(f)));
    assert.deepEqual(designFromCore(design).files, sd.files, 'same content, same folder');
    const inputs: Record<string, BeatIn[]> = { s_axis: randomWords(200, 12, 5).map((data) => ({ data })) };
    const rep = await assertSimCompare({
      design,
      inputs,
      model: (ins) => ({ m_axis: ins.s_axis.map((b) => ({ data: (BigInt(b.data) + 1n) & 0xfffn })) }),
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.4, outputStall: 0.4 } }],
    });
    assert.equal(rep.runs[1].reports.m_axis.expectedCount, 200);
  });

  it('steps a purely combinational design (no clk, no rst_n) cycle by cycle', async () => {
    const m = new Module('sim_t_comb_not', { params: { width: 8 } });
    const sd = m.input('s_axis_tdata', 8);
    const sv = m.input('s_axis_tvalid', 1);
    const sl = m.input('s_axis_tlast', 1);
    m.output('s_axis_tready', 1).set(m.input('m_axis_tready', 1));
    m.output('m_axis_tdata', 8).set(sd.not());
    m.output('m_axis_tvalid', 1).set(sv);
    m.output('m_axis_tlast', 1).set(sl);
    const design = elaborate(m);
    assert.equal(designFromCore(design).clock, null);
    const inputs = { s_axis: randomWords(100, 8, 9).map((data, i) => ({ data, last: i % 10 === 9 })) };
    await assertSimCompare({
      design,
      inputs,
      model: (ins) => ({ m_axis: ins.s_axis.map((b) => ({ data: ~BigInt(b.data) & 0xffn, last: b.last })) }),
      variants: [{ seed: 3, backpressure: { inputGap: 0.3, outputStall: 0.3 } }],
    });
  });

  it('rejects a tvalid that depends combinationally on its own tready', () => {
    const design = elaborate(incSlice({ validOnReady: true }));
    assert.deepEqual(combValidOnReadyViolations(design), ['sim_t_bad_inc: m_axis_tvalid depends combinationally on m_axis_tready (a source must raise tvalid whatever tready is)']);
    assert.throws(() => designFromCore(design), (e: Error & { code?: string }) => e.code === 'E_SIM_PROTOCOL');
  });
});
