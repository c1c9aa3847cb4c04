import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readImage } from '../../model/io/image-file.ts';
import { bicubicResize, bilinearResize, downscale15, upscale15 } from '../../model/resample/scale.ts';
import { BICUBIC, computeTaps } from '../../model/resample/pillow.ts';
import { E } from '../../model/errors.ts';
import { PILLOW, maxAbsDiff, throwsCode } from './helpers.ts';

// Fixtures made by test/fixtures/pillow/make.py with Pillow 9.4 from a real DAVIS val frame.
describe('model/resample matches Pillow', () => {
  const hr = readImage(join(PILLOW, 'hr_120x96.png'));
  const lr = readImage(join(PILLOW, 'lr_bicubic_80x64.png'));
  const cases: [string, () => { data: Uint8Array }, string][] = [
    ['antialiased bicubic ÷1.5 (120x96 → 80x64)', () => downscale15(hr), 'lr_bicubic_80x64.png'],
    ['bicubic ÷(120/37) (general factor)', () => bicubicResize(hr, 37, 29), 'down_bicubic_37x29.png'],
    ['bicubic x1.5 (80x64 → 120x96)', () => upscale15(lr, 'bicubic'), 'up_bicubic_120x96.png'],
    ['bilinear x1.5 (80x64 → 120x96)', () => upscale15(lr, 'bilinear'), 'up_bilinear_120x96.png'],
  ];
  for (const [what, run, ref] of cases) {
    it(`${what} within ±1 LSB of Pillow (aim: exact)`, () => {
      const d = maxAbsDiff(run().data, readImage(join(PILLOW, ref)).data);
      assert.ok(d <= 1, `max abs diff ${d} > 1`);
      assert.equal(d, 0, `max abs diff ${d}: no longer bit-exact with Pillow`);
    });
  }

  it('normalises taps to 2^22 and widens support by the downscale factor', () => {
    const up = computeTaps(80, 120, BICUBIC), down = computeTaps(120, 80, BICUBIC);
    assert.equal(up.ksize, 5);
    assert.equal(down.ksize, 7);
    for (const t of [up, down]) {
      for (let o = 0; o < t.bounds.length / 2; o++) {
        const n = t.bounds[2 * o + 1];
        let s = 0;
        for (let k = 0; k < n; k++) s += t.kk[o * t.ksize + k];
        assert.ok(Math.abs(s - (1 << 22)) <= n, `taps of output ${o} sum to ${s}`);
      }
    }
  });

  it('keeps a constant image constant and refuses fractional sizes', () => {
    const flat = { width: 12, height: 6, channels: 1, data: new Uint8Array(72).fill(77) };
    assert.ok(bilinearResize(flat, 18, 9).data.every((v) => v === 77));
    assert.ok(downscale15({ ...flat, height: 9, data: new Uint8Array(108).fill(77) }).data.every((v) => v === 77));
    throwsCode(() => downscale15({ ...flat, width: 13, data: new Uint8Array(78) }), E.ODD_SIZE, '13x6', '2/3');
    throwsCode(() => upscale15({ ...flat, height: 5, data: new Uint8Array(60) }, 'bicubic'), E.ODD_SIZE, '12x5');
  });
});
