// Bit-exact reference model of the horizontal 5/3 lifting stage: rows of an input stream
// (P samples per beat, tlast on each row's last beat) through the golden forward53 of
// model/camera/dwt.ts (symmetric borders, floor shifts), cut into output beats of Q pairs.
import { forward53 } from '../../../model/camera/dwt.ts';

export interface Dwt53hModelParams {
  /** Samples per input beat: 1 or even. */
  lanes: number;
}

/** One input beat: `lanes` samples, sample 0 leftmost. */
export interface SampleBeat {
  lanes: readonly number[];
  last: boolean;
  user: boolean;
}

/** One output beat: Q low-pass and Q high-pass coefficients of consecutive columns. */
export interface PairBeat {
  lo: number[];
  hi: number[];
  last: boolean;
  user: boolean;
}

/** Samples the core pairs per output beat (G) and pairs per output beat (Q). */
export function dwt53hGroup(lanes: number): { group: number; pairs: number } {
  const group = Math.max(2, lanes);
  return { group, pairs: group / 2 };
}

/**
 * Output beats for a sequence of accepted input beats. Each row (ended by tlast) must hold
 * a positive multiple of G = max(2, lanes) samples; a tail without tlast is an error.
 * tuser of an output beat is tuser of the first input beat of its G samples.
 */
export function dwt53hModel(p: Dwt53hModelParams, beats: readonly SampleBeat[], where = 'dwt53_h model'): PairBeat[] {
  const { group: G, pairs: Q } = dwt53hGroup(p.lanes);
  const out: PairBeat[] = [];
  let row: number[] = [];
  let users: boolean[] = [];
  beats.forEach((b, i) => {
    if (b.lanes.length !== p.lanes) throw new RangeError(`${where}: beat ${i} has ${b.lanes.length} samples, expected lanes=${p.lanes}`);
    users.push(...b.lanes.map((_, k) => k === 0 && b.user));
    row.push(...b.lanes);
    if (!b.last) return;
    const n = row.length;
    if (n % G !== 0) throw new RangeError(`${where}: row ending at beat ${i} has ${n} samples, not a multiple of ${G}`);
    const lo = new Int32Array(n / 2), hi = new Int32Array(n / 2);
    forward53(Int32Array.from(row), n, lo, hi);
    for (let k = 0; k < n / G; k++)
      out.push({ lo: [...lo.subarray(k * Q, k * Q + Q)], hi: [...hi.subarray(k * Q, k * Q + Q)], last: k === n / G - 1, user: users[k * G] });
    row = [];
    users = [];
  });
  if (row.length) throw new RangeError(`${where}: ${row.length} samples after the last tlast (row not ended)`);
  return out;
}
