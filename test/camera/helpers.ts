// Shared bits of the camera tests: small real-frame crops, synthetic images, error matching.
import { fileURLToPath } from 'node:url';
import { readImage } from '../../model/io/image-file.ts';
import { crop, newImage, type Image } from '../../model/image.ts';

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
