// The one place for RGB <-> YCbCr, ITU-R BT.601 studio range (Y 16..235, C 16..240).
// Float forms are for metrics (the usual SR-paper Y, as MATLAB rgb2ycbcr); integer
// forms are what the hardware computes (8-bit coefficients, round-half-up by +128).
import type { Image, Plane } from './image.ts';
import { newImage } from './image.ts';

const clip8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

// ---- float (metrics) ----
export const yFloat = (r: number, g: number, b: number) => 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
export const cbFloat = (r: number, g: number, b: number) => 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255;
export const crFloat = (r: number, g: number, b: number) => 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255;

// Exact inverse of the float forward matrix (so float round trips are lossless).
const FWD = [
  [65.481, 128.553, 24.966],
  [-37.797, -74.203, 112.0],
  [112.0, -93.786, -18.214],
].map((r) => r.map((v) => v / 255));
const INV = invert3(FWD);
function invert3(m: number[][]): number[][] {
  const [a, b, c] = m[0], [d, e, f] = m[1], [g, h, i] = m[2];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/** Float YCbCr → float RGB (not clipped, not rounded). */
export function ycbcrToRgbFloat(y: number, cb: number, cr: number): [number, number, number] {
  const Y = y - 16, U = cb - 128, V = cr - 128;
  return [INV[0][0] * Y + INV[0][1] * U + INV[0][2] * V, INV[1][0] * Y + INV[1][1] * U + INV[1][2] * V, INV[2][0] * Y + INV[2][1] * U + INV[2][2] * V];
}

/** Float luma plane of an RGB (or gray, taken as R=G=B) image. */
export function lumaFloat(img: Image): Plane {
  const n = img.width * img.height;
  const out = new Float64Array(n);
  const d = img.data;
  if (img.channels === 1) for (let i = 0; i < n; i++) out[i] = yFloat(d[i], d[i], d[i]);
  else for (let i = 0, j = 0; i < n; i++, j += img.channels) out[i] = yFloat(d[j], d[j + 1], d[j + 2]);
  return { width: img.width, height: img.height, data: out };
}

// ---- integer (hardware) ----
export const yInt = (r: number, g: number, b: number) => ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
export const cbInt = (r: number, g: number, b: number) => ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
export const crInt = (r: number, g: number, b: number) => ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;

/** Integer YCbCr → RGB, 8-bit coefficients (298 = 255/219 * 256 etc.), clipped to 0..255. */
export function ycbcrToRgbInt(y: number, cb: number, cr: number, out: Uint8Array, o: number): void {
  const c = 298 * (y - 16) + 128, d = cb - 128, e = cr - 128;
  out[o] = clip8((c + 409 * e) >> 8);
  out[o + 1] = clip8((c - 100 * d - 208 * e) >> 8);
  out[o + 2] = clip8((c + 516 * d) >> 8);
}

/** Planar integer Y, Cb, Cr (full resolution each) of an RGB image. */
export function rgbToYcbcrInt(img: Image): { y: Uint8Array; cb: Uint8Array; cr: Uint8Array } {
  const n = img.width * img.height;
  const y = new Uint8Array(n), cb = new Uint8Array(n), cr = new Uint8Array(n);
  const d = img.data, s = img.channels;
  for (let i = 0, j = 0; i < n; i++, j += s) {
    const r = d[j], g = s === 1 ? r : d[j + 1], b = s === 1 ? r : d[j + 2];
    y[i] = yInt(r, g, b);
    cb[i] = cbInt(r, g, b);
    cr[i] = crInt(r, g, b);
  }
  return { y, cb, cr };
}

/** RGB image from full-resolution integer Y, Cb, Cr planes. */
export function ycbcrIntToRgb(width: number, height: number, y: Uint8Array, cb: Uint8Array, cr: Uint8Array): Image {
  const out = newImage(width, height, 3);
  const n = width * height;
  for (let i = 0; i < n; i++) ycbcrToRgbInt(y[i], cb[i], cr[i], out.data, 3 * i);
  return out;
}
