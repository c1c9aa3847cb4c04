// skip_add builder (README.md): per cell beat, the integer bilinear skip of its 3x3 HR pixels
// from a 3x3 window of X0 cells (docs/fixed-point.md 4.5), plus the head's residual, clamped.
// Free-running 2-register datapath (constant products as shifts and adds) into a credit-fed
// output FIFO (axis/credit.ts): no stall enable, no combinational path from m_axis_tready.
import { cat, defineParams, int, lit, Module, mux, oneOf, type Expr } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { constTerms } from '../const_mult.ts';
import { RES_BITS, SKIP_WEIGHTS, skipAddLayout, TAP_CELL, WIN_LSB } from './model.ts';

export const skipAddParams = defineParams('skip_add', {
  depth: int({ min: 2, max: 64, default: 4, doc: 'output FIFO entries (= credits); 4 sustain one beat per cycle' }),
  planes: oneOf([1, 3] as const, { default: 1, doc: 'planes per X0 cell: 1 = luma; 3 = Y, Cb, Cr (the residual goes to Y only; Cb, Cr get the bare skip)' }),
});

export type SkipAddConfig = ReturnType<typeof skipAddParams.validate>;

export interface SkipAddInfo {
  module: Module;
  /** Cycles from an accepted s_axis beat to m_axis_tvalid (no stalls). */
  latency: number;
  flops: number;
}

export const SKIP_ADD_LATENCY = 3;

/** Register bits: stage 1 (vertical sums 148 per plane + RES 72 + valid/last/user + 2 column flags), stage 2 (horizontal 150 per plane + 72 + 3), FIFO + credits. */
export function skipAddFlops(p: SkipAddConfig): number {
  return 148 * p.planes + 77 + 150 * p.planes + 75 + creditOutputFlops(skipAddLayout(p.planes).outBits, p.depth);
}

/** A non-negative value `e * 2^k` with e <= max (k: trailing zero bits not carried in hardware). */
interface Val {
  e: Expr;
  k: number;
  max: number;
}

const bitsFor = (max: number) => Math.max(1, max.toString(2).length);

/** Balanced adder tree (unsigned, widths grow by one per level). */
function sumTree(terms: Expr[]): Expr {
  let t = terms;
  while (t.length > 1) {
    const n: Expr[] = [];
    for (let i = 0; i + 1 < t.length; i += 2) n.push(t[i].add(t[i + 1]));
    if (t.length % 2) n.push(t[t.length - 1]);
    t = n;
  }
  return t[0];
}

/** wA * A + wB * B for one output phase: 32/32 is a plain add (5 more trailing zeros). */
function weighted(A: Val, B: Val, wA: number, wB: number): Val {
  if (A.k !== B.k) throw new Error(`skip_add: taps with different scales (2^${A.k}, 2^${B.k})`); // both taps of a phase come from one row
  if (wA === wB) {
    const max = A.max + B.max;
    return { e: A.e.add(B.e).trunc(bitsFor(max)), k: A.k + Math.log2(wA), max };
  }
  const max = wA * A.max + wB * B.max;
  const s = sumTree([...constTerms(A.e, wA), ...constTerms(B.e, wB)]);
  return { e: s.width > bitsFor(max) ? s.trunc(bitsFor(max)) : s, k: A.k, max };
}

/** `weighted(A, B, wA, wB)`, or `(wA + wB) * R` when `clamp` is set (the outer tap replaced by its inner neighbour R). */
function clamped(A: Val, B: Val, wA: number, wB: number, clamp: Expr | undefined, innerIsB: boolean): Val {
  const w = weighted(A, B, wA, wB);
  if (!clamp) return w;
  const R = innerIsB ? B : A;
  const sh = Math.log2(wA + wB); // 64: the two weights of a clamped phase sum to a power of two
  if (!Number.isInteger(sh) || R.k !== w.k) throw new Error('skip_add: a clamped phase must have weights summing to a power of two');
  const r = R.e.shl(sh);
  const fit = r.width < w.e.width ? r.zext(w.e.width) : r.width > w.e.width ? r.trunc(w.e.width) : r; // 64 * R <= max: no bits lost
  return { ...w, e: mux(clamp, fit, w.e) };
}

/** Phase p of an axis reads taps (t0, t0+1) with weights (w0, w1). */
function phaseTaps(p: number): [number, number, number, number] {
  const w = SKIP_WEIGHTS[p];
  const t0 = w.findIndex((x) => x !== 0);
  return [t0, t0 + 1, w[t0], w[t0 + 1]];
}

export function buildSkipAdd(config: Partial<SkipAddConfig> = {}): SkipAddInfo {
  const p = skipAddParams.validate(config);
  const NP = p.planes;
  const L = skipAddLayout(NP);
  const m = new Module(`skip_add${p.depth === 4 ? '' : `_d${p.depth}`}${NP === 1 ? '' : `_p${NP}`}`, {
    params: { block: 'skip_add', ...p },
    doc: `skip + residual output unit: O9 = clamp(bilinear x1.5 skip of a 3x3 X0 window + RES9, 0, 255)${NP === 1 ? '' : `; planes 1..${NP - 1}: the bare skip`}; latency ${SKIP_ADD_LATENCY}, ${p.depth}-entry credit FIFO`,
  });
  const s = streamIn(m, { width: L.inBits });
  const o = streamOut(m, { width: L.outBits });
  const cr = creditOutput(m, s, o, p.depth);

  // ---- stage 0 (combinational from s_axis): 4x4 LR patch, border replicate, vertical pass ----
  const used = new Set<string>();
  const lr = (a: number, c: number, q: number): Expr => {
    const [dy, sr] = TAP_CELL[a], [dx, sc] = TAP_CELL[c];
    const lane = dy * 3 + dx, ch = 4 * q + 2 * sr + sc;
    used.add(`${lane}.${ch}`);
    const b = WIN_LSB + lane * L.laneBits + ch * 8;
    return cat(s.data.bit(b + 7).not(), s.data.slice(b + 6, b)); // v = X0 + 128: flip the sign bit
  };
  const flag = (i: number) => s.data.bit(L.flagsLsb + i);
  // Replicate clamp: on the first row the LR row 2i-1 is row 2i, on the last row 2i+2 is 2i+1; same
  // for columns. The filter is separable, so the row clamp is applied to the vertical sums and the
  // column clamp to the horizontal ones, each as a mux at the END of its stage
  // (`wA*A + wB*B` -> `64*B` when tap A is replaced by B): the flags' fanout buffering then runs in
  // parallel with the adders instead of in front of them (it was screen_top's worst path at tt).
  // Touch every tap once so the unused-channel list below is complete.
  for (let q = 0; q < NP; q++) for (let a = 0; a < 4; a++) for (let c = 0; c < 4; c++) lr(a, c, q);
  for (let lane = 0; lane < 9; lane++)
    for (let ch = 0; ch < 4 * NP; ch++)
      if (!used.has(`${lane}.${ch}`)) {
        const b = WIN_LSB + lane * L.laneBits + ch * 8;
        m.unused(s.data.slice(b + 7, b), `window lane ${lane} channel ${ch}: outside the 4x4 LR neighbourhood the skip reads`);
      }

  const v1 = m.regInit('v1', 1, 0, { doc: 'stage 1 holds a beat' });
  const v2 = m.regInit('v2', 1, 0, { doc: 'stage 2 holds a beat' });
  v1.set(cr.take);
  v2.set(v1);
  const pipe = (name: string, src: Expr, n: number): Expr => {
    let prev = src;
    for (let k = 1; k <= n; k++) {
      const r = m.reg(`${name}${k}`, prev.width, { reset: null });
      r.set(prev);
      prev = r;
    }
    return prev;
  };
  const reg = (name: string, v: Val): Val => {
    const r = m.reg(name, v.e.width, { reset: null });
    r.set(v.e);
    return { ...v, e: r };
  };

  // Per plane q (register names get a _p<q> suffix for q > 0, so the 1-plane netlist is unchanged).
  const sfx = (q: number) => (q === 0 ? '' : `_p${q}`);
  // Vertical: V[py][c] = wy0 * P[t0][c] + wy1 * P[t0+1][c], 14 bits (py = 1 keeps the 9-bit sum, x32 implicit).
  const V: Val[][][] = [];
  for (let q = 0; q < NP; q++) {
    V.push([]);
    for (let py = 0; py < 3; py++) {
      const [t0, t1, w0, w1] = phaseTaps(py);
      // py = 0 reads rows (0, 1): row 0 is replaced on the first row; py = 2 reads (2, 3): row 3 on the last.
      const rowClamp = py === 0 ? flag(0) : py === 2 ? flag(1) : undefined;
      V[q].push([0, 1, 2, 3].map((c) => reg(`vs_${py}_${c}${sfx(q)}`, clamped({ e: lr(t0, c, q), k: 0, max: 255 }, { e: lr(t1, c, q), k: 0, max: 255 }, w0, w1, rowClamp, py === 0))));
    }
  }
  const res2 = pipe('res', s.data.slice(RES_BITS - 1, 0), 2); // RES travels with the beat
  const colFlags = pipe('colflags', cat(flag(3), flag(2)), 1); // the column clamp is applied in stage 1

  // ---- stage 1: horizontal pass, H[py][px] = wx0 * V[py][t0] + wx1 * V[py][t0+1] (<= 20 bits) ----
  const H: Val[][] = [];
  for (let q = 0; q < NP; q++) {
    H.push([]);
    for (let py = 0; py < 3; py++)
      for (let px = 0; px < 3; px++) {
        const [t0, t1, w0, w1] = phaseTaps(px);
        const colClamp = px === 0 ? colFlags.bit(0) : px === 2 ? colFlags.bit(1) : undefined;
        H[q].push(reg(`hs_${py}_${px}${sfx(q)}`, clamped(V[q][py][t0], V[q][py][t1], w0, w1, colClamp, px === 0)));
      }
  }
  const last2 = pipe('last', s.lastSig!, 2);
  const user2 = pipe('user', s.userSig!, 2);

  // ---- stage 2 (into the FIFO): SKIP = (H + 2048) >> 12, O = clamp(SKIP + RES, 0, 255) on plane 0, SKIP on the others ----
  const outs: Expr[][] = H.map((Hq, q) =>
    Hq.map((h, k) => {
      const sh = 12 - h.k;
      if ((h.max + (1 << (sh - 1))) >> sh > 255) throw new Error(`skip_add: phase ${k} can exceed 255`); // cannot happen: weights sum to 4096
      const skip = h.e.shrRound(sh).trunc(8);
      if (q > 0) return skip;
      const sum = m.wire(`sum_${k}`, skip.zext(9).asSigned().add(res2.slice(8 * k + 7, 8 * k).asSigned())); // 10-bit signed
      return mux(sum.msb(), lit(0, 8), mux(sum.bit(8), lit(255, 8), sum.slice(7, 0)));
    }),
  );
  // Pixel-major: HR pixel k = {plane NP-1, ..., plane 0} at bits [8*NP*k + 8*NP - 1 : 8*NP*k].
  const pix = Array.from({ length: 9 }, (_, k) => cat(...outs.map((o) => o[k]).reverse()));
  cr.push(v2, cat(...pix.reverse()), last2, user2);
  return { module: m, latency: SKIP_ADD_LATENCY, flops: skipAddFlops(p) };
}
