// Two-stage 2-D reversible integer wavelet per colour field: LeGall 5/3 lifting, the
// JPEG 2000 reversible transform (ISO 15444-1 Annex F). Chosen over 2/6 because its
// lowpass is centred on a sample with unity DC gain (LL stays in the 10-bit input range,
// so the HDMI preview can show LL1 directly) and its two lifting steps need only adds
// and shifts. Each stage is horizontal then vertical; the inverse is vertical then
// horizontal, and is exact (lossless) for any integer input.
//
// 1-D forward, x of even length N, half = N/2, floor division by arithmetic shift:
//   d[i] = x[2i+1] - ((x[2i] + x[2i+2]) >> 1)        predict  (high-pass)
//   s[i] = x[2i]   + ((d[i-1] + d[i] + 2) >> 2)      update   (low-pass)
// Border: whole-sample symmetric extension, x[N] = x[N-2] (so d[half-1] uses x[N-2]
// twice) and d[-1] = d[0]. Low-pass s[i] is centred on x[2i].
//
// Subbands are named {horizontal filter}{vertical filter} (JPEG 2000): HL1 is high-pass
// across x, low-pass across y at stage 1. Stage 2 transforms LL1.
import { CameraError, CE } from './errors.ts';

export const BANDS = ['LL2', 'HL2', 'LH2', 'HH2', 'HL1', 'LH1', 'HH1'] as const;
export type BandName = (typeof BANDS)[number];
export const bandStage = (b: BandName): 1 | 2 => (b.endsWith('2') ? 2 : 1);
export const isHighPass = (b: BandName): boolean => b !== 'LL2';

/** Declared signed widths of the values each stage stores (lifting outputs). */
export const STAGE_WIDTH: Record<1 | 2, number> = { 1: 12, 2: 13 };

export interface FieldBands {
  /** Field (stage-0) size. */
  width: number;
  height: number;
  bands: Record<BandName, Int32Array>;
}

export function bandSize(b: BandName, fw: number, fh: number): { width: number; height: number } {
  const s = bandStage(b);
  return { width: fw >> s, height: fh >> s };
}

/**
 * Min/max of every lifting quantity, keyed `s<stage>.<h|v>.<step>`; steps are `pair`
 * (x[2i]+x[2i+2]), `predict` (d), `quad` (d[i-1]+d[i]+2) and `update` (s). Used to prove
 * the declared widths.
 */
export type RangeProbe = Map<string, [number, number]>;

function note(p: RangeProbe, key: string, lo: number, hi: number): void {
  const r = p.get(key);
  if (!r) p.set(key, [lo, hi]);
  else {
    if (lo < r[0]) r[0] = lo;
    if (hi > r[1]) r[1] = hi;
  }
}

/** One forward 5/3 line: x (length n, even) → lo, hi (length n/2 each). */
export function forward53(x: Int32Array, n: number, lo: Int32Array, hi: Int32Array, probe?: RangeProbe, key = ''): void {
  const half = n >> 1;
  let pMin = Infinity, pMax = -Infinity, dMin = Infinity, dMax = -Infinity, qMin = Infinity, qMax = -Infinity, sMin = Infinity, sMax = -Infinity;
  for (let i = 0; i < half; i++) {
    const right = 2 * i + 2 < n ? x[2 * i + 2] : x[2 * i];
    const pair = x[2 * i] + right;
    const d = x[2 * i + 1] - (pair >> 1);
    hi[i] = d;
    if (probe) {
      if (pair < pMin) pMin = pair;
      if (pair > pMax) pMax = pair;
      if (d < dMin) dMin = d;
      if (d > dMax) dMax = d;
    }
  }
  for (let i = 0; i < half; i++) {
    const quad = (i > 0 ? hi[i - 1] : hi[0]) + hi[i] + 2;
    const s = x[2 * i] + (quad >> 2);
    lo[i] = s;
    if (probe) {
      if (quad < qMin) qMin = quad;
      if (quad > qMax) qMax = quad;
      if (s < sMin) sMin = s;
      if (s > sMax) sMax = s;
    }
  }
  if (probe) {
    note(probe, `${key}.pair`, pMin, pMax);
    note(probe, `${key}.predict`, dMin, dMax);
    note(probe, `${key}.quad`, qMin, qMax);
    note(probe, `${key}.update`, sMin, sMax);
  }
}

/** One inverse 5/3 line: lo, hi (n/2 each) → x (n). */
export function inverse53(lo: Int32Array, hi: Int32Array, n: number, x: Int32Array): void {
  const half = n >> 1;
  for (let i = 0; i < half; i++) x[2 * i] = lo[i] - (((i > 0 ? hi[i - 1] : hi[0]) + hi[i] + 2) >> 2);
  for (let i = 0; i < half; i++) {
    const right = 2 * i + 2 < n ? x[2 * i + 2] : x[2 * i];
    x[2 * i + 1] = hi[i] + ((x[2 * i] + right) >> 1);
  }
}

/** One 2-D stage: plane (w x h) → LL, HL, LH, HH (w/2 x h/2 each). Horizontal first. */
export function forwardStage(p: Int32Array, w: number, h: number, stage: number, probe?: RangeProbe) {
  const hw = w >> 1, hh = h >> 1;
  const L = new Int32Array(hw * h), H = new Int32Array(hw * h);
  const line = new Int32Array(Math.max(w, h));
  const lo = new Int32Array(Math.max(hw, hh)), hi = new Int32Array(Math.max(hw, hh));
  for (let y = 0; y < h; y++) {
    line.set(p.subarray(y * w, y * w + w));
    forward53(line, w, lo, hi, probe, `s${stage}.h`);
    L.set(lo.subarray(0, hw), y * hw);
    H.set(hi.subarray(0, hw), y * hw);
  }
  const out = { LL: new Int32Array(hw * hh), HL: new Int32Array(hw * hh), LH: new Int32Array(hw * hh), HH: new Int32Array(hw * hh) };
  const cols: [Int32Array, Int32Array, Int32Array][] = [
    [L, out.LL, out.LH],
    [H, out.HL, out.HH],
  ];
  for (const [src, low, high] of cols) {
    for (let x = 0; x < hw; x++) {
      for (let y = 0; y < h; y++) line[y] = src[y * hw + x];
      forward53(line, h, lo, hi, probe, `s${stage}.v`);
      for (let y = 0; y < hh; y++) {
        low[y * hw + x] = lo[y];
        high[y * hw + x] = hi[y];
      }
    }
  }
  return out;
}

/** Inverse of forwardStage: vertical first, then horizontal. */
export function inverseStage(LL: Int32Array, HL: Int32Array, LH: Int32Array, HH: Int32Array, w: number, h: number): Int32Array {
  const hw = w >> 1, hh = h >> 1;
  const L = new Int32Array(hw * h), H = new Int32Array(hw * h);
  const line = new Int32Array(Math.max(w, h));
  const lo = new Int32Array(Math.max(hw, hh)), hi = new Int32Array(Math.max(hw, hh));
  const cols: [Int32Array, Int32Array, Int32Array][] = [
    [L, LL, LH],
    [H, HL, HH],
  ];
  for (const [dst, low, high] of cols) {
    for (let x = 0; x < hw; x++) {
      for (let y = 0; y < hh; y++) {
        lo[y] = low[y * hw + x];
        hi[y] = high[y * hw + x];
      }
      inverse53(lo, hi, h, line);
      for (let y = 0; y < h; y++) dst[y * hw + x] = line[y];
    }
  }
  const out = new Int32Array(w * h);
  for (let y = 0; y < h; y++) {
    inverse53(L.subarray(y * hw, y * hw + hw), H.subarray(y * hw, y * hw + hw), w, line);
    out.set(line.subarray(0, w), y * w);
  }
  return out;
}

function checkFieldSize(w: number, h: number): void {
  if (w <= 0 || h <= 0 || w % 4 || h % 4) throw new CameraError(CE.SIZE, `colour field is ${w}x${h}; two 5/3 stages need both dimensions to be positive multiples of 4`);
}

/** Field → 7 subbands (two stages). */
export function forwardDwt(field: Int32Array, w: number, h: number, probe?: RangeProbe): FieldBands {
  checkFieldSize(w, h);
  if (field.length !== w * h) throw new CameraError(CE.SIZE, `field plane has ${field.length} samples, expected ${w}x${h}`);
  const s1 = forwardStage(field, w, h, 1, probe);
  const s2 = forwardStage(s1.LL, w >> 1, h >> 1, 2, probe);
  return { width: w, height: h, bands: { LL2: s2.LL, HL2: s2.HL, LH2: s2.LH, HH2: s2.HH, HL1: s1.HL, LH1: s1.LH, HH1: s1.HH } };
}

/** Stage-2 inverse only: the LL1 image (w/2 x h/2) the HDMI preview shows. */
export function inverseToLL1(b: FieldBands): Int32Array {
  return inverseStage(b.bands.LL2, b.bands.HL2, b.bands.LH2, b.bands.HH2, b.width >> 1, b.height >> 1);
}

/** Full inverse: 7 subbands → field. */
export function inverseDwt(b: FieldBands): Int32Array {
  checkFieldSize(b.width, b.height);
  const ll1 = inverseToLL1(b);
  return inverseStage(ll1, b.bands.HL1, b.bands.LH1, b.bands.HH1, b.width, b.height);
}
