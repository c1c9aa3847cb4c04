// Bit-exact reference model of one conv_unit (README.md): per accepted cell beat,
// out[co] = clamp((acc * M[co] + 2^(S[co]-1)) >> S[co], lo, hi), acc = B[co] + sum_t W[co][t] * opnd[t]
// (docs/fixed-point.md section 3), pass bits, tlast and tuser carried through unchanged.
import { packLanes, unpackLanes } from '../bits.ts';
import { requantValue } from '../requant/model.ts';

/** The constants and shape of one unit (the validated parameters of index.ts). */
export interface ConvUnitConfig {
  name: string;
  T: number;
  cout: number;
  cpar: number;
  P: number;
  passBits: number;
  wBits: number;
  /** Tree register spacing (timing only; default 2): 2^treeLevels lanes per first tree stage node. */
  treeLevels?: number;
  /** Requantisers (timing and area only; 0 or cpar = one per row): rows share them over ceil(cpar/rqLanes) cycles. */
  rqLanes?: number;
  /** false: operands read in place from s_axis_tdata, accepted in the cell's last step (handshake timing only). */
  inputReg?: boolean;
  /** Cycles the consumer may keep the output FIFO head before popping it (FIFO depth only). */
  holdCycles?: number;
  /** Where the constants live (build only; same arithmetic): elaboration literals or start-up registers. */
  weightSource?: 'baked' | 'loaded';
  /** cout * T, layout [co][t]. */
  weights: readonly number[];
  bias: readonly number[];
  M: readonly number[];
  S: readonly number[];
  lo: number;
  hi: number;
}

export interface CellBeat {
  data: bigint;
  last?: boolean;
  user?: boolean;
}

/** Cycles per cell at the sustained rate: ceil(cout / cpar) * ceil(T / P). */
export function convUnitCycles(c: Pick<ConvUnitConfig, 'T' | 'cout' | 'cpar' | 'P'>): number {
  return Math.ceil(c.cout / c.cpar) * Math.ceil(c.T / c.P);
}

/** max |acc[co]| = 128 * sum_t |W[co][t]| + |B[co]| (docs/fixed-point.md 3), per channel. */
export function accBounds(c: Pick<ConvUnitConfig, 'T' | 'cout' | 'weights' | 'bias'>): number[] {
  return Array.from({ length: c.cout }, (_, co) => {
    let s = 0;
    for (let t = 0; t < c.T; t++) s += Math.abs(c.weights[co * c.T + t]);
    return 128 * s + Math.abs(c.bias[co]);
  });
}

/** Bits of a signed integer holding every value in [-bound, bound]. */
export function signedBitsFor(bound: number): number {
  let b = 1;
  while (2 ** (b - 1) - 1 < bound) b++;
  return b;
}

/** Accumulator width (signed) the constants need: the widest channel. */
export function convUnitAccBits(c: Pick<ConvUnitConfig, 'T' | 'cout' | 'weights' | 'bias'>): number {
  return Math.max(...accBounds(c).map(signedBitsFor));
}

/** Accumulators of one cell from its T int8 operands. */
export function convUnitAcc(c: ConvUnitConfig, opnd: readonly number[]): number[] {
  return Array.from({ length: c.cout }, (_, co) => {
    let s = c.bias[co];
    for (let t = 0; t < c.T; t++) s += c.weights[co * c.T + t] * opnd[t];
    return s;
  });
}

/** Requantised outputs of one cell. */
export function convUnitCell(c: ConvUnitConfig, opnd: readonly number[]): number[] {
  return convUnitAcc(c, opnd).map((a, co) => requantValue(a, c.M[co], c.S[co], c.lo, c.hi));
}

/** Pack a cell's operands and pass bits into an s_axis beat's tdata. */
export function packCell(c: Pick<ConvUnitConfig, 'T' | 'passBits'>, opnd: readonly number[], pass = 0n): bigint {
  if (opnd.length !== c.T) throw new RangeError(`packCell: ${opnd.length} operands, expected T = ${c.T}`);
  if (pass < 0n || pass >= 1n << BigInt(c.passBits)) throw new RangeError(`packCell: pass bits ${pass} do not fit passBits = ${c.passBits}`);
  return (pass << BigInt(8 * c.T)) | packLanes(opnd, 8);
}

/** The m_axis beats for a sequence of accepted s_axis beats (same order, one per cell). */
export function convUnitModel(c: ConvUnitConfig, beats: readonly CellBeat[]): CellBeat[] {
  const opBits = BigInt(8 * c.T);
  return beats.map((b) => {
    const opnd = unpackLanes(b.data, c.T, 8, true);
    const pass = b.data >> opBits;
    const out = convUnitCell(c, opnd);
    return { data: (pass << BigInt(8 * c.cout)) | packLanes(out, 8), last: !!b.last, user: !!b.user };
  });
}
