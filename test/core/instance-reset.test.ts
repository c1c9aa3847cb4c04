// Instance.withReset: a child's synchronous reset driven by a parent signal (soft reset).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElaborationErrors, Module, elaborate, emitVerilog, writeVerilog } from '../../generators/core/index.ts';
import { counter } from '../../generators/core/examples/counter.ts';
import { hasBinary, verilatorLint } from '../helpers/tools.ts';

function parent(resetWidth: number): Module {
  const m = new Module('soft_reset_parent');
  const clear = m.input('soft_clear', 1);
  const rst = m.regInit('child_rst_n', resetWidth, 0);
  rst.set(clear.not().zext(resetWidth));
  const c = m.instantiate('u_cnt', counter({ width: 4, max: 9 }), { en: 1, clear: 0 });
  c.withReset(rst);
  m.output('q', 4).set(c.out('q'));
  c.unused('wrap', 'not needed');
  return m;
}

describe('core: instance reset override', () => {
  it('wires the child rst_n to the given parent signal; lint clean', function () {
    const d = elaborate(parent(1));
    const text = emitVerilog(d).get('soft_reset_parent.v')!;
    assert.match(text, /\.rst_n\s+\(child_rst_n\)/);
    assert.match(text, /child_rst_n <= /);
    if (!hasBinary('verilator')) this.skip(); // installed in CI (.ci/run)
    const dir = mkdtempSync(join(tmpdir(), 'core-reset-'));
    try {
      const r = verilatorLint(writeVerilog(d, dir), d.top.name);
      assert.ok(r.ok, r.output);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a reset wider than 1 bit, naming the instance and both widths', () => {
    assert.throws(
      () => elaborate(parent(2)),
      (e: unknown) => e instanceof ElaborationErrors && /reset of instance 'u_cnt' must be 1 bit, 'child_rst_n' is 2 bits/.test(e.message),
    );
  });
});
