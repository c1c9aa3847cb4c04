import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readImage } from '../../model/io/image-file.ts';
import { hrFromFrame, lrFromHr } from '../../model/protocol.ts';
import { interpUpscaler } from '../../model/baselines/interp.ts';
import { applyLinear, linearUpscaler, loadLinearWeights } from '../../model/baselines/linear.ts';
import { lumaFloat } from '../../model/color.ts';
import { choleskySolve } from '../../model/baselines/fit-linear.ts';
import { psnrPlane } from '../../model/metrics.ts';
import { E } from '../../model/errors.ts';
import { DAVIS, PILLOW, tempDir, throwsCode } from './helpers.ts';
import { writeFileSync } from 'node:fs';

describe('model/protocol', () => {
  it('centre-crops 854x480 to 852x480 and downscales to 568x320', () => {
    const frame = readImage(join(DAVIS, 'val/blackswan/00000.jpg'));
    const hr = hrFromFrame(frame);
    assert.deepEqual([hr.width, hr.height], [852, 480]);
    assert.deepEqual(Array.from(hr.data.subarray(0, 3)), Array.from(frame.data.subarray(3, 6)), 'crop starts at column 1');
    const lr = lrFromHr(hr);
    assert.deepEqual([lr.width, lr.height], [568, 320]);
    throwsCode(() => hrFromFrame({ width: 30, height: 20, channels: 3, data: new Uint8Array(1800) }, 'tiny.png'), E.ODD_SIZE, 'tiny.png', '30x20');
  });
});

describe('model/baselines', () => {
  const hr = readImage(join(PILLOW, 'hr_120x96.png'));
  const lr = lrFromHr(hr);
  const gt = lumaFloat(hr);

  it('the committed least-squares 6x6 filter beats bicubic and bicubic beats bilinear on a val crop', () => {
    const p = (name: string, y: ReturnType<typeof lumaFloat>) => [name, psnrPlane(y, gt)] as const;
    const bil = p('bilinear', interpUpscaler('bilinear').upscale(lr).y);
    const bic = p('bicubic', interpUpscaler('bicubic').upscale(lr).y);
    const lin = p('linear', linearUpscaler().upscale(lr).y);
    assert.ok(lin[1] > bic[1] + 0.5, `linear ${lin[1].toFixed(2)} dB vs bicubic ${bic[1].toFixed(2)} dB`);
    assert.ok(bic[1] > bil[1], `bicubic ${bic[1].toFixed(2)} vs bilinear ${bil[1].toFixed(2)}`);
  });

  it('the filter is roughly DC-preserving and reproduces a flat field', () => {
    const lw = loadLinearWeights();
    for (const row of lw.weights) {
      const s = row.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(s - 1) < 0.01, `taps sum to ${s}`);
    }
    const flat = { width: 8, height: 6, data: new Float64Array(48).fill(100) };
    const out = applyLinear(flat, lw);
    assert.deepEqual([out.width, out.height], [12, 9]);
    for (const v of out.data) assert.ok(Math.abs(v - 100) < 1, `flat field gave ${v}`);
  });

  it('the fitting solver solves a known symmetric positive-definite system', () => {
    // A = [[4,2],[2,3]], X = [[1,-1],[2,0.5]] -> B = A X
    const X = choleskySolve(Float64Array.of(4, 2, 2, 3), 2, Float64Array.of(8, -3, 8, -0.5), 2);
    assert.deepEqual(Array.from(X, (v) => Math.round(v * 1e12) / 1e12), [1, -1, 2, 0.5]);
  });

  it('rejects malformed weight files', () => {
    const t = tempDir();
    try {
      const p = join(t.dir, 'w.json');
      writeFileSync(p, JSON.stringify({ taps: 6, block: 3, weights: [[1, 2]] }));
      throwsCode(() => loadLinearWeights(p), E.WEIGHTS, 'w.json', '9x36');
      throwsCode(() => loadLinearWeights(join(t.dir, 'none.json')), E.WEIGHTS, 'none.json');
    } finally {
      t.done();
    }
  });
});
