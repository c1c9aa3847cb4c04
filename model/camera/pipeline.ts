// The whole camera path as the CLI and tests drive it: mosaic → fields → DWT → quantized
// scans → codestreams, and the quality measures of a round trip (10-bit PSNR of the
// debayered images and of each colour field).
import { FIELD_NAMES, splitFields, type Mosaic } from './bayer.ts';
import { BANDS, forwardDwt, type BandName, type RangeProbe } from './dwt.ts';
import { analyzeFrame, bitLength, chooseK, groupHistogram, multsForQuant, prefixLength, type BandParams, type FrameScans } from './codec.ts';
import { renderRgb10 } from './preview.ts';
import { CameraError, CE } from './errors.ts';

export function analyzeMosaic(m: Mosaic, mults: BandParams, probe?: RangeProbe): FrameScans {
  const f = splitFields(m);
  return analyzeFrame(
    f.planes.map((p) => forwardDwt(p, f.width, f.height, probe)),
    mults,
  );
}

/** Exact coded length of a scan with the group code (no bits written). */
export function scanBits(scan: Int32Array, k: number): number {
  let bits = 0;
  for (let g = 0; g < scan.length; g += 4) {
    let m = 0, nz = 0;
    for (let j = 0; j < 4; j++) {
      const a = Math.abs(scan[g + j]);
      if (a > m) m = a;
      if (a) nz++;
    }
    const n = bitLength(m);
    bits += prefixLength(n, k) + 4 * n + nz;
  }
  return bits;
}

export function frameBits(f: FrameScans, k: BandParams): Record<BandName, number> {
  const out = {} as Record<BandName, number>;
  for (const b of BANDS) out[b] = scanBits(f.scans[b], k[b]);
  return out;
}

export const psnr10 = (mse: number) => (mse === 0 ? Infinity : 10 * Math.log10((1023 * 1023) / mse));

export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new CameraError(CE.SIZE, `cannot compare ${a.length} samples with ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / a.length;
}

/** Bilinear debayer of a mosaic to 10-bit RGB at mosaic size (centre offsets of its mode). */
export function debayer(m: Mosaic): Uint16Array {
  return renderRgb10(splitFields(m), m.mode, 0, m.width, m.height);
}

export interface FrameQuality {
  mseRgb: number;
  mseFields: Record<(typeof FIELD_NAMES)[number], number>;
  lossless: boolean;
}

export function frameQuality(orig: Mosaic, dec: Mosaic): FrameQuality {
  const a = splitFields(orig), b = splitFields(dec);
  const mseFields = {} as FrameQuality['mseFields'];
  FIELD_NAMES.forEach((n, i) => (mseFields[n] = mse(a.planes[i], b.planes[i])));
  let lossless = true;
  for (let i = 0; i < orig.data.length; i++)
    if (orig.data[i] !== dec.data[i]) {
      lossless = false;
      break;
    }
  return { mseRgb: lossless ? 0 : mse(debayer(orig), debayer(dec)), mseFields, lossless };
}

/**
 * Quantizer step q whose coded size gives at least `ratio` (raw 10-bit bits / coded bits,
 * summed over all the given frames): bisection over q in [1, 256] (size falls as q grows).
 */
export function quantForRatio(frames: Mosaic[], ratio: number): { q: number; ratio: number } {
  if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new CameraError(CE.PARAM, `target ratio must be a number >= 1, got ${ratio}`);
  if (frames.length === 0) throw new CameraError(CE.PARAM, 'no frames to calibrate the quantizer on');
  const dwts = frames.map((m) => {
    const f = splitFields(m);
    return f.planes.map((p) => forwardDwt(p, f.width, f.height));
  });
  const raw = frames.reduce((a, m) => a + 10 * m.width * m.height, 0);
  const ratioAt = (q: number) => {
    const mults = multsForQuant(q);
    let bits = 0;
    for (const fb of dwts) {
      const s = analyzeFrame(fb, mults);
      for (const b of BANDS) bits += bestBits(s.scans[b]);
    }
    return raw / bits;
  };
  if (ratioAt(1) >= ratio) return { q: 1, ratio: ratioAt(1) };
  let lo = 1, hi = 256;
  if (ratioAt(hi) < ratio) throw new CameraError(CE.PARAM, `target ratio ${ratio} is out of reach on these frames (at the coarsest step it reaches ${ratioAt(hi).toFixed(2)})`);
  for (let it = 0; it < 20; it++) {
    const mid = (lo + hi) / 2;
    if (ratioAt(mid) >= ratio) hi = mid;
    else lo = mid;
  }
  return { q: hi, ratio: ratioAt(hi) };
}

const bestBits = (scan: Int32Array) => scanBits(scan, chooseK(groupHistogram(scan)));
