// Start-up weight loading of a `weightSource: 'loaded'` conv_unit (README.md "Loaded weights"):
// the s_axis_w word stream (32-bit words in the stage layout of
// generators/designs/upscaler/weights_mem.ts: weights 4 per word, then bias, M, S, one clamp
// word) shifts into one register chain per section; words past this unit's share, up to the
// image's tlast, are passed on to m_axis_w so units can be daisy-chained. A load waits until no
// cell is in flight, and cells wait while a load is pending or running.
import { cat, lit, mux, type Expr, type Module } from '../../core/index.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const W_WORD_BITS = 32;
/** Weights per word (int8 lanes), as weights_mem.ts WEIGHTS_PER_WORD. */
export const W_PER_WORD = 4;
/** Flip-flops one shift-enable copy may drive. */
const SHIFT_LOADS_PER_COPY = 64;
/** Second-level enable copies one first-level copy drives (the enable net itself has no buffers). */
const SHIFT_COPIES_PER_COPY = 16;

export type LoadSection = 'weights' | 'bias' | 'M' | 'S' | 'clamp';

/** Word offsets of each section within one unit's share of the image (weights_mem.ts order). */
export function loadLayout(T: number, cout: number): { sections: Record<LoadSection, { base: number; words: number }>; words: number } {
  const sizes: [LoadSection, number][] = [['weights', Math.ceil((cout * T) / W_PER_WORD)], ['bias', cout], ['M', cout], ['S', cout], ['clamp', 1]];
  const sections = {} as Record<LoadSection, { base: number; words: number }>;
  let base = 0;
  for (const [n, w] of sizes) {
    sections[n] = { base, words: w };
    base += w;
  }
  return { sections, words: base };
}

/** Flip-flops of one unit's loaded table (the section chains below): 4 wBits-bit weights per
 *  weight word, a 24-bit bias, 15-bit M and 6-bit S per channel, one 16-bit clamp word. */
export function loadedTableBits(T: number, cout: number, wBits: number): number {
  const { sections } = loadLayout(T, cout);
  return sections.weights.words * W_PER_WORD * wBits + cout * (24 + 15 + 6) + 16;
}

/** The words of one unit's share (the same layout; for tests and the bench). */
export function loadWords(c: { T: number; cout: number; weights: readonly number[]; bias: readonly number[]; M: readonly number[]; S: readonly number[]; lo: number; hi: number }): number[] {
  const words: number[] = [];
  for (let i = 0; i < c.weights.length; i += W_PER_WORD) {
    let w = 0;
    for (let k = 0; k < W_PER_WORD && i + k < c.weights.length; k++) w |= (c.weights[i + k] & 0xff) << (8 * k);
    words.push(w >>> 0);
  }
  words.push(...c.bias.map((b) => b >>> 0), ...c.M.map((x) => x >>> 0), ...c.S.map((x) => x >>> 0), ((c.lo & 0xff) | ((c.hi & 0xff) << 8)) >>> 0);
  return words;
}

export interface LoadedTables {
  /** Weight i = co*T + t, wBits signed. */
  weight(i: number): Expr;
  /** B[co] + biasOffset (mod 2^accW), accW signed. */
  bias(co: number): Expr;
  M(co: number): Expr;
  /** S[co] - 1, 6 bits. */
  shift(co: number): Expr;
  lo: Expr;
  hi: Expr;
}

export interface LoaderOptions {
  T: number;
  cout: number;
  wBits: number;
  accW: number;
  /** Added to every bias at load (the partial products' sign offsets, README "Multipliers"). */
  biasOffset: number;
  /** accW-bit add (the unit's carry-select adder). */
  add: (a: Expr, b: Expr, w: number) => Expr;
  /** Registered copies of a control value (the unit's conv_unit_rep_* instances). */
  replicas: (name: string, next: Expr, count: number, reset: number | null) => Expr[];
}

/**
 * Declares s_axis_w, m_axis_w and w_loaded on `m` and builds the word counter and pass-through.
 * The caller gates its cell tready with `cellsAllowed` (next-state value) and then calls
 * `finish` with its next s_axis_tready and whether no cell will be in flight next cycle.
 */
export function weightLoader(m: Module, o: LoaderOptions) {
  const { sections, words: W } = loadLayout(o.T, o.cout);
  const s = streamIn(m, { width: W_WORD_BITS, user: false }, 's_axis_w');
  const mo = streamOut(m, { width: W_WORD_BITS, user: false }, 'm_axis_w');
  const loadedOut = m.output('w_loaded', 1, { doc: 'the weight table is complete (high from the cycle after its last shift)' });
  const cw = ceilLog2(W);
  const wRdy = m.regInit('w_ready_q', 1, 0, { doc: 's_axis_w_tready, computed from the next state' });
  const cnt = m.regInit('w_cnt', cw, 0, { doc: "words of this unit's share accepted in the current image" });
  const inPass = m.regInit('w_pass', 1, 0, { doc: "this unit's share is complete: pass words on until the image's tlast" });
  const loaded = m.regInit('w_loaded_r', 1, 0, { doc: 'the last word of the share was accepted (cleared by the first word of a reload)' });
  const wAcc = m.wire('w_accept', s.valid.and(wRdy));
  const own = m.wire('w_accept_own', wAcc.and(inPass.not()));
  const ownLast = m.wire('w_own_last', own.and(cnt.eq(W - 1)));
  const tlast = s.lastSig!;
  const cntN = m.wire('w_cnt_next', mux(own, mux(ownLast.or(tlast), lit(0, cw), cnt.add(1, cw)), cnt));
  const inPassN = m.wire('w_pass_next', mux(wAcc, mux(inPass, tlast.not(), ownLast.and(tlast.not())), inPass));
  const loadedN = m.wire('w_loaded_next', mux(own, mux(ownLast, lit(1, 1), mux(cnt.eq(0), lit(0, 1), loaded)), loaded));
  cnt.set(cntN);
  inPass.set(inPassN);
  loaded.set(loadedN);
  // The table is complete two cycles after the last word is accepted (its shift, below).
  const loadedQ = m.regInit('w_loaded_q', 1, 0);
  const loadedQ2 = m.regInit('w_loaded_q2', 1, 0);
  loadedQ.set(loaded);
  loadedQ2.set(loadedQ);
  loadedOut.set(loadedQ2);

  // Pass-through: one registered slot (half rate; start-up only).
  const passAcc = wAcc.and(inPass);
  const mvalid = m.regInit('mw_valid', 1, 0);
  const mdata = m.reg('mw_data', W_WORD_BITS, { reset: null });
  const mlast = m.reg('mw_last', 1, { reset: null });
  const mvalidN = m.wire('mw_valid_next', mux(passAcc, lit(1, 1), mux(mo.readySig!, lit(0, 1), mvalid)));
  mvalid.set(mvalidN);
  m.when(passAcc, () => {
    mdata.set(s.data);
    mlast.set(tlast);
  });
  mo.driveValid(mvalid);
  mo.driveData(mdata);
  mo.driveLast(mlast);

  // Sections: the word, registered twice, shifts one chain per section two cycles after its
  // accept, with a two-level tree of registered copies of the section's shift enable (each leaf
  // <= SHIFT_LOADS_PER_COPY flops, each inner copy <= SHIFT_COPIES_PER_COPY leaves).
  const wq0 = m.reg('w_q0', W_WORD_BITS, { reset: null });
  wq0.set(s.data);
  const wq = m.reg('w_q', W_WORD_BITS, { reset: null });
  wq.set(wq0);
  // Bits 0..23 carry the bias (accW = 24); above, only the top weight lane's wBits.
  if (8 * (W_PER_WORD - 1) + o.wBits < W_WORD_BITS) m.unused(wq.slice(W_WORD_BITS - 1, 8 * (W_PER_WORD - 1) + o.wBits), 'sign-extension bits of the int32 bias words and of the top int8 weight lane');
  const inSec = (n: LoadSection): Expr => {
    const { base, words } = sections[n];
    const ge = base === 0 ? lit(1, 1) : cnt.lt(base).not();
    const lt = base + words >= 2 ** cw ? lit(1, 1) : cnt.lt(base + words);
    return ge.and(lt);
  };
  const chain = (n: LoadSection, width: number, head: Expr): Expr[] => {
    const len = sections[n].words;
    const per = Math.max(1, Math.floor(SHIFT_LOADS_PER_COPY / width));
    const leaves = Math.ceil(len / per);
    const inner = o.replicas(`w_sh1_${n}`, m.wire(`w_sh_${n}_next`, own.and(inSec(n))), Math.ceil(leaves / SHIFT_COPIES_PER_COPY), 0);
    const en = inner.flatMap((q, g) => o.replicas(`w_sh2_${n}_${g}`, q, Math.min(SHIFT_COPIES_PER_COPY, leaves - g * SHIFT_COPIES_PER_COPY), 0));
    const regs = Array.from({ length: len }, (_, q) => m.reg(`w_${n}_${q}`, width, { reset: null }));
    regs.forEach((r, q) => m.when(en[Math.floor(q / per)], () => r.set(q === len - 1 ? head : regs[q + 1])));
    return regs;
  };
  const wW = o.wBits;
  const wt = chain('weights', W_PER_WORD * wW, cat(...Array.from({ length: W_PER_WORD }, (_, k) => wq.slice(8 * k + wW - 1, 8 * k)).reverse()));
  // Only the chain's end (word 0) has lanes nothing reads: the padding of a share of < 4 weights.
  for (let k = o.cout * o.T; k < W_PER_WORD && wt.length === 1; k++) m.unused(wt[0].slice(wW * k + wW - 1, wW * k), 'padding lane of the weight word');
  const bias = chain('bias', o.accW, o.add(wq.slice(o.accW - 1, 0).asSigned(), lit(o.biasOffset, o.accW, { signed: true }), o.accW).asUnsigned());
  const mul = chain('M', 15, wq.slice(14, 0));
  const sh = chain('S', 6, wq.slice(5, 0).sub(1, 6));
  const [clamp] = chain('clamp', 16, wq.slice(15, 0));

  const tables: LoadedTables = {
    weight: (i) => wt[Math.floor(i / W_PER_WORD)].slice(wW * (i % W_PER_WORD) + wW - 1, wW * (i % W_PER_WORD)).asSigned(),
    bias: (co) => bias[co].asSigned(),
    M: (co) => mul[co],
    shift: (co) => sh[co],
    lo: clamp.slice(7, 0).asSigned(),
    hi: clamp.slice(15, 8).asSigned(),
  };
  /** A word of a new share is waiting: the unit must stop taking cells. */
  const pending = m.wire('w_pending', s.valid.and(inPassN.not()).and(cntN.eq(0)));
  return {
    tables,
    words: W,
    /** Next-state condition for s_axis_tready: the table is complete and no new share waits.
     * (loaded as well as its next value: the first cell is accepted two cycles after the last
     * word, when every section has shifted, without counting on how late the pipeline reads the
     * bias, M, S and clamp words.) */
    cellsAllowed: m.wire('w_cells_ok', loadedN.and(loaded).and(pending.not())),
    /** Drive s_axis_w_tready: words of a new share only with no cell in flight or accepted. */
    finish(cellRdyN: Expr, idleN: Expr) {
      wRdy.set(mux(inPassN, mvalidN.not(), mux(cntN.eq(0), idleN.and(cellRdyN.not()), lit(1, 1))));
      s.driveReady(wRdy);
    },
  };
}
