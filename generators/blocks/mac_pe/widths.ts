// Accumulator width of a signed MAC that can never overflow. Pure arithmetic, shared by the
// RTL builder and the reference model so both use the same formula.
//
// Proof. a is signed aW bits: a in [-2^(aW-1), 2^(aW-1)-1]; w likewise with wW.
//   max |a*w| = 2^(aW-1) * 2^(wW-1) = 2^(aW+wW-2), reached only by (-2^(aW-1)) * (-2^(wW-1)) > 0.
//   The most negative product is -2^(aW-1) * (2^(wW-1)-1) (or symmetric), smaller in magnitude.
// A sum of `taps` products S satisfies |S| <= taps * 2^(aW+wW-2) =: M.
// A signed N-bit register holds [-2^(N-1), 2^(N-1)-1], so we need M <= 2^(N-1) - 1, i.e. M < 2^(N-1).
// With N = aW + wW + floor(log2(taps)):  2^(N-1) = 2^(aW+wW-2) * 2^(floor(log2 taps)+1) > 2^(aW+wW-2) * taps = M,
// because 2^(floor(log2 t)+1) > t for every t >= 1. Hence no overflow. N is also minimal: with one bit
// less, 2^(N-2) = 2^(aW+wW-2) * 2^floor(log2 taps) <= M, so the all-most-negative sum overflows.

/** floor(log2(n)) for an integer n >= 1. */
export function floorLog2(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`floorLog2: expected an integer >= 1, got ${n}`);
  let k = 0;
  while (2 ** (k + 1) <= n) k++;
  return k;
}

/** ceil(log2(n)) for n >= 1 (0 for n = 1): the bits needed to index n items. */
export function ceilLog2(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`ceilLog2: expected an integer >= 1, got ${n}`);
  const f = floorLog2(n);
  return 2 ** f === n ? f : f + 1;
}

/** Accumulator width for `taps` signed aW x wW products: aW + wW + floor(log2(taps)). */
export function accWidth(aW: number, wW: number, taps: number): number {
  return aW + wW + floorLog2(taps);
}

/** Largest magnitude a sum of `taps` products can reach: taps * 2^(aW+wW-2). */
export function maxSumMagnitude(aW: number, wW: number, taps: number): bigint {
  return BigInt(taps) << BigInt(aW + wW - 2);
}
