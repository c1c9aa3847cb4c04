// Reference beats of the dwt2d design: colour fields as raster input beats, and the golden
// two-stage DWT (model/camera/dwt.ts forwardDwt) as the two output streams' beats.
import { forwardDwt } from '../../../model/camera/dwt.ts';
import { checkSigned, packLanes } from '../../blocks/bits.ts';
import { dwt2dGeometry } from './dwt2d.ts';

export interface FieldFrame {
  width: number;
  height: number;
  /** Row-major samples. */
  data: Int32Array;
}

export interface PackedBeat {
  data: bigint;
  last: boolean;
  user: boolean;
}

/** Raster beats of `lanes` samples (sample 0 in the low bits), tlast at row ends, tuser at (0, 0). */
export function fieldBeats(f: FieldFrame, lanes: number, bits: number): PackedBeat[] {
  if (f.width % lanes) throw new RangeError(`field ${f.width}x${f.height}: width is not a multiple of ${lanes} lanes`);
  const out: PackedBeat[] = [];
  const per = f.width / lanes;
  for (let y = 0; y < f.height; y++)
    for (let b = 0; b < per; b++) {
      const i = y * f.width + b * lanes;
      out.push({ data: packLanes([...f.data.subarray(i, i + lanes)], bits), last: b === per - 1, user: y === 0 && b === 0 });
    }
  return out;
}

/** Band rows cut into beats of q columns per band, bands side by side (first band in the low bits). */
export function bandBeats(bands: Int32Array[], bw: number, bh: number, q: number, bits: number, where: string): PackedBeat[] {
  const out: PackedBeat[] = [];
  const per = bw / q;
  for (let y = 0; y < bh; y++)
    for (let c = 0; c < per; c++) {
      const lanes = bands.flatMap((b) => [...b.subarray(y * bw + c * q, y * bw + c * q + q)]);
      // An exact value the declared width cannot hold is an error, never a silent wrap.
      lanes.forEach((v, k) => checkSigned(v, bits, `${where}: row ${y}, beat ${c}, lane ${k}`));
      out.push({ data: packLanes(lanes, bits), last: c === per - 1, user: y === 0 && c === 0 });
    }
  return out;
}

/**
 * Expected dwt2d outputs for a sequence of fields (one frame each): m_axis_s1 = HL1 | LH1 | HH1
 * (q1 columns each per beat), m_axis_s2 = LL2 | HL2 | LH2 | HH2 (q2 each).
 */
export function dwt2dModel(lanes: number, s1Bits: number, s2Bits: number, fields: readonly FieldFrame[]): { m_axis_s1: PackedBeat[]; m_axis_s2: PackedBeat[] } {
  const g = dwt2dGeometry(lanes);
  const s1: PackedBeat[] = [], s2: PackedBeat[] = [];
  fields.forEach((f, i) => {
    if (f.width % g.widthMultiple || f.height % 4)
      throw new RangeError(`field ${i} is ${f.width}x${f.height}: dwt2d with ${lanes} lanes needs width % ${g.widthMultiple} == 0 and height % 4 == 0`);
    const b = forwardDwt(f.data, f.width, f.height).bands;
    s1.push(...bandBeats([b.HL1, b.LH1, b.HH1], f.width / 2, f.height / 2, g.q1, s1Bits, `field ${i} stage 1 (HL1|LH1|HH1)`));
    s2.push(...bandBeats([b.LL2, b.HL2, b.LH2, b.HH2], f.width / 4, f.height / 4, g.q2, s2Bits, `field ${i} stage 2 (LL2|HL2|LH2|HH2)`));
  });
  return { m_axis_s1: s1, m_axis_s2: s2 };
}
