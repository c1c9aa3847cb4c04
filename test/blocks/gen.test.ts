import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasBinary, verilatorLint } from '../helpers/tools.ts';

function screen(args: string[]): { status: number; json: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/screen.js', ...args, '--json'], { encoding: 'utf8' });
  return { status: r.status ?? -1, json: JSON.parse(r.stdout || '{}') as Record<string, unknown>, stderr: r.stderr };
}

describe('screen gen', () => {
  it('--design mac-array --rows 16 --cols 16 writes lint-clean Verilog and reports files, modules, hash', () => {
    const out = mkdtempSync(join(tmpdir(), 'screen-gen-'));
    const r = screen(['gen', '--design', 'mac-array', '--rows', '16', '--cols', '16', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.json.design, 'mac-array');
    assert.deepEqual(r.json.config, { rows: 16, cols: 16, actBits: 8, weightBits: 8, pipeMul: true, fifoDepth: 0 });
    assert.match(String(r.json.config_hash), /^[0-9a-f]{16}$/);
    const files = r.json.files as string[];
    assert.equal(r.json.modules, 17);
    assert.equal(files.length, 17);
    assert.equal(typeof r.json.elapsed_ms, 'number');
    const top = files[files.length - 1];
    assert.ok(readFileSync(top, 'utf8').includes(`config-hash: ${r.json.config_hash}`));
    if (hasBinary('verilator')) {
      const lint = verilatorLint(files, 'mac_array_16x16_a8w8p_f0');
      assert.ok(lint.ok, lint.output);
    }
  });

  it('bad parameters exit 2 listing every violation; flags for another design are usage errors', () => {
    const bad = screen(['gen', '--design', 'mac-array', '--rows', '0', '--cols', '99', '--quant-bits', '5', '--out', tmpdir()]);
    assert.equal(bad.status, 2);
    const err = bad.json.error as { code: string; message: string };
    assert.equal(err.code, 'E_INVALID_PARAM');
    for (const p of ['rows = 0', 'cols = 99', 'weightBits = 5']) assert.ok(err.message.includes(p), p);
    const wrong = screen(['gen', '--design', 'line-buffer', '--rows', '3']);
    assert.equal(wrong.status, 2);
    assert.match((wrong.json.error as { message: string }).message, /--rows does not apply to --design line-buffer/);
    assert.equal(screen(['gen', '--design', 'nope']).status, 2);
  });

  it('--design regfile writes .v, .h, .ts and .md with one config hash', () => {
    const out = mkdtempSync(join(tmpdir(), 'screen-gen-rf-'));
    const r = screen(['gen', '--design', 'regfile', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const files = r.json.files as string[];
    assert.deepEqual(files.map((f) => f.slice(f.lastIndexOf('.'))).sort(), ['.h', '.md', '.ts', '.v']);
    for (const f of files) assert.ok(readFileSync(f, 'utf8').includes(String(r.json.config_hash)), f);
  });
});
