// Bit-exact reference model of the horizontal inverse 5/3 lifting stage: rows of (low, high)
// pair beats (Q pairs per beat, tlast on each row's last beat) through the golden inverse53 of
// model/camera/dwt.ts (symmetric borders, floor shifts), cut into output beats of 2Q samples.
import { inverse53 } from '../../../model/camera/dwt.ts';
import type { PairBeat, SampleBeat } from '../dwt53_h/model.ts';

/**
 * Output beats for a sequence of accepted input beats (each `pairs` lo and `pairs` hi values).
 * tuser of an output beat is tuser of its input beat; tlast marks the row's last beat.
 */
export function idwt53hModel(pairs: number, beats: readonly PairBeat[], where = 'idwt53_h model'): SampleBeat[] {
  const out: SampleBeat[] = [];
  let lo: number[] = [], hi: number[] = [], users: boolean[] = [];
  beats.forEach((b, i) => {
    if (b.lo.length !== pairs || b.hi.length !== pairs) throw new RangeError(`${where}: beat ${i} has ${b.lo.length} lo / ${b.hi.length} hi values, expected pairs=${pairs}`);
    lo.push(...b.lo);
    hi.push(...b.hi);
    users.push(b.user);
    if (!b.last) return;
    const n = 2 * lo.length;
    const x = new Int32Array(n);
    inverse53(Int32Array.from(lo), Int32Array.from(hi), n, x);
    const G = 2 * pairs;
    for (let k = 0; k < n / G; k++) out.push({ lanes: [...x.subarray(k * G, k * G + G)], last: k === n / G - 1, user: users[k] });
    lo = [];
    hi = [];
    users = [];
  });
  if (lo.length) throw new RangeError(`${where}: ${lo.length} pairs after the last tlast (row not ended)`);
  return out;
}
