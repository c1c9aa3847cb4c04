import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './fixture-designs.ts';

const BIN = fileURLToPath(new URL('../../bin/screen.js', import.meta.url));
const screen = (...args: string[]) => spawnSync('node', [BIN, 'sim', ...args, '--json'], { encoding: 'utf8' });

describe('sim: screen sim CLI', () => {
  it('streams a real frame window through a fixture and checks it (exit 0, one JSON document)', () => {
    const r = screen('--verilog', join(FIXTURES, 'skid_buffer.v'), '--top', 'skid_buffer', '--param', 'W=100', '--param', 'U=2',
      '--davis', 'blackswan:1', '--crop', '100,100,40,3', '--ppb', '2', '--stall', '0.4', '--gap', '0.2', '--expect', '60', '--check', 'identity');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.ok, true);
    assert.equal(j.input.beats, 60);
    assert.equal(j.outputs.m_axis.received, 60);
    assert.match(j.checks[0].message, /60 beats match/);
  });

  it('exits 1 on a protocol violation and 2 on bad usage, with the error code', () => {
    const bad = screen('--verilog', join(FIXTURES, 'bad_change_data.v'), '--top', 'bad_change_data', '--const', 'what=0', '--expect', '5', '--stall', '0.5');
    assert.equal(bad.status, 1);
    assert.equal(JSON.parse(bad.stdout).error.code, 'E_SIM_PROTOCOL');
    const usage = screen('--verilog', join(FIXTURES, 'skid_buffer.v'), '--top', 'skid_buffer', '--random', '5', '--stall', '1.5');
    assert.equal(usage.status, 2);
    assert.match(JSON.parse(usage.stdout).error.message, /--stall must be in \[0, 0.999\]/);
  });
});
