import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage, writePng } from '../../model/io/image-file.ts';
import { cycleBudget, SEED_MODES } from '../../model/camera/budget.ts';
import { tempDir } from '../model/helpers.ts';
import { davisCrop, synthImage } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/screen.js', import.meta.url));
const screen = (...args: string[]) => spawnSync(process.execPath, [BIN, 'camera', ...args], { encoding: 'utf8' });

describe('screen camera', () => {
  let t: ReturnType<typeof tempDir>;
  let frames: string;
  before(() => {
    t = tempDir();
    frames = join(t.dir, 'frames', 'blackswan');
    mkdirSync(frames, { recursive: true });
    for (const i of [0, 1]) writePng(join(frames, `0000${i}.png`), davisCrop('blackswan', i * 10, 256, 128));
  });
  after(() => t.done());

  it('round-trips losslessly at --quant 1 (full and subsampled) and reaches a target ratio', function () {
    this.timeout(60000);
    for (const extra of [[], ['--subsampled']]) {
      const r = screen('roundtrip', '--frames', frames, '--quant', '1', ...extra, '--json');
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.frames, 2);
      assert.equal(doc.lossless, true);
      assert.equal(doc.psnr, null);
      assert.ok(doc.ratio > 1, `ratio ${doc.ratio}`);
    }
    const r = screen('roundtrip', '--frames', frames, '--target-ratio', '4', '--json');
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.ratio >= 3.9 && doc.psnr > 30 && doc.lossless === false, r.stdout);
    assert.deepEqual(Object.keys(doc.psnr_fields), ['R', 'G1', 'G2', 'B']);
  });

  it('encodes a stream, decodes one frame alone and renders the HDMI preview', function () {
    this.timeout(60000);
    const stream = join(t.dir, 'clip.scam');
    const e = screen('encode', '--frames', frames, '--quant', '4', '--out', stream, '--json');
    assert.equal(e.status, 0, e.stderr);
    assert.equal(JSON.parse(e.stdout).frames, 2);
    const d = screen('decode', '--in', stream, '--frame', '1', '--out', join(t.dir, 'f1.png'), '--json');
    assert.equal(d.status, 0, d.stderr);
    const img = readImage(join(t.dir, 'f1.png'));
    assert.deepEqual([img.width, img.height], [256, 128]);
    const p = screen('preview', '--in', stream, '--frame', '1', '--focus', '2', '--viewport', '1280x640+320+220', '--out', join(t.dir, 'hdmi.png'), '--json');
    assert.equal(p.status, 0, p.stderr);
    const doc = JSON.parse(p.stdout);
    assert.deepEqual([doc.ll1.width, doc.ll1.height, doc.max_ll1_pixels_per_clock, doc.timing.fps], [64, 32, 1, 30]);
    assert.ok(existsSync(join(t.dir, 'hdmi.png')));
    // A truncated stream is an input error, not a crash or a hang.
    writeFileSync(join(t.dir, 'cut.scam'), readFileSync(stream).subarray(0, 3000));
    const c = screen('decode', '--in', join(t.dir, 'cut.scam'), '--frame', '1', '--out', join(t.dir, 'x.png'), '--json');
    assert.equal(c.status, 2);
    assert.equal(JSON.parse(c.stdout).error.code, 'E_CAM_TRUNCATED');
    const v = screen('preview', '--in', stream, '--viewport', '1920x1080+10+0', '--out', join(t.dir, 'y.png'), '--json');
    assert.equal(v.status, 2);
    assert.equal(JSON.parse(v.stdout).error.code, 'E_CAM_VIEWPORT');
  });

  it('prints the cycle budget computed by the model, and rejects bad usage and bad mosaics', function () {
    this.timeout(60000);
    const b = screen('budget', '--json');
    assert.equal(b.status, 0, b.stderr);
    const doc = JSON.parse(b.stdout);
    assert.deepEqual(doc.capture, SEED_MODES.map((m) => cycleBudget(m)));
    assert.equal(doc.capture[0].clocksPerFrame, 196608);
    assert.equal(doc.capture[1].clocksPerFrame, 34816);
    assert.equal(screen().status, 2);
    assert.equal(screen('roundtrip').status, 2);
    assert.equal(screen('roundtrip', '--frames', frames, '--quant', '1', '--target-ratio', '5').status, 2);
    const tiny = join(t.dir, 'tiny.png');
    writePng(tiny, synthImage(24, 8, () => 9));
    const r = screen('roundtrip', '--frames', tiny, '--json');
    assert.equal(r.status, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'E_CAM_SIZE');
  });
});
