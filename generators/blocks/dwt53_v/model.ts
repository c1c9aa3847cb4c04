// Bit-exact reference model of the vertical 5/3 lifting stage: frames of `rows` rows (each row
// B beats of K lanes, tlast on its last beat) through the golden forward53 of
// model/camera/dwt.ts down every column; output row i carries the low-pass s[i] and high-pass
// d[i] of each column. Frames are counted in rows (the RTL also restarts the count at a tuser,
// which changes nothing for well-formed input).
import { forward53 } from '../../../model/camera/dwt.ts';
import type { SampleBeat } from '../dwt53_h/model.ts';

export interface Dwt53vModelParams {
  /** Columns per beat (K). */
  lanes: number;
  /** Rows per frame: even, >= 2. */
  rows: number;
}

/** One output beat: K low-pass values then K high-pass values of the same columns. */
export interface VBeat {
  lo: number[];
  hi: number[];
  last: boolean;
  user: boolean;
}

/**
 * Output beats for accepted input beats: each frame's output row i (i < rows/2) gives, per
 * beat c of the row, lo = s[i] and hi = d[i] of that beat's columns; tlast on the row's last
 * beat, tuser on output row 0, beat 0. Rows must have at least 2 beats (the row buffers are
 * read one beat ahead of their write) and equal length within a frame.
 */
export function dwt53vModel(p: Dwt53vModelParams, beats: readonly SampleBeat[], where = 'dwt53_v model'): VBeat[] {
  if (p.rows < 2 || p.rows % 2) throw new RangeError(`${where}: rows = ${p.rows} must be even and >= 2`);
  const rows: (readonly number[])[][] = [];
  let row: (readonly number[])[] = [];
  beats.forEach((b, i) => {
    if (b.lanes.length !== p.lanes) throw new RangeError(`${where}: beat ${i} has ${b.lanes.length} lanes, expected ${p.lanes}`);
    row.push(b.lanes);
    if (!b.last) return;
    if (row.length < 2) throw new RangeError(`${where}: row ending at beat ${i} has ${row.length} beat; rows need >= 2 beats`);
    if (rows.length % p.rows && row.length !== rows[rows.length - 1].length)
      throw new RangeError(`${where}: row ending at beat ${i} has ${row.length} beats, the frame's previous row ${rows[rows.length - 1].length}`);
    rows.push(row);
    row = [];
  });
  if (row.length) throw new RangeError(`${where}: ${row.length} beats after the last tlast (row not ended)`);
  if (rows.length % p.rows) throw new RangeError(`${where}: ${rows.length} rows is not a whole number of ${p.rows}-row frames`);
  const out: VBeat[] = [];
  const h = p.rows, half = h / 2;
  const col = new Int32Array(h), lo = new Int32Array(half), hi = new Int32Array(half);
  for (let f = 0; f < rows.length; f += h) {
    const B = rows[f].length;
    const res: VBeat[] = Array.from({ length: half * B }, (_, n) => ({ lo: [], hi: [], last: n % B === B - 1, user: n === 0 }));
    for (let c = 0; c < B; c++)
      for (let k = 0; k < p.lanes; k++) {
        for (let y = 0; y < h; y++) col[y] = rows[f + y][c][k];
        forward53(col, h, lo, hi);
        for (let i = 0; i < half; i++) {
          res[i * B + c].lo.push(lo[i]);
          res[i * B + c].hi.push(hi[i]);
        }
      }
    out.push(...res);
  }
  return out;
}
