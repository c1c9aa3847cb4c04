// Shared bits of the camera tests: small real-frame crops, synthetic images, error matching.
import { fileURLToPath } from 'node:url';
import { readImage } from '../../model/io/image-file.ts';
import { crop, newImage, type Image } from '../../model/image.ts';
import { bandSize, forwardDwt, type BandName } from '../../model/camera/dwt.ts';

// ../shared beside the repo root, wherever the clone lives (as in CI).
export const DAVIS_VAL = fileURLToPath(new URL('../../../shared/data/davis480p/val', import.meta.url));
export const FLOWER = fileURLToPath(new URL('../../../shared/data/stills/flower.png', import.meta.url));

/** A w x h crop of a DAVIS val frame (real content, kept small so tests stay fast). */
export function davisCrop(seq: string, frame: number, w: number, h: number, x = 300, y = 150): Image {
  return crop(readImage(`${DAVIS_VAL}/${seq}/${String(frame).padStart(5, '0')}.jpg`), x, y, w, h);
}

export function synthImage(w: number, h: number, f: (x: number, y: number, c: number) => number): Image {
  const img = newImage(w, h, 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) img.data[(y * w + x) * 3 + c] = f(x, y, c);
  return img;
}

/** Coded user errors (code, exit code 2, message parts): the model tests' matcher serves both. */
export { throwsCode } from '../model/helpers.ts';

/**
 * Adversarial DWT inputs for one subband: the index of its centre output, and the 10-bit planes
 * that are 1023 where the (linear part of the) transform's impulse response to that output is
 * positive (`pos`) or negative (`neg`), 0 elsewhere; they drive that output to its extremes.
 */
export function extremeInputs(W: number, H: number, band: BandName): { oi: number; pos: Int32Array; neg: Int32Array } {
  const base = new Int32Array(W * H).fill(512);
  const b0 = forwardDwt(base, W, H).bands[band];
  const { width: bw, height: bh } = bandSize(band, W, H);
  const oi = (bh >> 1) * bw + (bw >> 1);
  const pos = new Int32Array(W * H), neg = new Int32Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const q = base.slice();
    q[i] += 256;
    const r = forwardDwt(q, W, H).bands[band][oi] - b0[oi];
    pos[i] = r > 0 ? 1023 : 0;
    neg[i] = r < 0 ? 1023 : 0;
  }
  return { oi, pos, neg };
}
