// At least 20 distinct bad configurations/descriptions through the CLI: each exits 2 with a
// message naming the module (or register file) it concerns, and none prints a stack trace.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'screen-bad-'));
const reg = (name: string, offset: number, fields: object[], access = 'RW') => ({ name, offset, access, doc: 'x', fields });
const field = (name: string, msb: number, lsb: number) => ({ name, msb, lsb, doc: 'x' });
function spec(tag: string, registers: object[], extra: object = {}): string {
  const p = join(dir, `${tag}.json`);
  writeFileSync(p, JSON.stringify({ name: 'bad_regs', addrBits: 8, doc: 'x', registers, ...extra }));
  return p;
}

// [label, argv after `screen gen`, text the message must contain (the module it concerns)]
const CASES: [string, string[], string][] = [
  ['array rows 0', ['--design', 'mac-array', '--rows', '0'], 'mac_array'],
  ['array cols 99', ['--design', 'mac-array', '--cols', '99'], 'mac_array'],
  ['array weight bits 5', ['--design', 'mac-array', '--quant-bits', '5'], 'mac_array'],
  ['array act bits 1', ['--design', 'mac-array', '--act-bits', '1'], 'mac_array'],
  ['array fifo depth -3', ['--design', 'mac-array', '--fifo-depth=-3'], 'mac_array'],
  ['pe taps 0', ['--design', 'mac-pe', '--taps', '0'], 'mac_pe'],
  ['pe mode', ['--design', 'mac-pe', '--mode', 'systolic'], 'mac_pe'],
  ['pe weight bits 7', ['--design', 'mac-pe', '--quant-bits', '7'], 'mac_pe'],
  ['line buffer k 4', ['--design', 'line-buffer', '--k', '4'], 'line_buffer'],
  ['line buffer max width 0', ['--design', 'line-buffer', '--max-width', '0'], 'line_buffer'],
  ['line buffer pixel bits 0', ['--design', 'line-buffer', '--pixel-bits', '0'], 'line_buffer'],
  ['skid width 0', ['--design', 'skid-buffer', '--width', '0'], 'axis_'],
  ['bilinear odd max width', ['--design', 'bilinear-x15', '--max-width', '1279'], 'bilinear'],
  ['bilinear 9 channels', ['--design', 'bilinear-x15', '--channels', '9'], 'bilinear'],
  ['requant 0 lanes', ['--design', 'requant', '--lanes', '0'], 'requant'],
  ['requant acc bits 40', ['--design', 'requant', '--acc-bits', '40'], 'requant'],
  ['gru mode', ['--design', 'gru-update', '--mode', 'zr'], 'gru'],
  ['top weight source', ['--design', 'top', '--weight-source', 'flash'], 'screen_top'],
  ['regfile duplicate register', ['--design', 'regfile', '--spec', spec('dup', [reg('ctrl', 0, [field('en', 0, 0)]), reg('ctrl', 4, [field('en', 0, 0)])])], 'bad_regs'],
  ['regfile unaligned offset', ['--design', 'regfile', '--spec', spec('align', [reg('ctrl', 2, [field('en', 0, 0)])])], 'bad_regs'],
  ['regfile overlapping offsets', ['--design', 'regfile', '--spec', spec('overlap', [reg('a', 4, [field('x', 0, 0)]), reg('b', 4, [field('y', 0, 0)])])], 'bad_regs'],
  ['regfile overlapping fields', ['--design', 'regfile', '--spec', spec('fields', [reg('ctrl', 0, [field('a', 3, 0), field('b', 4, 2)])])], 'bad_regs'],
  ['regfile field past bit 31', ['--design', 'regfile', '--spec', spec('msb', [reg('ctrl', 0, [field('a', 32, 0)])])], 'bad_regs'],
  ['regfile offset past address space', ['--design', 'regfile', '--spec', spec('range', [reg('ctrl', 256, [field('a', 0, 0)])])], 'bad_regs'],
  ['regfile access kind', ['--design', 'regfile', '--spec', spec('access', [reg('ctrl', 0, [field('a', 0, 0)], 'RX')])], 'bad_regs'],
  ['regfile keyword name', ['--design', 'regfile', '--spec', spec('kw', [reg('module', 0, [field('a', 0, 0)])])], 'bad_regs'],
];

describe('cli: bad configurations and descriptions', () => {
  it(`rejects ${CASES.length} distinct bad inputs with exit 2, naming the module, without a stack trace`, () => {
    assert.ok(CASES.length >= 20);
    for (const [label, argv, where] of CASES) {
      const r = spawnSync(process.execPath, ['bin/screen.js', 'gen', ...argv, '--out', join(dir, 'out')], { encoding: 'utf8' });
      assert.equal(r.status, 2, `${label}: exit ${r.status}\n${r.stderr}`);
      assert.ok(r.stderr.includes(where), `${label}: message does not name ${where}:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /^\s+at .+:\d+:\d+\)?$/m, `${label}: stack trace:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error/, label);
    }
  });
});
