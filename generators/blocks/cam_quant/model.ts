// Reference beats of cam_quant: model/camera/codec.ts quantize on every lane, the band of lane i
// being floor(i / cols); multipliers latched at tuser and clamped into [256, 65536] like the RTL
// (an out-of-range multiplier is an error the RTL reports on `err`; the golden model refuses it).
import { quantize } from '../../../model/camera/codec.ts';
import { packLanes, unpackLanes } from '../bits.ts';
import { QUANT_MULT_MIN, QUANT_MULT_ONE, type CamQuantConfig } from './index.ts';

export interface QuantBeat {
  data: bigint;
  last: boolean;
  user: boolean;
}

export const clampMult = (x: number): number => Math.min(QUANT_MULT_ONE, Math.max(QUANT_MULT_MIN, x));

/** Output beats for input beats (multipliers constant over the run, active from the first tuser). */
export function camQuantModel(p: Pick<CamQuantConfig, 'bands' | 'cols' | 'coefBits'>, mults: readonly number[], beats: readonly QuantBeat[]): QuantBeat[] {
  if (mults.length !== p.bands) throw new RangeError(`cam_quant model: ${mults.length} multipliers for ${p.bands} bands`);
  const L = p.bands * p.cols;
  let act: number[] = new Array<number>(p.bands).fill(QUANT_MULT_ONE);
  return beats.map((b) => {
    if (b.user) act = mults.map(clampMult);
    const v = unpackLanes(b.data, L, p.coefBits, true).map((x, i) => quantize(x, act[Math.floor(i / p.cols)]));
    return { data: packLanes(v, p.coefBits), last: b.last, user: b.user };
  });
}

/** The err beats: one per tuser beat while some multiplier is out of range (bit b = band b). */
export function camQuantErrModel(mults: readonly number[], beats: readonly QuantBeat[]): { data: bigint }[] {
  const mask = mults.reduce((a, x, b) => (x === clampMult(x) ? a : a | (1n << BigInt(b))), 0n);
  return mask ? beats.filter((b) => b.user).map(() => ({ data: mask })) : [];
}
