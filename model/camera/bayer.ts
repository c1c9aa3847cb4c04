// Raw Bayer input: RGGB 10-bit mosaics made from 8-bit RGB frames, in full mode and in
// the CMV12000 2x subsampled mode, the split into the four colour fields the wavelet
// cores work on, and the pixel-parallel beat order the sensor's LVDS channels deliver.
//
// Layout (seed 001): even rows carry R G1 R G1 ..., odd rows G2 B G2 B ...
//   R  = (even row, even col)   G1 = (even row, odd col)
//   G2 = (odd row, even col)    B  = (odd row, odd col)
// Subsampled mode keeps every other 2x2 Bayer group in x and y (source rows 4k, 4k+1
// and columns 4m, 4m+1), so the mosaic is half the source size in each direction.
import type { Image } from '../image.ts';
import { CameraError, CE } from './errors.ts';

export type BayerMode = 'full' | 'subsampled';
export type Transfer = 'replicate' | 'linear';
export const FIELD_NAMES = ['R', 'G1', 'G2', 'B'] as const;
/** Field f sits at (row parity, col parity) FIELD_POS[f] inside each 2x2 group. */
export const FIELD_POS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
export const RAW_BITS = 10;
export const RAW_MAX = (1 << RAW_BITS) - 1;

export interface Mosaic {
  width: number;
  height: number;
  mode: BayerMode;
  /** Row-major 10-bit samples. */
  data: Uint16Array;
}

/** Four colour fields R, G1, G2, B, each width x height (= mosaic / 2). */
export interface Fields {
  width: number;
  height: number;
  planes: [Int32Array, Int32Array, Int32Array, Int32Array];
}

/**
 * Two stages of DWT on fields of half the mosaic size, and codec groups of four along
 * stage-2 rows, need width % 32 == 0 and height % 8 == 0.
 */
export const MOSAIC_W_MULTIPLE = 32;
export const MOSAIC_H_MULTIPLE = 8;

export function checkMosaicSize(width: number, height: number, where: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width % MOSAIC_W_MULTIPLE !== 0 || height % MOSAIC_H_MULTIPLE !== 0) {
    throw new CameraError(
      CE.SIZE,
      `${where}: mosaic is ${width}x${height}; the 2-stage wavelet pipeline needs width a multiple of ${MOSAIC_W_MULTIPLE} and height a multiple of ${MOSAIC_H_MULTIPLE} (and both > 0)`,
    );
  }
}

/**
 * 8-bit sRGB code → 10-bit raw code.
 *  replicate: v*4 + (v>>6), bit replication. Exactly invertible (v = x>>2), maps 0→0 and
 *    255→1023 so the full 10-bit range (and thus worst-case wavelet ranges) is used, and it
 *    invents no precision the 8-bit JPEG does not have. Default.
 *  linear: round(1023 * sRGB_EOTF(v/255)), a linear-light raw like the CMV12000 delivers;
 *    dark tones collapse onto few codes (v <= 20 maps to <= 7), so it is offered for study.
 */
export function transferLut(t: Transfer): Uint16Array {
  const lut = new Uint16Array(256);
  for (let v = 0; v < 256; v++) {
    if (t === 'replicate') lut[v] = v * 4 + (v >> 6);
    else {
      const c = v / 255;
      const lin = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
      lut[v] = Math.round(RAW_MAX * lin);
    }
  }
  return lut;
}

/** Source-size multiples a frame is centre-cropped to before mosaicking. */
export function sourceMultiples(mode: BayerMode): { w: number; h: number } {
  return mode === 'full' ? { w: MOSAIC_W_MULTIPLE, h: MOSAIC_H_MULTIPLE } : { w: 2 * MOSAIC_W_MULTIPLE, h: 2 * MOSAIC_H_MULTIPLE };
}

/**
 * RGB (or gray) 8-bit image → RGGB mosaic. The image is centre-cropped (offsets rounded
 * down to even, so the Bayer phase is fixed) to the largest size the mode can take;
 * each mosaic site keeps only its own colour (G1 and G2 both take the G channel).
 */
export function mosaicFromImage(img: Image, mode: BayerMode = 'full', transfer: Transfer = 'replicate', where = 'image'): Mosaic {
  const m = sourceMultiples(mode);
  const sw = img.width - (img.width % m.w);
  const sh = img.height - (img.height % m.h);
  if (sw === 0 || sh === 0) {
    throw new CameraError(CE.SIZE, `${where} is ${img.width}x${img.height}; ${mode} mode needs at least ${m.w}x${m.h} pixels (multiples of ${m.w}x${m.h} are kept)`);
  }
  const x0 = ((img.width - sw) >> 1) & ~1;
  const y0 = ((img.height - sh) >> 1) & ~1;
  const lut = transferLut(transfer);
  const ch = img.channels;
  const rgbCh = (f: number) => (ch === 1 ? 0 : f === 0 ? 0 : f === 3 ? 2 : 1);
  const step = mode === 'full' ? 1 : 2;
  const width = sw / step;
  const height = sh / step;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    // Subsampled: output row y comes from source row 4*(y>>1) + (y&1) (kept groups only).
    const sy = y0 + (mode === 'full' ? y : 4 * (y >> 1) + (y & 1));
    for (let x = 0; x < width; x++) {
      const sx = x0 + (mode === 'full' ? x : 4 * (x >> 1) + (x & 1));
      const f = ((y & 1) << 1) | (x & 1);
      data[y * width + x] = lut[img.data[(sy * img.width + sx) * ch + rgbCh(f)]];
    }
  }
  return { width, height, mode, data };
}

/** Subsample a full-mode mosaic the way the sensor's subsampled readout does. */
export function subsampleMosaic(full: Mosaic): Mosaic {
  if (full.mode !== 'full') throw new CameraError(CE.PARAM, `subsampleMosaic takes a full-mode mosaic, got ${full.mode}`);
  if (full.width % 4 || full.height % 4) throw new CameraError(CE.SIZE, `subsampling needs a mosaic size in multiples of 4, got ${full.width}x${full.height}`);
  const width = full.width / 2;
  const height = full.height / 2;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const sy = 4 * (y >> 1) + (y & 1);
    for (let x = 0; x < width; x++) data[y * width + x] = full.data[sy * full.width + 4 * (x >> 1) + (x & 1)];
  }
  return { width, height, mode: 'subsampled', data };
}

export function splitFields(m: Mosaic): Fields {
  if (m.width % 2 || m.height % 2) throw new CameraError(CE.SIZE, `mosaic ${m.width}x${m.height} has odd dimensions; Bayer groups are 2x2`);
  const w = m.width >> 1;
  const h = m.height >> 1;
  const planes = [0, 1, 2, 3].map(() => new Int32Array(w * h)) as Fields['planes'];
  for (let f = 0; f < 4; f++) {
    const [py, px] = FIELD_POS[f];
    const p = planes[f];
    for (let y = 0; y < h; y++) {
      const row = (2 * y + py) * m.width + px;
      for (let x = 0; x < w; x++) p[y * w + x] = m.data[row + 2 * x];
    }
  }
  return { width: w, height: h, planes };
}

/** Fields → mosaic; values are clamped to 0..1023 (decoded fields may overshoot). */
export function mergeFields(f: Fields, mode: BayerMode): Mosaic {
  const width = f.width * 2;
  const height = f.height * 2;
  const data = new Uint16Array(width * height);
  for (let c = 0; c < 4; c++) {
    const [py, px] = FIELD_POS[c];
    const p = f.planes[c];
    for (let y = 0; y < f.height; y++) {
      const row = (2 * y + py) * width + px;
      for (let x = 0; x < f.width; x++) {
        const v = p[y * f.width + x];
        data[row + 2 * x] = v < 0 ? 0 : v > RAW_MAX ? RAW_MAX : v;
      }
    }
  }
  return { width, height, mode, data };
}

/**
 * Pixel-parallel beat order of the sensor readout with `ppc` LVDS channels (the
 * CMV12000 has 64): yields, per pixel clock, the mosaic indices of the ppc pixels that
 * arrive together (index k = channel k).
 *  full: rows come in pairs; channels 0..ppc/2-1 carry the even row, the upper half the
 *    odd row; channel k of a half covers columns [k*span, (k+1)*span), span = W/(ppc/2),
 *    one column per beat, left to right.
 *  subsampled: rows come in fours (two Bayer-group rows); the lower half of the channels
 *    alternates between the two even rows (R/G1), the upper half between the two odd
 *    rows (G2/B), so each channel feeds two colours x two rows (four wavelet cores).
 */
export function* lvdsBeats(width: number, height: number, mode: BayerMode, ppc = 64): Generator<Int32Array> {
  if (!Number.isInteger(ppc) || ppc < 2 || ppc % 2 !== 0) throw new CameraError(CE.PARAM, `pixels per clock must be an even integer >= 2, got ${ppc}`);
  const half = ppc / 2;
  if (width % half !== 0) throw new CameraError(CE.PARAM, `mosaic width ${width} is not a multiple of ${half} (half of ${ppc} pixels per clock)`);
  const span = width / half;
  const rowsPerBand = mode === 'full' ? 2 : 4;
  if (height % rowsPerBand !== 0) throw new CameraError(CE.SIZE, `mosaic height ${height} is not a multiple of ${rowsPerBand} (${mode} readout)`);
  const beatsPerBand = mode === 'full' ? span : 2 * span;
  for (let r0 = 0; r0 < height; r0 += rowsPerBand) {
    for (let t = 0; t < beatsPerBand; t++) {
      const beat = new Int32Array(ppc);
      for (let k = 0; k < ppc; k++) {
        const upper = k >= half ? 1 : 0;
        const ch = k % half;
        const row = mode === 'full' ? r0 + upper : r0 + upper + 2 * (t & 1);
        const col = ch * span + (mode === 'full' ? t : t >> 1);
        beat[k] = row * width + col;
      }
      yield beat;
    }
  }
}
