// Bit-exact reference model of the vertical inverse 5/3 lifting stage: frames of rows/2 input
// rows (each row B beats of K low-pass then K high-pass values, the dwt53_v output layout)
// through the golden inverse53 of model/camera/dwt.ts down every column; `rows` output rows of
// B beats of K samples, tlast on each row's last beat, tuser on the frame's first beat.
import { inverse53 } from '../../../model/camera/dwt.ts';
import type { SampleBeat } from '../dwt53_h/model.ts';
import type { VBeat } from '../dwt53_v/model.ts';

export function idwt53vModel(p: { lanes: number; rows: number }, beats: readonly VBeat[], where = 'idwt53_v model'): SampleBeat[] {
  if (p.rows < 2 || p.rows % 2) throw new RangeError(`${where}: rows = ${p.rows} must be even and >= 2`);
  const inRows: VBeat[][] = [];
  let row: VBeat[] = [];
  beats.forEach((b, i) => {
    if (b.lo.length !== p.lanes || b.hi.length !== p.lanes) throw new RangeError(`${where}: beat ${i} has ${b.lo.length} lo / ${b.hi.length} hi lanes, expected ${p.lanes}`);
    row.push(b);
    if (!b.last) return;
    if (row.length < 2) throw new RangeError(`${where}: row ending at beat ${i} has ${row.length} beat; rows need >= 2 beats`);
    if (inRows.length % (p.rows / 2) && row.length !== inRows[inRows.length - 1].length)
      throw new RangeError(`${where}: row ending at beat ${i} has ${row.length} beats, the frame's previous row ${inRows[inRows.length - 1].length}`);
    inRows.push(row);
    row = [];
  });
  if (row.length) throw new RangeError(`${where}: ${row.length} beats after the last tlast (row not ended)`);
  const half = p.rows / 2;
  if (inRows.length % half) throw new RangeError(`${where}: ${inRows.length} input rows is not a whole number of ${half}-row frames (rows = ${p.rows})`);
  const out: SampleBeat[] = [];
  const lo = new Int32Array(half), hi = new Int32Array(half), x = new Int32Array(p.rows);
  for (let f = 0; f < inRows.length; f += half) {
    const B = inRows[f].length;
    const res: SampleBeat[] = Array.from({ length: p.rows * B }, (_, n) => ({ lanes: new Array<number>(p.lanes).fill(0), last: n % B === B - 1, user: n === 0 }));
    for (let c = 0; c < B; c++)
      for (let k = 0; k < p.lanes; k++) {
        for (let i = 0; i < half; i++) {
          lo[i] = inRows[f + i][c].lo[k];
          hi[i] = inRows[f + i][c].hi[k];
        }
        inverse53(lo, hi, p.rows, x);
        for (let y = 0; y < p.rows; y++) (res[y * B + c].lanes as number[])[k] = x[y];
      }
    out.push(...res);
  }
  return out;
}
