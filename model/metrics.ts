// Quality metrics as used in SR papers: PSNR on BT.601 float luma with a 4-px border
// shaved, PSNR on RGB, SSIM on luma (Wang et al. 2004: 11x11 Gaussian, sigma 1.5,
// K1 = 0.01, K2 = 0.03, L = 255, 'valid' window positions only), and a temporal-
// consistency error (RMSE of output frame-to-frame changes against ground truth's).
import { ModelInputError, E } from './errors.ts';
import type { Image, Plane } from './image.ts';
import { lumaFloat } from './color.ts';

export const SHAVE = 4;

function check(a: { width: number; height: number }, b: { width: number; height: number }, what: string, shave: number): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new ModelInputError(E.SIZE_MISMATCH, `${what}: sizes differ (${a.width}x${a.height} vs ${b.width}x${b.height})`);
  }
  if (a.width <= 2 * shave || a.height <= 2 * shave) {
    throw new ModelInputError(E.ODD_SIZE, `${what}: ${a.width}x${a.height} is too small for a ${shave}-px border shave`);
  }
}

/** PSNR from a mean squared error; identical inputs give +Infinity. */
export const psnrFromMse = (mse: number, peak = 255) => (mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse));

/** Mean squared error of two planes inside the shaved border. */
export function mseShaved(a: Plane, b: Plane, shave = SHAVE): number {
  check(a, b, 'mse', shave);
  const w = a.width;
  let s = 0;
  for (let y = shave; y < a.height - shave; y++) {
    for (let x = shave, i = y * w + shave; x < w - shave; x++, i++) {
      const d = a.data[i] - b.data[i];
      s += d * d;
    }
  }
  return s / ((a.width - 2 * shave) * (a.height - 2 * shave));
}

export const psnrPlane = (a: Plane, b: Plane, shave = SHAVE) => psnrFromMse(mseShaved(a, b, shave));

export const psnrY = (out: Image, gt: Image, shave = SHAVE) => psnrPlane(lumaFloat(out), lumaFloat(gt), shave);

/** PSNR over all three RGB channels together, border shaved. */
export function psnrRgb(out: Image, gt: Image, shave = SHAVE): number {
  check(out, gt, 'psnrRgb', shave);
  if (out.channels !== gt.channels) throw new ModelInputError(E.FORMAT, `psnrRgb: ${out.channels} vs ${gt.channels} channels`);
  const c = out.channels, w = out.width;
  let s = 0;
  for (let y = shave; y < out.height - shave; y++) {
    for (let i = (y * w + shave) * c; i < (y * w + w - shave) * c; i++) {
      const d = out.data[i] - gt.data[i];
      s += d * d;
    }
  }
  return psnrFromMse(s / ((out.width - 2 * shave) * (out.height - 2 * shave) * c));
}

function gaussian(size: number, sigma: number): Float64Array {
  const g = new Float64Array(size);
  const r = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += g[i] = Math.exp(-((i - r) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < size; i++) g[i] /= sum;
  return g;
}

/** Separable 'valid' filtering of a w x h array with a 1-D kernel along both axes. */
function filterValid(src: Float64Array, w: number, h: number, g: Float64Array): Float64Array {
  const k = g.length, ow = w - k + 1, oh = h - k + 1;
  const tmp = new Float64Array(ow * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0, o = y * w + x; j < k; j++) s += g[j] * src[o + j];
      tmp[y * ow + x] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += g[j] * tmp[(y + j) * ow + x];
      out[y * ow + x] = s;
    }
  }
  return out;
}

const WINDOW = gaussian(11, 1.5);

/** Mean SSIM of two luma planes (0..255 scale) inside the shaved border. */
export function ssimPlane(a: Plane, b: Plane, shave = SHAVE): number {
  check(a, b, 'ssim', shave);
  const w = a.width - 2 * shave, h = a.height - 2 * shave;
  if (w < WINDOW.length || h < WINDOW.length) throw new ModelInputError(E.ODD_SIZE, `ssim: ${w}x${h} after the border shave is smaller than the 11x11 window`);
  const n = w * h;
  const x = new Float64Array(n), y = new Float64Array(n), xx = new Float64Array(n), yy = new Float64Array(n), xy = new Float64Array(n);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const i = r * w + c, j = (r + shave) * a.width + c + shave;
      const p = a.data[j], q = b.data[j];
      x[i] = p;
      y[i] = q;
      xx[i] = p * p;
      yy[i] = q * q;
      xy[i] = p * q;
    }
  }
  const C1 = (0.01 * 255) ** 2, C2 = (0.03 * 255) ** 2;
  const mx = filterValid(x, w, h, WINDOW), my = filterValid(y, w, h, WINDOW);
  const sxx = filterValid(xx, w, h, WINDOW), syy = filterValid(yy, w, h, WINDOW), sxy = filterValid(xy, w, h, WINDOW);
  let s = 0;
  for (let i = 0; i < mx.length; i++) {
    const m1 = mx[i], m2 = my[i];
    const v1 = sxx[i] - m1 * m1, v2 = syy[i] - m2 * m2, cov = sxy[i] - m1 * m2;
    s += ((2 * m1 * m2 + C1) * (2 * cov + C2)) / ((m1 * m1 + m2 * m2 + C1) * (v1 + v2 + C2));
  }
  return s / mx.length;
}

export const ssimY = (out: Image, gt: Image, shave = SHAVE) => ssimPlane(lumaFloat(out), lumaFloat(gt), shave);

/**
 * Temporal-consistency error: feed frames in order; value() is the RMSE of
 * (out_t - out_{t-1}) - (gt_t - gt_{t-1}) over all pixels (border shaved) and all
 * consecutive pairs. A model that flickers where the video does not scores high.
 */
export class TemporalError {
  private prevOut?: Plane;
  private prevGt?: Plane;
  private sum = 0;
  private count = 0;
  constructor(private shave = SHAVE) {}

  add(out: Plane, gt: Plane): void {
    check(out, gt, 'temporal', this.shave);
    if (this.prevOut && this.prevGt) {
      const s = this.shave, w = out.width;
      for (let y = s; y < out.height - s; y++) {
        for (let i = y * w + s; i < y * w + w - s; i++) {
          const d = out.data[i] - this.prevOut.data[i] - (gt.data[i] - this.prevGt.data[i]);
          this.sum += d * d;
        }
      }
      this.count += (out.width - 2 * s) * (out.height - 2 * s);
    }
    this.prevOut = out;
    this.prevGt = gt;
  }

  /** null until two frames have been added. */
  value(): number | null {
    return this.count === 0 ? null : Math.sqrt(this.sum / this.count);
  }
}
