// The lint/synth helpers really report problems (so the clean results elsewhere mean something).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasBinary, verilatorLint, yosysSynthCheck } from '../helpers/tools.ts';

describe('test helpers: tool checks catch real problems', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tools-check-'));
    // `b` is used but never declared or driven; input bit a[3] is never read.
    writeFileSync(join(dir, 'bad.v'), 'module bad (input wire [3:0] a, output wire [2:0] y);\n  assign y = a[2:0] + b;\nendmodule\n');
    // Legal Verilog, but input bit a[3] is never read: a -Wall warning, not an error.
    writeFileSync(join(dir, 'bad_lint.v'), 'module bad_lint (input wire [3:0] a, output wire [2:0] y);\n  assign y = a[2:0];\nendmodule\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('hasBinary', () => {
    assert.equal(hasBinary('sh'), true);
    assert.equal(hasBinary('surely-not-a-real-binary-name'), false);
  });

  it('verilatorLint reports warnings', function () {
    if (!hasBinary('verilator')) this.skip(); // installed in CI (.ci/run)
    const r = verilatorLint([join(dir, 'bad_lint.v')], 'bad_lint');
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((l) => /^%Warning-UNUSEDSIGNAL/.test(l)), r.output);
  });

  it('yosysSynthCheck reports warnings', async () => {
    const r = await yosysSynthCheck([join(dir, 'bad.v')], 'bad');
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((l) => /implicitly declared|no driver/.test(l)), r.output);
  });
});
