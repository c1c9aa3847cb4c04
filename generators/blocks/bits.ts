// Bit-level helpers shared by the block reference models: signed ranges and packing of
// several fields into one wide bus value (bigint, since buses exceed 53 bits).

export function signedRange(bits: number): [number, number] {
  return [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
}

/** Throw a RangeError naming `what` when v is not a signed `bits`-bit integer. */
export function checkSigned(v: number, bits: number, what: string): void {
  const [lo, hi] = signedRange(bits);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what}: ${v} is not a signed ${bits}-bit value [${lo}, ${hi}]`);
}

/** Throw a RangeError naming `what` when v is not an unsigned `bits`-bit integer. */
export function checkUnsigned(v: number | bigint, bits: number, what: string): void {
  const b = BigInt(v);
  if (b < 0n || b >= 1n << BigInt(bits)) throw new RangeError(`${what}: ${v} is not an unsigned ${bits}-bit value`);
}

/** Two's-complement bit pattern of a signed value, as an unsigned bigint of `bits` bits. */
export function toBits(v: number | bigint, bits: number): bigint {
  return BigInt.asUintN(bits, BigInt(v));
}

/** Signed value of the low `bits` bits of x. */
export function fromBitsSigned(x: bigint, bits: number): number {
  return Number(BigInt.asIntN(bits, x));
}

/** Pack lanes (lane 0 in the least significant bits), each `bits` wide, two's complement. */
export function packLanes(lanes: readonly (number | bigint)[], bits: number): bigint {
  let out = 0n;
  for (let i = lanes.length - 1; i >= 0; i--) out = (out << BigInt(bits)) | toBits(lanes[i], bits);
  return out;
}

/** Inverse of packLanes. */
export function unpackLanes(x: bigint, n: number, bits: number, signed: boolean): number[] {
  const out: number[] = [];
  const mask = (1n << BigInt(bits)) - 1n;
  for (let i = 0; i < n; i++) {
    const v = (x >> BigInt(i * bits)) & mask;
    out.push(signed ? fromBitsSigned(v, bits) : Number(v));
  }
  return out;
}
