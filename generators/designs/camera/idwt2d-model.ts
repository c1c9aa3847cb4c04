// Reference beats of the idwt2d design: a field's seven subbands as the two input streams
// (the dwt2d output layouts) and the golden inverse (model/camera/dwt.ts inverseDwt) as output.
import { inverseDwt, inverseToLL1, type FieldBands } from '../../../model/camera/dwt.ts';
import { checkSigned, packLanes } from '../../blocks/bits.ts';
import { bandBeats, type PackedBeat } from './dwt2d-model.ts';

function checkGeometry(lanes: number, b: FieldBands, i: number): void {
  if (lanes % 4 || b.width % (2 * lanes) || b.height % 4)
    throw new RangeError(`field ${i} is ${b.width}x${b.height}: idwt2d with ${lanes} lanes needs lanes % 4 == 0, width % ${2 * lanes} == 0 and height % 4 == 0`);
}

/** Input beats: s_axis_s2 = LL2|HL2|LH2|HH2 (lanes/4 columns each), s_axis_s1 = HL1|LH1|HH1 (lanes/2 each). */
export function idwt2dInputs(lanes: number, s1Bits: number, s2Bits: number, fields: readonly FieldBands[]): { s_axis_s1: PackedBeat[]; s_axis_s2: PackedBeat[] } {
  const s1: PackedBeat[] = [], s2: PackedBeat[] = [];
  fields.forEach((f, i) => {
    checkGeometry(lanes, f, i);
    const b = f.bands;
    s1.push(...bandBeats([b.HL1, b.LH1, b.HH1], f.width / 2, f.height / 2, lanes / 2, s1Bits, `field ${i} stage 1 (HL1|LH1|HH1)`));
    s2.push(...bandBeats([b.LL2, b.HL2, b.LH2, b.HH2], f.width / 4, f.height / 4, lanes / 4, s2Bits, `field ${i} stage 2 (LL2|HL2|LH2|HH2)`));
  });
  return { s_axis_s1: s1, s_axis_s2: s2 };
}

/**
 * Expected m_axis: the golden inverse of each field's bands, raster beats of `lanes` samples;
 * with `ll1Only`, the golden stage-2 inverse (LL1, half width and height), lanes / 2 per beat.
 */
export function idwt2dModel(lanes: number, outBits: number, fields: readonly FieldBands[], ll1Only = false): PackedBeat[] {
  const out: PackedBeat[] = [];
  fields.forEach((f, i) => {
    checkGeometry(lanes, f, i);
    const x = ll1Only ? inverseToLL1(f) : inverseDwt(f);
    const w = ll1Only ? f.width / 2 : f.width, h = ll1Only ? f.height / 2 : f.height, n = ll1Only ? lanes / 2 : lanes;
    const per = w / n;
    for (let y = 0; y < h; y++)
      for (let c = 0; c < per; c++) {
        const lanesV = [...x.subarray(y * w + c * n, y * w + c * n + n)];
        lanesV.forEach((v, k) => checkSigned(v, outBits, `field ${i} inverse: row ${y}, beat ${c}, lane ${k}`));
        out.push({ data: packLanes(lanesV, outBits), last: c === per - 1, user: y === 0 && c === 0 });
      }
  });
  return out;
}
