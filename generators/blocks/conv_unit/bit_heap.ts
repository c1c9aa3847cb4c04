// Bit-heap compression for the conv_unit's multiply-add tree (README.md "Multipliers"): bits of
// many partial-product rows, column by column, reduced by full and half adders (Dadda's
// schedule: the fewest adders for the fewest levels) to two rows, a carry-save pair. Constant
// bits are folded while building (a full adder with a constant input is an xnor and an or), so
// the heap can hold literal ones and callers never emit gates on constants.
import { cat, lit, type Expr, type Module } from '../../core/index.ts';

/** One heap bit: a 1-bit expression or a constant. */
export type Bit = Expr | 0 | 1;

export const bNot = (a: Bit): Bit => (typeof a === 'number' ? ((1 - a) as 0 | 1) : a.not());
export const bAnd = (a: Bit, b: Bit): Bit => (a === 0 || b === 0 ? 0 : a === 1 ? b : b === 1 ? a : a.and(b));
export const bOr = (a: Bit, b: Bit): Bit => (a === 1 || b === 1 ? 1 : a === 0 ? b : b === 0 ? a : a.or(b));
export const bXor = (a: Bit, b: Bit): Bit => (a === 0 ? b : b === 0 ? a : a === 1 ? bNot(b) : b === 1 ? bNot(a) : a.xor(b));

/** Bits [lo, hi] of a column list as one unsigned vector (constants as literals). */
export function bitsVector(bits: readonly Bit[], lo: number, hi: number): Expr {
  const parts = bits.slice(lo, hi + 1).map((b) => (typeof b === 'number' ? lit(b, 1) : b));
  return parts.length === 1 ? parts[0] : cat(...parts.reverse());
}

/** Dadda's column-height targets 2, 3, 4, 6, 9, 13, ... below `h`, largest first. */
function daddaTargets(h: number): number[] {
  const ds = [2];
  while (ds[ds.length - 1] < h) ds.push(Math.floor((ds[ds.length - 1] * 3) / 2));
  return ds.filter((d) => d < h).reverse();
}

/**
 * Reduce `cols` (column k holds bits of weight 2^k; columns at `width` and above are dropped, so
 * the result is the heap's sum modulo 2^width) to two rows whose sum equals the heap's. Every
 * adder output is a named wire `${prefix}_<n>s` / `_<n>c` (the emitter would otherwise invent
 * thousands of temporaries). Returns the rows as bit lists of length `width`.
 */
export function compressHeap(m: Module, prefix: string, cols: readonly Bit[][], width: number): [Bit[], Bit[]] {
  let heap: Bit[][] = Array.from({ length: width }, (_, k) => (cols[k] ?? []).filter((b) => b !== 0));
  let n = 0;
  const name = (e: Bit, tag: string): Bit => (typeof e === 'number' ? e : m.wire(`${prefix}_${n}${tag}`, e));
  // The top column's carries would be dropped (modulo 2^width): no carry logic there.
  const adder = (xs: Bit[], top: boolean): [Bit, Bit] => {
    const [a, b, c = 0] = xs;
    const sum = bXor(bXor(a, b), c);
    const carry = top ? 0 : bOr(bOr(bAnd(a, b), bAnd(a, c)), bAnd(b, c));
    const out: [Bit, Bit] = [name(sum, 's'), name(carry, 'c')];
    n++;
    return out;
  };
  for (const d of daddaTargets(Math.max(0, ...heap.map((c) => c.length)))) {
    // Bits made in this level (sums, and carries from the column below) wait for the next level.
    const made: Bit[][] = heap.map(() => []);
    heap.forEach((old, k) => {
      let i = 0;
      while (old.length - i + made[k].length > d && old.length - i >= 2) {
        const take = old.length - i + made[k].length - d >= 2 && old.length - i >= 3 ? 3 : 2;
        const [s, c] = adder(old.slice(i, i + take), k + 1 === width);
        i += take;
        if (s !== 0) made[k].push(s);
        if (c !== 0 && k + 1 < width) made[k + 1].push(c);
      }
      made[k].push(...old.slice(i));
    });
    heap = made;
  }
  // Dadda's targets always suffice; anything left over would be a bug in the schedule above.
  const tall = heap.findIndex((c) => c.length > 2);
  if (tall >= 0) throw new Error(`compressHeap ${prefix}: column ${tall} still holds ${heap[tall].length} bits`);
  return [heap.map((c) => c[0] ?? 0), heap.map((c) => c[1] ?? 0)];
}
