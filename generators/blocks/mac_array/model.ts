// Bit-exact reference model of the weight-stationary systolic MAC array (see README.md).
import { checkSigned } from '../bits.ts';
import { accWidth } from '../mac_pe/widths.ts';

export interface MacArrayParams {
  rows: number;
  cols: number;
  actBits: number;
  weightBits: number;
  pipeMul: boolean;
}

/** One accepted beat, in acceptance order: a weight-matrix row or an activation vector. */
export type MacArrayOp = { kind: 'weights'; row: readonly number[] } | { kind: 'act'; a: readonly number[] };

export function macArrayAccBits(p: MacArrayParams): number {
  return accWidth(p.actBits, p.weightBits, p.rows);
}

/** out[j] = sum_r a[r] * W[r][j]: what one activation beat produces. */
export function macArrayMatVec(p: MacArrayParams, W: readonly (readonly number[])[], a: readonly number[]): number[] {
  if (a.length !== p.rows) throw new RangeError(`mac_array model: activation vector has ${a.length} lanes, expected rows=${p.rows}`);
  a.forEach((v, r) => checkSigned(v, p.actBits, `mac_array model activation lane ${r}`));
  const out: number[] = [];
  for (let j = 0; j < p.cols; j++) {
    let s = 0;
    for (let r = 0; r < p.rows; r++) s += a[r] * W[r][j];
    out.push(s);
  }
  return out;
}

/**
 * Results for a sequence of accepted beats. Weight beats load rows 0..rows-1 in order (the
 * beat counter wraps after `rows` beats); each activation uses the matrix as loaded so far.
 * Rows not yet loaded since reset are 0 (the RTL weight registers reset to 0).
 */
export function macArrayModel(p: MacArrayParams, ops: readonly MacArrayOp[]): number[][] {
  const W: number[][] = Array.from({ length: p.rows }, () => new Array<number>(p.cols).fill(0));
  let wrow = 0;
  const out: number[][] = [];
  ops.forEach((op, i) => {
    if (op.kind === 'weights') {
      if (op.row.length !== p.cols) throw new RangeError(`mac_array model op ${i}: weight row has ${op.row.length} lanes, expected cols=${p.cols}`);
      op.row.forEach((v, j) => checkSigned(v, p.weightBits, `mac_array model op ${i} weight lane ${j}`));
      W[wrow] = [...op.row];
      wrow = (wrow + 1) % p.rows;
    } else {
      out.push(macArrayMatVec(p, W, op.a));
    }
  });
  return out;
}
