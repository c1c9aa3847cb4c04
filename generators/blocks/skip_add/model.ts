// Bit-exact reference model of the skip+add output unit: per grid cell, the integer bilinear
// skip (docs/fixed-point.md 4.5) of its 3x3 HR pixels from the 4x4 LR neighbourhood in a 3x3
// window of X0 cells, plus the head's residual, clamped to uint8. The replicate clamp at the
// frame border comes from the cell's border flags. Checked against the golden
// `skipUpscale` (model/net/skip.ts) over every cell of real frames in test/blocks/skip_add.test.ts.
import { checkSigned, checkUnsigned, packLanes, unpackLanes } from '../bits.ts';

/**
 * Beat layout (bits), `planes` = 1: RES9 [0, 72), X0 window [72, 360), flags [360, 364).
 * With `planes` planes every window lane is 32 x planes bits (plane q's 4 channels at 32q) and
 * the flags follow the window; the output pixel k is 8 x planes bits (plane q at 8q).
 */
export const RES_BITS = 72;
export const X0_CELL_BITS = 32;
export const WIN_LSB = RES_BITS;
export const FLAGS_LSB = WIN_LSB + 9 * X0_CELL_BITS;
export const SKIP_ADD_IN_BITS = FLAGS_LSB + 4;
export const SKIP_ADD_OUT_BITS = 72;

/** Layout for `planes` planes: flags LSB, input and output widths. */
export function skipAddLayout(planes: number): { flagsLsb: number; inBits: number; outBits: number; laneBits: number } {
  const laneBits = X0_CELL_BITS * planes;
  const flagsLsb = WIN_LSB + 9 * laneBits;
  return { flagsLsb, inBits: flagsLsb + 4, outBits: 9 * 8 * planes, laneBits };
}

/** Border flags: the cell is on the frame's first row, last row, first column, last column. */
export const FLAG_TOP = 1, FLAG_BOTTOM = 2, FLAG_LEFT = 4, FLAG_RIGHT = 8;

/** Weights (64ths) of the 4 LR taps 2k-1 .. 2k+2 for HR phase p = 0, 1, 2 (per axis). */
export const SKIP_WEIGHTS: readonly (readonly number[])[] = [
  [11, 53, 0, 0],
  [0, 32, 32, 0],
  [0, 0, 53, 11],
];

/**
 * LR tap t (0..3 = 2k-1 .. 2k+2) of an axis as (window offset 0..2, sub-position 0..1):
 * 2k-1 is the second LR sample of the previous cell, 2k+2 the first of the next one.
 */
export const TAP_CELL: readonly (readonly [number, number])[] = [
  [0, 1],
  [1, 0],
  [1, 1],
  [2, 0],
];

export interface SkipAddBeat {
  /** 9 int8 residuals, channel 3*py+px = HR pixel (3i+py, 3j+px). */
  res: readonly number[];
  /** 9 window lanes (dy*3+dx) of 4 x planes int8 X0 channels (v - 128; ch = 4*plane + 2*row + col), zero outside the frame. */
  win: readonly (readonly number[])[];
  /** FLAG_TOP | FLAG_BOTTOM | FLAG_LEFT | FLAG_RIGHT. */
  flags: number;
}

function check(b: SkipAddBeat, i: number, planes: number): void {
  const what = `skip_add model beat ${i}`;
  if (b.res.length !== 9) throw new RangeError(`${what}: ${b.res.length} residuals, expected 9`);
  if (b.win.length !== 9) throw new RangeError(`${what}: ${b.win.length} window lanes, expected 9`);
  b.res.forEach((v, k) => checkSigned(v, 8, `${what} res ${k}`));
  b.win.forEach((l, k) => {
    if (l.length !== 4 * planes) throw new RangeError(`${what}: window lane ${k} has ${l.length} channels, expected ${4 * planes}`);
    l.forEach((v, c) => checkSigned(v, 8, `${what} window lane ${k} ch ${c}`));
  });
  checkUnsigned(b.flags, 4, `${what} flags`);
}

/** The 4x4 LR patch of one plane (rows 2i-1..2i+2, columns 2j-1..2j+2) with the border replicated. */
export function lrPatch(b: SkipAddBeat, plane = 0): number[][] {
  const y = (a: number, c: number) => {
    const [dy, sr] = TAP_CELL[a], [dx, sc] = TAP_CELL[c];
    return b.win[dy * 3 + dx][4 * plane + 2 * sr + sc] + 128;
  };
  const rows = [0, 1, 2, 3].map((a) => (a === 0 && b.flags & FLAG_TOP ? 1 : a === 3 && b.flags & FLAG_BOTTOM ? 2 : a));
  const cols = [0, 1, 2, 3].map((c) => (c === 0 && b.flags & FLAG_LEFT ? 1 : c === 3 && b.flags & FLAG_RIGHT ? 2 : c));
  return rows.map((a) => cols.map((c) => y(a, c)));
}

/** SKIP of the cell's 9 HR pixels of one plane, channel 3*py+px: (sum wy*wx*v + 2048) >> 12. */
export function skipCell(b: SkipAddBeat, plane = 0): number[] {
  const P = lrPatch(b, plane);
  const out: number[] = [];
  for (let py = 0; py < 3; py++)
    for (let px = 0; px < 3; px++) {
      let s = 0;
      for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) s += SKIP_WEIGHTS[py][a] * SKIP_WEIGHTS[px][c] * P[a][c];
      out.push((s + 2048) >> 12);
    }
  return out;
}

/**
 * O = clamp(SKIP + RES, 0, 255) for plane 0 and SKIP alone for the others (the chroma skip of
 * video rgb888: residual 0), pixel-major: entry planes*k + q = plane q of HR pixel k.
 */
export function skipAddCell(b: SkipAddBeat, planes = 1): number[] {
  const o = Array.from({ length: planes }, (_, q) => (q === 0 ? skipCell(b).map((s, k) => Math.min(255, Math.max(0, s + b.res[k]))) : skipCell(b, q)));
  return Array.from({ length: 9 * planes }, (_, n) => o[n % planes][Math.floor(n / planes)]);
}

export function skipAddModel(beats: readonly SkipAddBeat[], planes = 1): number[][] {
  return beats.map((b, i) => {
    check(b, i, planes);
    return skipAddCell(b, planes);
  });
}

export function packSkipAddIn(b: SkipAddBeat, planes = 1): bigint {
  const L = skipAddLayout(planes);
  const win = packLanes(b.win.map((l) => packLanes(l, 8)), L.laneBits);
  return (BigInt(b.flags) << BigInt(L.flagsLsb)) | (win << BigInt(WIN_LSB)) | packLanes(b.res, 8);
}

export function unpackSkipAddIn(x: bigint, planes = 1): SkipAddBeat {
  const L = skipAddLayout(planes);
  // Lanes are up to 96 bits: slice them as bigints (unpackLanes returns numbers).
  const mask = (1n << BigInt(L.laneBits)) - 1n;
  const win = Array.from({ length: 9 }, (_, l) => unpackLanes((x >> BigInt(WIN_LSB + l * L.laneBits)) & mask, 4 * planes, 8, true));
  return { res: unpackLanes(x, 9, 8, true), win, flags: Number((x >> BigInt(L.flagsLsb)) & 15n) };
}

/** Output beat: 9 x planes uint8 (skipAddCell order), entry 0 in the low bits. */
export function packSkipAddOut(o: readonly number[]): bigint {
  return packLanes(o, 8);
}
