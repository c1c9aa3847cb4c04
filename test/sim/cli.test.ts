import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIXTURES } from './fixture-designs.ts';

const BIN = fileURLToPath(new URL('../../bin/screen.js', import.meta.url));
const screen = (...args: string[]) => spawnSync('node', [BIN, 'sim', ...args, '--json'], { encoding: 'utf8' });

describe('sim: screen sim CLI', () => {
  it('--frames: the accelerator on a real sequence, the JSON document of issue 5', function () {
    this.timeout(600_000);
    const dir = fileURLToPath(new URL('../../../shared/data/davis480p/val/kite-surf', import.meta.url));
    const r = screen('--frames', dir, '--crop', '48x16', '--max-frames', '2', '--stripe-cells', '16', '--gap', '0.2', '--stall', '0.2');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['frames', 'pixels', 'mismatches', 'psnr_y', 'cycles_per_frame', 'fps_720p_to_1080p_at_180mhz', 'mac_utilisation', 'sim_pixels_per_s']) assert.ok(k in j, k);
    assert.equal(j.frames, 2);
    assert.equal(j.pixels, 2 * 72 * 24);
    assert.equal(j.mismatches, 0);
    assert.deepEqual(Object.keys(j.psnr_y), ['rtl', 'golden', 'bicubic']);
    assert.equal(j.psnr_y.rtl, j.psnr_y.golden);
    assert.equal(j.stripes_per_frame, 2);
  });

  it('--frames: bad crop and bad folder exit 2 with a message', () => {
    const a = screen('--frames', '.', '--crop', '33x16');
    assert.equal(a.status, 2);
    assert.match(a.stderr, /--crop 33x16: LR width and height must be even/);
    const b = screen('--frames', '/nonexistent/frames');
    assert.equal(b.status, 2);
    assert.match(b.stderr, /frame folder not found/);
  });

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
