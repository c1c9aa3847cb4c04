// Every block must synthesise with Yosys without warnings, and the line buffer's line storage
// must stay an inferred memory (one $mem_v2 cell with a registered read), not flops.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildSkidBuffer } from '../../generators/blocks/axis/skid_buffer.ts';
import { buildLineBuffer } from '../../generators/blocks/line_buffer/index.ts';
import { buildMacArray } from '../../generators/blocks/mac_array/index.ts';
import { buildMacPe } from '../../generators/blocks/mac_pe/index.ts';
import { buildRegFile, screenRegs } from '../../generators/blocks/regfile/index.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { emitToTemp } from './rtl.ts';

describe('blocks synthesise with Yosys', function () {
  if (!hasBinary('yosys')) return;
  for (const [name, build] of [
    ['mac_pe', () => buildMacPe({}).module],
    ['mac_array 4x3', () => buildMacArray({ rows: 4, cols: 3 }).module],
    ['line_buffer', () => buildLineBuffer({ maxWidth: 64 }).module],
    ['axis_skid', () => buildSkidBuffer({}).module],
    ['regfile', () => buildRegFile(screenRegs)],
  ] as const)
    it(`${name}: no warnings`, async () => {
      const e = emitToTemp(build(), 'ys');
      const r = await yosysSynthCheck(e.files, e.top);
      assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
    });

  it('line_buffer keeps its lines in one inferred memory', () => {
    const e = emitToTemp(buildLineBuffer({ k: 5, maxWidth: 640 }).module, 'ysmem');
    const r = spawnSync('nice', ['yosys', '-p', `read_verilog ${e.files.join(' ')}; hierarchy -top ${e.top}; proc; memory -nomap; stat`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const stat = r.stdout.slice(r.stdout.lastIndexOf('Printing statistics'));
    assert.match(stat, /\$mem_v2\s+1\b/, stat);
  });
});
