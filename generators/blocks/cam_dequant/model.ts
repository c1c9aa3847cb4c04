// Reference beats of cam_dequant: model/camera/codec.ts dequantize on every lane (band of lane i =
// floor(i / cols)) with the golden focus-assist register (inv * gain + 8) >> 4 for high-pass bands;
// registers latched at tuser and clamped like the RTL (out of range is an `err` beat there).
import { dequantize } from '../../../model/camera/codec.ts';
import { packLanes, unpackLanes } from '../bits.ts';
import { DEQUANT_INV_MAX, DEQUANT_INV_MIN, FOCUS_MAX, FOCUS_MIN, type CamDequantConfig } from './index.ts';

export interface DequantBeat {
  data: bigint;
  last: boolean;
  user: boolean;
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** The effective inverse register of band b (what decode.ts's invRegister(mult, gain) gives). */
export function effectiveInv(inv: number, focus: number, highPass: boolean): number {
  const i = clamp(inv, DEQUANT_INV_MIN, DEQUANT_INV_MAX);
  return highPass ? (i * clamp(focus, FOCUS_MIN, FOCUS_MAX) + 8) >> 4 : i;
}

export function camDequantModel(p: Pick<CamDequantConfig, 'bands' | 'cols' | 'coefBits' | 'lowPass0'>, invs: readonly number[], focus: number, beats: readonly DequantBeat[]): DequantBeat[] {
  if (invs.length !== p.bands) throw new RangeError(`cam_dequant model: ${invs.length} inverse registers for ${p.bands} bands`);
  const L = p.bands * p.cols;
  let act = new Array<number>(p.bands).fill(256);
  return beats.map((b) => {
    if (b.user) act = invs.map((x, i) => effectiveInv(x, focus, !(p.lowPass0 && i === 0)));
    const v = unpackLanes(b.data, L, p.coefBits, true).map((x, i) => dequantize(x, act[Math.floor(i / p.cols)], p.coefBits));
    return { data: packLanes(v, p.coefBits), last: b.last, user: b.user };
  });
}
