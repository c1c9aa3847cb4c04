import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage, writePng } from '../../model/io/image-file.ts';
import { crop } from '../../model/image.ts';
import { DAVIS, FIXTURES, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/screen.js', import.meta.url));
const screen = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('screen eval', () => {
  it('scores a small two-sequence folder, prints one JSON document and writes a report', function () {
    this.timeout(60000);
    const t = tempDir();
    try {
      for (const seq of ['blackswan', 'kite-surf']) {
        mkdirSync(join(t.dir, 'frames', seq), { recursive: true });
        for (const n of ['00000', '00001', '00002']) {
          const img = crop(readImage(join(DAVIS, 'val', seq, `${n}.jpg`)), 300, 150, 182, 96); // 182 -> 180 wide after the crop to multiples of 6
          writePng(join(t.dir, 'frames', seq, `${n}.png`), img);
        }
      }
      const r = screen('eval', '--frames', join(t.dir, 'frames'), '--methods', 'bicubic,linear', '--report', join(t.dir, 'rep'), '--json');
      assert.equal(r.status, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.deepEqual(doc.sequences.map((s: { name: string; frames: number }) => [s.name, s.frames]), [['blackswan', 3], ['kite-surf', 3]]);
      for (const k of ['psnr_y', 'ssim_y', 'temporal']) assert.deepEqual(Object.keys(doc.mean[k]).sort(), ['bicubic', 'linear']);
      assert.ok(doc.mean.psnr_y.linear > doc.mean.psnr_y.bicubic);
      assert.deepEqual(doc.macs_per_lr_pixel, { bicubic: 36, linear: 81 });
      assert.match(r.stderr, /blackswan frame 3\/3/);
      const html = readFileSync(join(t.dir, 'rep', 'index.html'), 'utf8');
      assert.match(html, /<svg/);
      assert.ok(existsSync(join(t.dir, 'rep', 'blackswan_1_linear.png')));
      // Network methods (random-weight fixtures: only the plumbing is checked here).
      const net = join(FIXTURES, 'netcheck');
      const n = screen('eval', '--frames', join(t.dir, 'frames', 'kite-surf'), '--methods', 'float,fixed,single_frame', '--weights', join(net, 'rand_deconv.weights.json'), '--single-weights', join(net, 'rand_ps_single.weights.json'), '--json');
      assert.equal(n.status, 0, n.stderr);
      const nd = JSON.parse(n.stdout);
      assert.deepEqual(Object.keys(nd.mean.psnr_y), ['float', 'fixed', 'single_frame']);
      assert.equal(nd.macs_per_lr_pixel.fixed, 605.5);
      assert.ok(Math.abs(nd.mean.psnr_y.float - nd.mean.psnr_y.fixed) < 3, JSON.stringify(nd.mean.psnr_y));
      const wrong = screen('eval', '--frames', join(t.dir, 'frames'), '--methods', 'single_frame', '--single-weights', join(net, 'rand_deconv.weights.json'));
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /not a single-frame network/);
    } finally {
      t.done();
    }
  });

  it('exits 2 with a coded JSON error for a missing folder and for bad options', () => {
    const r = screen('eval', '--frames', '/nonexistent/frames', '--json');
    assert.equal(r.status, 2);
    assert.equal(JSON.parse(r.stdout).error.code, 'E_MODEL_MISSING_PATH');
    assert.equal(screen('eval').status, 2);
    assert.equal(screen('eval', '--frames', DAVIS, '--methods', 'magic').status, 2);
  });
});
