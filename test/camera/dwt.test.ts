import assert from 'node:assert/strict';
import { BANDS, STAGE_WIDTH, bandSize, forward53, forwardDwt, inverse53, inverseDwt, inverseToLL1, type BandName, type RangeProbe } from '../../model/camera/dwt.ts';
import { mosaicFromImage, splitFields } from '../../model/camera/bayer.ts';
import { davisCrop, extremeInputs, throwsCode } from './helpers.ts';

function plane(w: number, h: number, f: (x: number, y: number) => number): Int32Array {
  const p = new Int32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p[y * w + x] = f(x, y);
  return p;
}

/** Deterministic pseudo-random 10-bit samples (LCG). */
function noise(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    p[i] = s >>> 22;
  }
  return p;
}

describe('camera 5/3 wavelet', () => {
  it('computes the lifting steps exactly (hand-worked line, symmetric borders)', () => {
    const lo = new Int32Array(2), hi = new Int32Array(2);
    forward53(Int32Array.from([10, 20, 5, 0]), 4, lo, hi);
    // d0 = 20 - ((10+5)>>1) = 13; d1 = 0 - ((5+5)>>1) = -5 (x[4] := x[2]);
    // s0 = 10 + ((13+13+2)>>2) = 17 (d[-1] := d[0]); s1 = 5 + ((13-5+2)>>2) = 7
    assert.deepEqual([...hi], [13, -5]);
    assert.deepEqual([...lo], [17, 7]);
    const x = new Int32Array(4);
    inverse53(lo, hi, 4, x);
    assert.deepEqual([...x], [10, 20, 5, 0]);
    // Negative values floor (arithmetic shift), not truncate toward zero.
    forward53(Int32Array.from([0, -3, 0, 0]), 4, lo, hi);
    assert.deepEqual([...hi, ...lo], [-3, 0, -1, -1]);
  });

  it('inverts exactly: random 10-bit fields, real colour fields, odd-looking sizes', () => {
    for (const [w, h] of [[4, 4], [12, 8], [64, 36]]) {
      const p = noise(w * h, w * 31 + h);
      const b = forwardDwt(p, w, h);
      assert.deepEqual(inverseDwt(b), p);
      assert.deepEqual(Object.keys(b.bands), [...BANDS]);
      assert.deepEqual(bandSize('HH2', w, h), { width: w / 4, height: h / 4 });
    }
    const f = splitFields(mosaicFromImage(davisCrop('car-shadow', 3, 256, 128)));
    for (const p of f.planes) assert.deepEqual(inverseDwt(forwardDwt(p, f.width, f.height)), p);
  });

  it('keeps LL1 a unity-gain low-pass: a flat field stays flat, high-pass bands are zero', () => {
    const b = forwardDwt(plane(16, 16, () => 700), 16, 16);
    assert.ok(inverseToLL1(b).every((v) => v === 700));
    for (const n of BANDS) if (n !== 'LL2') assert.ok(b.bands[n].every((v) => v === 0), n);
    assert.ok(b.bands.LL2.every((v) => v === 700));
  });

  it(`stays within ${STAGE_WIDTH[1]}-bit (stage 1) and ${STAGE_WIDTH[2]}-bit (stage 2) signed widths on worst-case inputs`, () => {
    const W = 32, H = 32;
    const probe: RangeProbe = new Map();
    const patterns: Int32Array[] = [
      plane(W, H, (x) => (x & 1) * 1023),
      plane(W, H, (_x, y) => (y & 1) * 1023),
      plane(W, H, (x, y) => ((x ^ y) & 1) * 1023),
      plane(W, H, (x, y) => ((x >> 1) ^ (y >> 1)) & 1 ? 1023 : 0),
      plane(W, H, (x) => (x < W / 2 ? 0 : 1023)),
      plane(W, H, (x, y) => (x + y < W ? 1023 : 0)),
      noise(W * H, 7),
    ];
    // Adversarial inputs: for each subband's centre output, 1023 where the (linear part of
    // the) transform's impulse response is positive and 0 elsewhere, and the opposite.
    const reached: Partial<Record<BandName, [number, number]>> = {};
    for (const band of BANDS) {
      const { oi, pos, neg } = extremeInputs(W, H, band);
      patterns.push(pos, neg);
      reached[band] = [forwardDwt(neg, W, H).bands[band][oi], forwardDwt(pos, W, H).bands[band][oi]];
    }
    for (const p of patterns) {
      const b = forwardDwt(p, W, H, probe);
      assert.deepEqual(inverseDwt(b), p);
    }
    for (const [key, [lo, hi]] of probe) {
      const stage = Number(key[1]) as 1 | 2;
      // Lifting outputs (stored) in the stage width; adder sums one bit wider.
      const bits = STAGE_WIDTH[stage] + (key.endsWith('.pair') || key.endsWith('.quad') ? 1 : 0);
      assert.ok(lo >= -(2 ** (bits - 1)) && hi <= 2 ** (bits - 1) - 1, `${key} = [${lo}, ${hi}] exceeds ${bits}-bit signed`);
    }
    // The widths are needed: stage 1 leaves 11 bits (HH1 reaches ±2046), stage 2 leaves 12 (HH2 ±3196).
    assert.deepEqual(reached.HH1, [-2046, 2046]);
    assert.ok(reached.HH2![1] > 2047 && reached.HH2![0] < -2048, `HH2 reached ${reached.HH2}`);
    assert.ok(reached.LL2![1] > 1023, `LL2 overshoots the input range: ${reached.LL2}`);
  });

  it('rejects field sizes two stages cannot split', () => {
    throwsCode(() => forwardDwt(new Int32Array(6 * 8), 6, 8), 'E_CAM_SIZE', '6x8', 'multiples of 4');
    throwsCode(() => forwardDwt(new Int32Array(10), 8, 8), 'E_CAM_SIZE', '10 samples');
  });
});
