import assert from 'node:assert/strict';
import { join } from 'node:path';
import { SimBuildError, SimInputError } from '../../sim/errors.ts';
import { groupPorts } from '../../sim/streams.ts';
import { designFromVerilog } from '../../sim/verilog-ports.ts';
import type { PortSpec } from '../../sim/types.ts';
import { FIXTURES, fixture } from './fixture-designs.ts';

describe('sim: ports and stream grouping', () => {
  it('reads the elaborated port list with parameter overrides', () => {
    const d = fixture('skid_buffer', { W: 100, U: 2 });
    const w = Object.fromEntries(d.ports.map((p) => [p.name, `${p.dir}:${p.width}`]));
    assert.equal(w.s_axis_tdata, 'input:100');
    assert.equal(w.m_axis_tdata, 'output:100');
    assert.equal(w.m_axis_tuser, 'output:2');
    assert.equal(w.s_axis_tready, 'output:1');
    assert.equal(d.ports[0].name, 'clk', 'declaration order kept');
  });

  it('groups streams, constant inputs and passive debug streams', () => {
    const g = groupPorts(fixture('two_stage', undefined, ['skid_buffer']).ports);
    const byName = Object.fromEntries(g.streams.map((s) => [s.name, s]));
    assert.deepEqual(Object.keys(byName).sort(), ['dbg_axis', 'm_axis', 's_axis']);
    assert.equal(byName.s_axis.dir, 'in');
    assert.equal(byName.m_axis.passive, false);
    assert.equal(byName.dbg_axis.passive, true, 'tready driven by the DUT: observe only');
    assert.equal(byName.s_axis.userWidth, 1);
    assert.equal(byName.s_axis.hasLast, true);
    assert.deepEqual(groupPorts(fixture('add_reg').ports).consts.map((c) => c.name), ['offset']);
  });

  it('names what is wrong with a malformed stream or missing clock', () => {
    const base: PortSpec[] = [
      { name: 'clk', dir: 'input', width: 1 },
      { name: 'rst_n', dir: 'input', width: 1 },
    ];
    assert.throws(() => groupPorts([...base, { name: 'x_tdata', dir: 'input', width: 8 }], 'clk', 'rst_n', 'm'), (e: Error) => e instanceof SimInputError && /x_tvalid/.test(e.message));
    assert.throws(
      () => groupPorts([...base, { name: 'x_tdata', dir: 'input', width: 8 }, { name: 'x_tvalid', dir: 'output', width: 1 }], 'clk', 'rst_n', 'm'),
      /x_tvalid is an output but x_tdata is an input/,
    );
    assert.throws(() => groupPorts(base.slice(1), 'clk', 'rst_n', 'm'), /m: no clock port 'clk'/);
  });

  it('reports a missing file and a Verilog error as typed errors', () => {
    assert.throws(() => designFromVerilog({ files: [join(FIXTURES, 'nope.v')], top: 'nope' }), (e: Error) => e instanceof SimInputError && /nope\.v/.test(e.message));
    assert.throws(
      () => designFromVerilog({ files: [join(FIXTURES, 'skid_buffer.v')], top: 'not_there' }),
      (e: Error) => e instanceof SimBuildError && /not_there/.test(e.message),
    );
  });
});
