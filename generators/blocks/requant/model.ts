// Bit-exact reference model of the requantiser (docs/fixed-point.md section 3):
// OUT = clamp((acc * M + 2^(S-1)) >> S, LO, HI). model/net/fixed.ts inlines this formula in its
// compiled convs (no exported function), so it is restated here in the same double arithmetic
// and cross-checked against that model's real layer outputs in test/blocks/requant.test.ts.
import { checkSigned } from '../bits.ts';

/** Per-channel multiplier/shift plus the layer's clamp range. */
export interface RequantCoef {
  /** One per lane: 2^14 <= M < 2^15. */
  M: readonly number[];
  /** One per lane: 1 <= S <= 46. */
  S: readonly number[];
  lo: number;
  hi: number;
}

export interface RequantParams {
  lanes: number;
  accBits: number;
  outBits: number;
}

/** One channel, exactly as the golden model computes it (every value < 2^53, so exact). */
export function requantValue(acc: number, M: number, S: number, lo: number, hi: number): number {
  const t = Math.floor((acc * M + 2 ** (S - 1)) * 2 ** -S);
  return t < lo ? lo : t > hi ? hi : t;
}

export function checkCoef(p: RequantParams, c: RequantCoef, where: string): void {
  if (c.M.length !== p.lanes || c.S.length !== p.lanes) throw new RangeError(`${where}: M has ${c.M.length} and S has ${c.S.length} entries, expected lanes=${p.lanes}`);
  c.M.forEach((m, i) => {
    if (!Number.isInteger(m) || m < 2 ** 14 || m >= 2 ** 15) throw new RangeError(`${where}: M[${i}] = ${m} outside [2^14, 2^15)`);
  });
  c.S.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1 || s > 46) throw new RangeError(`${where}: S[${i}] = ${s} outside [1, 46]`);
  });
  checkSigned(c.lo, p.outBits, `${where}: lo`);
  checkSigned(c.hi, p.outBits, `${where}: hi`);
  if (c.lo > c.hi) throw new RangeError(`${where}: lo = ${c.lo} > hi = ${c.hi}`);
}

/** One accumulator vector (lane i uses M[i], S[i]). */
export function requantVector(p: RequantParams, c: RequantCoef, acc: readonly number[], where = 'requant model'): number[] {
  if (acc.length !== p.lanes) throw new RangeError(`${where}: ${acc.length} accumulators, expected lanes=${p.lanes}`);
  acc.forEach((a, i) => checkSigned(a, p.accBits, `${where}: acc lane ${i}`));
  return acc.map((a, i) => requantValue(a, c.M[i], c.S[i], c.lo, c.hi));
}

/** One accepted beat, in acceptance order: a coefficient load or an accumulator vector. */
export type RequantOp = { kind: 'coef'; coef: RequantCoef } | { kind: 'acc'; acc: readonly number[] };

/** The RTL's coefficient registers after reset (M = 0, S - 1 = 0, LO = HI = 0): every output is 0. */
export function resetCoef(p: RequantParams): RequantCoef {
  return { M: new Array<number>(p.lanes).fill(0), S: new Array<number>(p.lanes).fill(1), lo: 0, hi: 0 };
}

/**
 * Results for a sequence of accepted beats; each vector uses the last coefficients loaded before
 * it, or resetCoef (all outputs 0) before the first load.
 */
export function requantModel(p: RequantParams, ops: readonly RequantOp[]): number[][] {
  let coef = resetCoef(p);
  const out: number[][] = [];
  ops.forEach((op, i) => {
    if (op.kind === 'coef') {
      checkCoef(p, op.coef, `requant model op ${i}`);
      coef = op.coef;
    } else {
      out.push(requantVector(p, coef, op.acc, `requant model op ${i}`));
    }
  });
  return out;
}

/** Bit layout of an s_axis_q beat: lane i = {S(6), M(15)} at bit 21*i, then LO, then HI (outBits each). */
export const COEF_LANE_BITS = 21;

export function packCoef(p: RequantParams, c: RequantCoef): bigint {
  let v = 0n;
  for (let i = p.lanes - 1; i >= 0; i--) v = (v << 21n) | (BigInt(c.S[i]) << 15n) | BigInt(c.M[i]);
  const ob = BigInt(p.outBits), mask = (1n << ob) - 1n;
  const lo = BigInt(c.lo) & mask, hi = BigInt(c.hi) & mask;
  return (((hi << ob) | lo) << BigInt(21 * p.lanes)) | v;
}
