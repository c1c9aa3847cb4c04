import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readImage, writePng } from '../../model/io/image-file.ts';
import { crop } from '../../model/image.ts';
import { decodeY4m, encodeY4m } from '../../model/io/y4m.ts';
import { rgbToYuvFrame } from '../../model/io/yuv.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { FixedNet } from '../../model/net/fixed.ts';
import { upscaleRgbFrame } from '../../model/net/video.ts';
import { DAVIS, FIXTURES, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/screen.js', import.meta.url));
const WEIGHTS = join(FIXTURES, 'netcheck', 'rand_deconv.weights.json');
const screen = (args: string[], input?: Buffer) => spawnSync(process.execPath, [BIN, ...args], { input, maxBuffer: 1 << 26 });

const frames = ['00000', '00001', '00002'].map((n) => crop(readImage(join(DAVIS, 'val/kite-surf', `${n}.jpg`)), 400, 200, 48, 32));

describe('screen upscale', () => {
  it('y4m 4:2:0 through stdin/stdout: 1.5x header, luma = fixed model with carried state', () => {
    const hd = { width: 48, height: 32, fpsNum: 25, fpsDen: 1, interlace: 'p', aspect: '1:1', colorspace: '420jpeg', chroma: '420' as const, extra: [] };
    const yuv = frames.map((f) => rgbToYuvFrame(f, '420'));
    const r = screen(['upscale', '--weights', WEIGHTS, '-', '-'], encodeY4m(hd, yuv));
    assert.equal(r.status, 0, r.stderr.toString());
    return decodeY4m(r.stdout).then(({ header, frames: out }) => {
      assert.deepEqual([header.width, header.height, header.fpsNum, header.colorspace], [72, 48, 25, '420jpeg']);
      assert.equal(out.length, 3);
      const net = new FixedNet(loadNetWeights(WEIGHTS));
      for (let t = 0; t < 3; t++) assert.deepEqual(Buffer.from(out[t].y), Buffer.from(net.run(yuv[t].y, 48, 32)), `frame ${t} luma`);
      assert.equal(out[0].u.length, 36 * 24);
    });
  });

  it('frame folder to PNG folder, and clear errors for bad input', () => {
    const t = tempDir();
    try {
      const src = join(t.dir, 'in');
      mkdirSync(src);
      frames.forEach((f, i) => writePng(join(src, `f${i}.png`), f));
      const r = screen(['upscale', '--weights', WEIGHTS, '--json', src, join(t.dir, 'out')]);
      assert.equal(r.status, 0, r.stderr.toString());
      const doc = JSON.parse(r.stdout.toString());
      assert.deepEqual([doc.frames, doc.in_size, doc.out_size], [3, '48x32', '72x48']);
      const net = new FixedNet(loadNetWeights(WEIGHTS));
      for (let i = 0; i < 3; i++) {
        const want = upscaleRgbFrame(net, frames[i]);
        assert.deepEqual(readImage(join(t.dir, 'out', `f${i}.png`)).data, want.data, `frame ${i}`);
      }
      writeFileSync(join(t.dir, 'bad.y4m'), 'YUV4MPEG2 W4 H2 Cmono\n');
      const bad = screen(['upscale', '--weights', WEIGHTS, '--json', join(t.dir, 'bad.y4m'), join(t.dir, 'o.y4m')]);
      assert.equal(bad.status, 2);
      assert.equal(JSON.parse(bad.stdout.toString()).error.code, 'E_Y4M_UNSUPPORTED');
      assert.equal(screen(['upscale', src]).status, 2);
      assert.match(readFileSync(join(t.dir, 'bad.y4m'), 'latin1'), /Cmono/);
    } finally {
      t.done();
    }
  });
});
