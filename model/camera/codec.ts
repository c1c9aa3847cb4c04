// Quantizer and variable-length group coder, one codestream per subband.
//
// Quantizer (per subband, `mult` in [256, 65536], 65536 = identity):
//   q = sign(x) * ((|x| * mult + QUANT_ROUND) >> 16)           QUANT_ROUND = 0x7000
// i.e. a step of 65536/mult with a small dead zone (rounds up from 0.5625 of a step, not
// 0.5: near-zero high-pass values, mostly noise, fall to 0; measured on 4 DAVIS val
// frames at 5:1, offsets 0.25/0.3125/0.375/0.4375/0.5 gave 40.82/41.34/41.70/41.84/41.61
// dB). Inverse, with the
// multiplier register inv = round(2^24 / mult) (Q8, 256 = identity):
//   x' = sign(q) * ((|q| * inv + 128) >> 8), saturated to the stage's signed width.
// Focus assist multiplies inv of high-pass subbands by gain/16 (register = (inv*gain+8)>>4).
// With mult = 65536 both are the identity, so the round trip is lossless.
//
// Entropy code, context = one group of four consecutive values of a codestream:
//   n = bit length of max |v| over the group (0..15; 0 means all four are 0)
//   prefix: n's rank i in the order k, k+1, k-1, k+2, k-2, ... (ranks over 0..15, the
//           side that runs out is skipped), sent as i zeros then a 1 (rank 15: 15 zeros)
//   then for each of the 4 values in order: n magnitude bits MSB first, then, if the
//           magnitude is non-zero, one sign bit (1 = negative).
// k (0..15) is a per-codestream register; chooseK() picks it from a histogram of n.
// Longest group: 15 + 4*(12+1) = 67 bits (|q| < 4096 at 13-bit stage-2 width).
//
// Scan order of codestream b (all four colour fields in one codestream): for each row y
// of the subband, for field R, G1, G2, B, the row's values left to right; groups are
// consecutive fours (subband widths are multiples of 4).
import { BitReader, BitWriter } from './bits.ts';
import { BANDS, STAGE_WIDTH, bandSize, bandStage, inverseDwt, type BandName, type FieldBands } from './dwt.ts';
import { CameraError, CE } from './errors.ts';

export const QUANT_ROUND = 0x7000;
export const MULT_MIN = 256;
export const MULT_ONE = 65536;
export const N_SYMBOLS = 16;

export function checkMult(mult: number, where: string): void {
  if (!Number.isInteger(mult) || mult < MULT_MIN || mult > MULT_ONE) throw new CameraError(CE.PARAM, `${where}: quantizer multiplier must be an integer in [${MULT_MIN}, ${MULT_ONE}], got ${mult}`);
}

export const quantize = (x: number, mult: number): number => (x < 0 ? -((-x * mult + QUANT_ROUND) >> 16) : (x * mult + QUANT_ROUND) >> 16);

/** Decoder multiplier register for `mult`, with a focus-assist gain in sixteenths. */
export function invRegister(mult: number, gainQ4 = 16): number {
  const inv = Math.round(2 ** 24 / mult);
  return gainQ4 === 16 ? inv : (inv * gainQ4 + 8) >> 4;
}

export function dequantize(q: number, inv: number, width: number): number {
  const lim = (1 << (width - 1)) - 1;
  const a = q < 0 ? -q : q;
  let v = (a * inv + 128) >> 8;
  if (v > lim) v = lim;
  return q < 0 ? -v : v;
}

/** Symbol order around k: k, k+1, k-1, k+2, k-2, ... over 0..15. */
export function rankOrder(k: number): Int32Array {
  const order = new Int32Array(N_SYMBOLS);
  let i = 0;
  order[i++] = k;
  for (let d = 1; i < N_SYMBOLS; d++) {
    if (k + d < N_SYMBOLS) order[i++] = k + d;
    if (k - d >= 0 && i < N_SYMBOLS) order[i++] = k - d;
  }
  return order;
}

const rankTables: Int32Array[] = [];
const orderTables: Int32Array[] = [];
for (let k = 0; k < N_SYMBOLS; k++) {
  const o = rankOrder(k);
  orderTables.push(o);
  const r = new Int32Array(N_SYMBOLS);
  for (let i = 0; i < N_SYMBOLS; i++) r[o[i]] = i;
  rankTables.push(r);
}

export const prefixLength = (n: number, k: number): number => Math.min(rankTables[k][n] + 1, N_SYMBOLS - 1);

export const bitLength = (m: number): number => (m === 0 ? 0 : 32 - Math.clz32(m));

/** k minimising the total prefix bits for a histogram of n (ties: smallest k). */
export function chooseK(hist: ArrayLike<number>): number {
  let best = 0, bestCost = Infinity;
  for (let k = 0; k < N_SYMBOLS; k++) {
    let c = 0;
    for (let n = 0; n < N_SYMBOLS; n++) c += hist[n] * prefixLength(n, k);
    if (c < bestCost) [best, bestCost] = [k, c];
  }
  return best;
}

/** Histogram of group n over a scan (length a multiple of 4). */
export function groupHistogram(v: Int32Array): Float64Array {
  const h = new Float64Array(N_SYMBOLS);
  for (let g = 0; g < v.length; g += 4) {
    let m = 0;
    for (let j = 0; j < 4; j++) {
      const a = Math.abs(v[g + j]);
      if (a > m) m = a;
    }
    h[bitLength(m)]++;
  }
  return h;
}

export function encodeGroup(w: BitWriter, v: Int32Array, at: number, k: number): void {
  let m = 0;
  for (let j = 0; j < 4; j++) m = Math.max(m, Math.abs(v[at + j]));
  const n = bitLength(m);
  if (n >= N_SYMBOLS) throw new CameraError(CE.PARAM, `value magnitude ${m} needs ${n} bits; the group code takes at most ${N_SYMBOLS - 1}`);
  const rank = rankTables[k][n];
  for (let i = 0; i < rank; i++) w.bit(0);
  if (rank < N_SYMBOLS - 1) w.bit(1);
  if (n === 0) return;
  for (let j = 0; j < 4; j++) {
    const x = v[at + j];
    const a = x < 0 ? -x : x;
    w.write(a, n);
    if (a !== 0) w.bit(x < 0 ? 1 : 0);
  }
}

/** Decode one group into out[at..at+3]; n above maxN means the data is corrupt. */
export function decodeGroup(r: BitReader, out: Int32Array, at: number, k: number, maxN: number, what: string): void {
  let rank = 0;
  while (rank < N_SYMBOLS - 1 && r.bit() === 0) rank++;
  const n = orderTables[k][rank];
  if (n > maxN) throw new CameraError(CE.CORRUPT, `${what}: group at value ${at} claims ${n}-bit magnitudes, more than the ${maxN} this subband can hold (corrupt codestream or wrong k=${k})`);
  for (let j = 0; j < 4; j++) {
    if (n === 0) {
      out[at + j] = 0;
      continue;
    }
    const a = r.read(n);
    out[at + j] = a !== 0 && r.bit() === 1 ? -a : a;
  }
}

/** Largest n a subband's codestream may carry (magnitudes below 2^(width-1)). */
export const maxGroupBits = (b: BandName): number => STAGE_WIDTH[bandStage(b)] - 1;

/** Values per frame in codestream b (= groups * 4). */
export function scanLength(b: BandName, fw: number, fh: number): number {
  const s = bandSize(b, fw, fh);
  return 4 * s.width * s.height;
}

/** Quantized scan of band b over the four fields. */
export function scanBand(fields: FieldBands[], b: BandName, mult: number): Int32Array {
  const { width, height } = bandSize(b, fields[0].width, fields[0].height);
  const out = new Int32Array(4 * width * height);
  let i = 0;
  for (let y = 0; y < height; y++)
    for (let f = 0; f < 4; f++) {
      const p = fields[f].bands[b];
      for (let x = 0; x < width; x++) out[i++] = quantize(p[y * width + x], mult);
    }
  return out;
}

/** Inverse of scanBand: dequantized values back into each field's band plane. */
export function unscanBand(scan: Int32Array, fields: FieldBands[], b: BandName, inv: number): void {
  const { width, height } = bandSize(b, fields[0].width, fields[0].height);
  const wbits = STAGE_WIDTH[bandStage(b)];
  let i = 0;
  for (let y = 0; y < height; y++)
    for (let f = 0; f < 4; f++) {
      const p = fields[f].bands[b];
      for (let x = 0; x < width; x++) p[y * width + x] = dequantize(scan[i++], inv, wbits);
    }
}

export function emptyFieldBands(fw: number, fh: number): FieldBands {
  const bands = {} as Record<BandName, Int32Array>;
  for (const b of BANDS) {
    const s = bandSize(b, fw, fh);
    bands[b] = new Int32Array(s.width * s.height);
  }
  return { width: fw, height: fh, bands };
}

export type BandParams = Record<BandName, number>;

/**
 * Per-subband multipliers from one knob q (a step size, >= 1):
 *   step_b = q * T_b * sqrt(G_HH1 / G_b)
 * G_b is the synthesis energy gain of subband b (the 5/3 lifting is not orthonormal);
 * with T_b = 1 the squared error is spread evenly over subbands (the high-rate MSE
 * optimum). At ~2 bit/px the coarse high-pass bands are mostly in the dead zone, and
 * finer stage-2 steps pay off: T = 1/2 for LL2, 0.8 for HL2/LH2/HH2, 1 for stage 1
 * (+0.2 dB at 5:1 on four DAVIS val frames). Steps below 1 become 1 (lossless).
 */
export const STEP_TILT: Record<BandName, number> = { LL2: 0.5, HL2: 0.8, LH2: 0.8, HH2: 0.8, HL1: 1, LH1: 1, HH1: 1 };

export function multsForQuant(q: number): BandParams {
  if (!(q >= 1) || !Number.isFinite(q) || q > 256) throw new CameraError(CE.PARAM, `quantizer step must be in [1, 256], got ${q}`);
  const g = synthesisGains();
  const out = {} as BandParams;
  for (const b of BANDS) {
    const step = Math.max(1, q * STEP_TILT[b] * Math.sqrt(g.HH1 / g[b]));
    out[b] = Math.min(MULT_ONE, Math.max(MULT_MIN, Math.round(MULT_ONE / step)));
  }
  return out;
}

let gainsCache: Record<BandName, number> | undefined;
/** Energy of one unit coefficient of each subband after the full inverse (measured, 64x64 field, centre tap). */
export function synthesisGains(): Record<BandName, number> {
  if (gainsCache) return gainsCache;
  const g = {} as Record<BandName, number>;
  for (const b of BANDS) {
    const fb = emptyFieldBands(64, 64);
    const s = bandSize(b, 64, 64);
    // Large amplitude so the integer rounding of the lifting is negligible.
    fb.bands[b][(s.height >> 1) * s.width + (s.width >> 1)] = 1024;
    let e = 0;
    for (const v of inverseDwt(fb)) e += (v / 1024) ** 2;
    g[b] = e;
  }
  gainsCache = g;
  return g;
}


/** Quantized scans of the seven codestreams of one mosaic (the encoder's input). */
export interface FrameScans {
  fieldWidth: number;
  fieldHeight: number;
  scans: Record<BandName, Int32Array>;
}

export function analyzeFrame(fields: FieldBands[], mults: BandParams): FrameScans {
  const scans = {} as Record<BandName, Int32Array>;
  for (const b of BANDS) {
    checkMult(mults[b], `subband ${b}`);
    scans[b] = scanBand(fields, b, mults[b]);
  }
  return { fieldWidth: fields[0].width, fieldHeight: fields[0].height, scans };
}

/** k per codestream chosen from one frame's scans. */
export function chooseKs(f: FrameScans): BandParams {
  const k = {} as BandParams;
  for (const b of BANDS) k[b] = chooseK(groupHistogram(f.scans[b]));
  return k;
}

/** Entropy-code groups [from, to) (group indices) of a scan. */
export function encodeGroups(w: BitWriter, scan: Int32Array, from: number, to: number, k: number): void {
  for (let g = from; g < to; g++) encodeGroup(w, scan, 4 * g, k);
}

/** Decode `groups` groups into out (or discard when out is undefined). */
export function decodeGroups(r: BitReader, groups: number, k: number, maxN: number, what: string, out?: Int32Array): void {
  const tmp = out ?? new Int32Array(4);
  for (let g = 0; g < groups; g++) decodeGroup(r, tmp, out ? 4 * g : 0, k, maxN, what);
}
