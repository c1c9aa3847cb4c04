// Multiplication by elaboration-time constants as shifted adds, shared by the blocks whose
// coefficients are fixed by a spec (skip_add's bilinear weights, the BT.601 colour matrices).
import { lit, type Expr } from '../core/index.ts';

/** Shifted copies of x, one per set bit of the constant c (x * c = their sum). */
export function constTerms(x: Expr, c: number): Expr[] {
  const out: Expr[] = [];
  for (let i = 0; c >> i; i++) if ((c >> i) & 1) out.push(i ? x.shl(i) : x);
  return out;
}

/** k + sum of constant multiples of unsigned values, `bits` wide (the caller knows the maximum fits). */
export function constSum(terms: [Expr, number][], k: number, bits: number): Expr {
  let t = [...terms.flatMap(([x, c]) => constTerms(x, c)), ...(k ? [lit(k, bits)] : [])];
  while (t.length > 1) {
    const n: Expr[] = [];
    for (let i = 0; i + 1 < t.length; i += 2) n.push(t[i].add(t[i + 1], bits));
    if (t.length % 2) n.push(t[t.length - 1].resize(bits));
    t = n;
  }
  return t[0].resize(bits);
}
