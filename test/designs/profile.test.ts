// The upscaler schedule/profiler on hand-computed configs, and the CLI contract of `screen profile`.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { hwParams, netKnobs } from '../../generators/designs/upscaler/config.ts';
import { buildSchedule, frameCycles } from '../../generators/designs/upscaler/schedule.ts';
import { profileUpscaler } from '../../generators/designs/upscaler/profile.ts';

const tinyNet = (headK: 1 | 3) =>
  netKnobs({ name: 'tiny', feat_c: [4], feat_k: 3, n_gcr: 1, hidden_c: 4, gate_k: 1, cand_k: 1, head_k: headK, upsample_mode: 'pixelshuffle', quant_bits: 8 });
const tinyHw = (stripeCells: number) => hwParams.validate({ rows: 4, cols: 4, stripeCells, vecLanes: 16, passOverhead: 0, lrWidth: 16, lrHeight: 8 });

describe('designs: upscaler schedule', () => {
  it('counts cycles of a one-stripe frame by hand', () => {
    // per grid row: head 3x2 passes x 4 + n 1x2 x 8 + zr 2x2 x 8 + feat0 1x2 x 36 = 144; vector 2+2
    const r = frameCycles(buildSchedule(tinyNet(1), tinyHw(8)), tinyHw(8));
    assert.equal(r.macCyclesPerFrame, 144 * 4);
    assert.equal(r.vectorCyclesPerFrame, 4 * 4);
    assert.equal(r.cyclesPerFrame, 592);
  });

  it('adds halo cells between stripes but not outside the frame', () => {
    const s = buildSchedule(tinyNet(3), tinyHw(4));
    assert.deepEqual(s.passes.map((p) => [p.name, p.halo]), [['feat0', 1], ['gru0.zr', 1], ['gru0.n', 1], ['head', 0]]);
    assert.equal(s.inputHalo, 2);
    // per row: head 2 stripes x 3 passes x 36 + n 2x2x8 + zr 2x4x8 + feat0 2x2x36 = 456; vector 4 x 2
    const r = frameCycles(s, tinyHw(4));
    assert.equal(r.macCyclesPerFrame, 456 * 4);
    assert.equal(r.cyclesPerFrame, 456 * 4 + 8 * 4);
  });

  it('never reports more useful MACs than the array can do', () => {
    const p = profileUpscaler(tinyNet(3), tinyHw(4));
    assert.equal(p.macs_per_frame, p.macs_per_lr_pixel * 16 * 8);
    assert.ok(p.utilisation > 0 && p.utilisation <= 1, `utilisation ${p.utilisation}`);
    assert.ok(p.cycles_per_frame * 16 >= p.macs_per_frame);
  });

  it('says plainly when a config cannot meet the frame rate', () => {
    const net = netKnobs({ feat_c: [16, 16], hidden_c: 12, head_k: 3 });
    const slow = profileUpscaler(net, hwParams.validate({ rows: 4, cols: 4 }), 30);
    assert.equal(slow.meets_target, false);
    assert.match(slow.verdict, /^CANNOT meet 30 fps: only \d+\.\d fps at 180 MHz/);
    const fast = profileUpscaler(net, hwParams.validate({ rows: 16, cols: 16, lrWidth: 640, lrHeight: 360 }), 30);
    assert.equal(fast.meets_target, true);
    assert.match(fast.verdict, /^meets 30 fps/);
  });

  it('rejects odd frame sizes and bad knobs with every violation listed', () => {
    assert.throws(() => hwParams.validate({ rows: 0, cols: 99 }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_INVALID_PARAM');
      assert.match(e.message, /rows = 0: must be an integer in \[1, 64\]/);
      assert.match(e.message, /cols = 99: must be an integer in \[1, 64\]/);
      return true;
    });
    assert.throws(() => hwParams.validate({ lrWidth: 1281 }), /lrWidth x lrHeight \(1281x720\) must both be even/);
    assert.throws(() => netKnobs({ hidden_c: 0, upsample_mode: 'nearest' as never }), /hidden_c = 0[\s\S]*upsample_mode = "nearest"/);
  });
});

describe('cli: screen profile', () => {
  const screen = (...args: string[]) => spawnSync('node', ['bin/screen.js', 'profile', ...args], { encoding: 'utf8' });

  it('prints one JSON document with the documented keys', () => {
    const r = screen('--width', '640', '--height', '360', '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['macs_per_lr_pixel', 'macs_per_frame', 'cycles_per_frame', 'utilisation', 'onchip_memory_bits', 'dram_bytes_per_frame', 'fps']) assert.ok(k in j, k);
    assert.equal(j.macs_per_frame, j.macs_per_lr_pixel * 640 * 360);
  });

  it('exits 1 when the target frame rate is missed and 2 on bad usage', () => {
    assert.equal(screen('--rows', '2', '--cols', '2').status, 1);
    const bad = screen('--upsample-mode', 'nearest');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--upsample-mode must be one of pixelshuffle, deconv; got 'nearest'/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
  });

  it('reads a network config file', () => {
    const out = execFileSync('node', ['bin/screen.js', 'profile', '--net', 'train/configs/tiny.json', '--json'], { encoding: 'utf8' });
    assert.equal(JSON.parse(out).config.net.name, 'tiny');
  });
});
