import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cbInt, crInt, lumaFloat, rgbToYcbcrInt, ycbcrIntToRgb, ycbcrToRgbFloat, yFloat, yInt, cbFloat, crFloat } from '../../model/color.ts';
import { psnrFromMse, psnrPlane, psnrRgb, psnrY, ssimPlane, TemporalError } from '../../model/metrics.ts';
import { readImage } from '../../model/io/image-file.ts';
import { E } from '../../model/errors.ts';
import { PILLOW, maxAbsDiff, throwsCode } from './helpers.ts';

const plane = (w: number, h: number, f: (x: number, y: number) => number) => ({ width: w, height: h, data: Float64Array.from({ length: w * h }, (_, i) => f(i % w, Math.floor(i / w))) });

describe('model/color BT.601 studio range', () => {
  it('maps black, white and primaries to the standard codes', () => {
    assert.deepEqual([yInt(0, 0, 0), cbInt(0, 0, 0), crInt(0, 0, 0)], [16, 128, 128]);
    assert.deepEqual([yInt(255, 255, 255), cbInt(255, 255, 255), crInt(255, 255, 255)], [235, 128, 128]);
    assert.deepEqual([yInt(255, 0, 0), cbInt(255, 0, 0), crInt(255, 0, 0)], [82, 90, 240]);
    assert.ok(Math.abs(yFloat(255, 255, 255) - 235) < 1e-12);
    assert.ok(Math.abs(yFloat(0, 0, 255) - (16 + 24.966)) < 1e-12);
  });

  it('inverts the float transform exactly and the integer one within 2 LSB', () => {
    for (const [r, g, b] of [[0, 0, 0], [255, 255, 255], [12, 200, 99], [255, 0, 128]]) {
      const back = ycbcrToRgbFloat(yFloat(r, g, b), cbFloat(r, g, b), crFloat(r, g, b));
      assert.ok(maxAbsDiff(back, [r, g, b]) < 1e-9, `float ${r},${g},${b} -> ${back}`);
    }
    const img = readImage(join(PILLOW, 'lr_bicubic_80x64.png'));
    const { y, cb, cr } = rgbToYcbcrInt(img);
    assert.ok(maxAbsDiff(ycbcrIntToRgb(img.width, img.height, y, cb, cr).data, img.data) <= 3);
  });
});

describe('model/metrics', () => {
  const hr = readImage(join(PILLOW, 'hr_120x96.png'));
  const up = readImage(join(PILLOW, 'up_bicubic_120x96.png'));

  it('PSNR: identical is +Infinity, a 1-LSB offset is 48.13 dB, border is shaved', () => {
    const a = plane(20, 12, (x, y) => (x * 9 + y * 5) % 256);
    assert.equal(psnrPlane(a, a), Infinity);
    const b = plane(20, 12, (x, y) => a.data[y * 20 + x] + 1);
    assert.ok(Math.abs(psnrPlane(a, b) - 48.1308036) < 1e-6);
    const border = plane(20, 12, (x, y) => a.data[y * 20 + x] + (x < 4 || y > 7 ? 50 : 0));
    assert.equal(psnrPlane(a, border), Infinity);
    assert.ok(psnrPlane(a, border, 0) < 30);
    assert.equal(psnrFromMse(255 * 255), 0);
    assert.equal(psnrRgb(hr, hr), Infinity);
    throwsCode(() => psnrPlane(a, plane(20, 10, () => 0)), E.SIZE_MISMATCH, '20x12 vs 20x10');
  });

  it('Y-PSNR and Y-SSIM of Pillow bicubic round trip match an independent numpy computation', () => {
    // numpy: Y = 16 + (65.481 R + 128.553 G + 24.966 B)/255, shave 4, PSNR peak 255;
    // SSIM with an 11x11 Gaussian (sigma 1.5) over all 'valid' windows -> 31.0194529 dB, 0.9189251236
    assert.ok(Math.abs(psnrY(up, hr) - 31.0194529) < 1e-6, `psnrY ${psnrY(up, hr)}`);
    const s = ssimPlane(lumaFloat(up), lumaFloat(hr));
    assert.ok(Math.abs(s - 0.9189251236) < 1e-8, `ssim ${s}`);
    assert.ok(Math.abs(ssimPlane(lumaFloat(hr), lumaFloat(hr)) - 1) < 1e-12);
    assert.ok(psnrRgb(up, hr) < psnrY(up, hr) + 3 && psnrRgb(up, hr) > 20);
  });

  it('SSIM of a constant shift follows the luminance term only', () => {
    const a = plane(40, 40, (x, y) => 60 + ((x * 7 + y * 3) % 40));
    const b = plane(40, 40, (x, y) => a.data[y * 40 + x] + 10);
    const s = ssimPlane(a, b, 0);
    assert.ok(s < 1 && s > 0.95, `ssim ${s}`);
  });

  it('temporal error: 0 for a static offset, known RMSE for flicker, null with one frame', () => {
    const gt = [0, 1, 2].map((t) => plane(12, 12, (x) => x + t));
    const te = new TemporalError();
    te.add(gt[0], gt[0]);
    assert.equal(te.value(), null);
    for (const t of [1, 2]) te.add(plane(12, 12, (x) => x + t + 5), gt[t]);
    // out_1 - out_0 = 6 vs gt 1 on frame 1 (diff 5), then 1 vs 1 (diff 0): RMSE = sqrt(25/2)
    assert.ok(Math.abs(te.value()! - Math.sqrt(12.5)) < 1e-12);
    const still = new TemporalError();
    for (const t of [0, 1, 2]) still.add(plane(12, 12, (x) => x + t + 3), gt[t]);
    assert.equal(still.value(), 0);
  });
});
