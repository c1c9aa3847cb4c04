// Radix-4 signed-digit recoding of the conv_unit's constant weights (README.md "Multipliers"):
// w = sum_i d_i * 4^i with every d_i in {-2, -1, 0, 1, 2}, so each digit selects 0, x or 2x
// (possibly negated) and a weight costs one partial-product row per digit instead of one per bit.
// The weights are elaboration constants, so the recoding is done here and the step ROM stores
// the digits' select signals; no recoder is built in hardware.

/**
 * Digits of w, least significant first, as few as the value needs (0 has none). A residue of 2
 * takes the digit with w's sign, so |w| <= 2 is one digit and |w| <= 2 * (4^n - 1) / 3 is n digits
 * (|w| <= 127: 4 digits, |w| <= 31: 3, |w| <= 7: 2, i.e. ceil(wBits / 2) for symmetric weights).
 */
export function radix4Digits(w: number): number[] {
  if (!Number.isSafeInteger(w)) throw new RangeError(`radix4Digits: ${w} is not a safe integer`);
  const d: number[] = [];
  while (w !== 0) {
    const r = ((w % 4) + 4) % 4;
    const di = r === 3 ? -1 : r === 2 ? (w > 0 ? 2 : -2) : r;
    d.push(di);
    w = (w - di) / 4;
  }
  return d;
}

/** The select signals of one digit: |d| = 1, |d| = 2, d < 0. */
export function digitSelects(d: number): { one: 0 | 1; two: 0 | 1; neg: 0 | 1 } {
  return { one: Math.abs(d) === 1 ? 1 : 0, two: Math.abs(d) === 2 ? 1 : 0, neg: d < 0 ? 1 : 0 };
}
