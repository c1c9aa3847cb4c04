// Bit-exact reference model of the MAC processing element (see README.md).
import { checkSigned } from '../bits.ts';
import { accWidth } from './widths.ts';

export interface MacPeParams {
  /** Activation width (signed). */
  actBits: number;
  /** Weight width (signed): the QUANT_BITS of the design, 8, 6 or 4. */
  weightBits: number;
  /** Most products one accumulation may sum; sets the accumulator width. */
  taps: number;
  /** Register after the multiplier (adds one cycle of latency). */
  pipeMul: boolean;
}

export interface MacBeat {
  a: number;
  w: number;
  /** Start a new sum with this product (the accumulator is not reset otherwise). */
  first: boolean;
  /** This is the final product of the sum: the PE emits the sum. */
  last: boolean;
}

/** Cycles from an accepted input beat to the out_valid carrying its sum. */
export function macPeLatency(p: Pick<MacPeParams, 'pipeMul'>): number {
  return p.pipeMul ? 2 : 1;
}

/**
 * The sums the accumulate-mode PE emits for a sequence of valid beats, in order.
 * Throws (naming the beat) when an operand is out of range, a sum has more than `taps`
 * products, or the stream does not start with `first`.
 */
export function macPeModel(p: MacPeParams, beats: readonly MacBeat[]): number[] {
  const accW = accWidth(p.actBits, p.weightBits, p.taps);
  const out: number[] = [];
  let acc = 0;
  let count = 0;
  beats.forEach((b, i) => {
    checkSigned(b.a, p.actBits, `mac_pe model beat ${i} a`);
    checkSigned(b.w, p.weightBits, `mac_pe model beat ${i} w`);
    if (b.first) {
      acc = 0;
      count = 0;
    } else if (i === 0) {
      throw new RangeError('mac_pe model: the first beat must have first=1 (the accumulator has no reset value)');
    }
    acc += b.a * b.w;
    count++;
    if (count > p.taps) throw new RangeError(`mac_pe model beat ${i}: ${count} products in one sum exceed taps=${p.taps}`);
    checkSigned(acc, accW, `mac_pe model beat ${i} accumulator`);
    if (b.last) out.push(acc);
  });
  return out;
}

/** Cascade mode (used by the weight-stationary array): psum_out = psum_in + a*w. */
export function macCascade(psumIn: number, a: number, w: number): number {
  return psumIn + a * w;
}
