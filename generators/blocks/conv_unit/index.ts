// conv_unit builder (README.md): the dot-product engine of one conv layer of the layer
// pipeline. cpar rows x P columns of int8 x s(wBits) products: each weight's radix-4 digits
// (digits.ts, a ROM of the step) select partial-product rows that one registered carry-save
// tree per row compresses (bit_heap.ts); a per-row accumulator and a pipelined requantiser; one
// grid cell per ceil(cout/cpar) * ceil(T/P) cycles. Weights, bias, M, S, LO, HI are elaboration
// constants, or (weightSource 'loaded') registers filled at start-up by loader.ts. The datapath is free-running (valid bits travel with
// the data); backpressure is an output FIFO whose entries are promised by credits at accept time.
import { bool, cat, defineParams, int, lit, MAX_WIDTH, Module, mux, oneOf, type Expr, type ParamSpec } from '../../core/index.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { accBounds, convUnitCycles, signedBitsFor, type ConvUnitConfig } from './model.ts';
import { bAnd, bitsVector, bNot, bOr, bXor, compressHeap, type Bit } from './bit_heap.ts';
import { digitSelects, radix4Digits } from './digits.ts';
import { weightLoader } from './loader.ts';

const identifier = (doc: string): ParamSpec<string> => ({
  allowed: 'a Verilog identifier',
  default: undefined,
  doc,
  check: (v) => (typeof v === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'must be a Verilog identifier (letters, digits, _; not starting with a digit)'),
});

// Constant tables are checked element by element in the cross checks below, so a bad value is
// reported with the layer name and its index instead of the whole list.
const intArray = (doc: string): ParamSpec<number[]> => ({
  allowed: 'a list of integers',
  default: undefined,
  doc,
  check: (v) => (Array.isArray(v) ? undefined : 'must be a list of integers'),
});

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** First index of `xs` failing `ok`, as a message; undefined when all pass. */
function firstBad(xs: readonly unknown[], ok: (v: unknown, i: number) => boolean, what: (i: number, v: unknown) => string): string | undefined {
  const i = xs.findIndex((v, j) => !ok(v, j));
  if (i < 0) return undefined;
  const more = xs.filter((v, j) => !ok(v, j)).length - 1;
  return `${what(i, xs[i])}${more > 0 ? ` (and ${more} more)` : ''}`;
}

/** Accumulators wider than this break docs/fixed-point.md 3 (the exporter guarantees acc_bits <= 24). */
export const MAX_ACC_BITS = 24;

export const convUnitParams = defineParams(
  'conv_unit',
  {
    name: identifier('module name (given by the caller: constants differ per layer)'),
    T: int({ min: 1, max: 2048, doc: 'operands per output (cin * k * k)' }),
    cout: int({ min: 1, max: 64, doc: 'output channels' }),
    cpar: int({ min: 1, max: 64, doc: 'output channels per cycle (rows), <= cout' }),
    P: int({ min: 1, max: 2048, doc: 'operands per cycle per row (columns), <= T' }),
    passBits: int({ min: 0, max: 2048, default: 0, doc: 'sideband bits carried from s_axis to m_axis above the channels' }),
    wBits: int({ min: 2, max: 12, default: 8, doc: 'weight bits (signed symmetric: |w| <= 2^(wBits-1)-1); above 8 only with baked weights (the wide X0 taps of a head_x0 head)' }),
    treeLevels: int({ min: 1, max: 3, default: 2, doc: 'tree register spacing: 2^treeLevels lanes per first-stage node, 2^(treeLevels+1) pairs per later node (1 = fastest, most flops)' }),
    weights: intArray('cout * T weights, layout [co][t]'),
    bias: intArray('cout biases, |B| < 2^23'),
    M: intArray('cout requant multipliers, 2^14 <= M < 2^15'),
    S: intArray('cout requant shifts, 1..46'),
    lo: { allowed: 'an integer', default: undefined, doc: 'clamp low (int8)', check: (v) => (isInt(v) ? undefined : 'must be an integer') } as ParamSpec<number>,
    hi: { allowed: 'an integer', default: undefined, doc: 'clamp high (int8), >= lo', check: (v) => (isInt(v) ? undefined : 'must be an integer') } as ParamSpec<number>,
    weightSource: oneOf(['baked', 'loaded'] as const, { default: 'baked', doc: "baked: the constants are elaboration literals; loaded: registers written at start-up through s_axis_w (the constant tables are then only validated, not built)" }),
    inputReg: bool({ default: true, doc: "true: the cell is copied into an input register at accept; false: the operands are read in place from s_axis_tdata, which the source holds (AXI4-Stream: stable while tvalid && !tready), and s_axis_tready rises in the cell's last step (baked weights only)" }),
    holdCycles: int({ min: 0, max: 4096, default: 0, doc: 'cycles the consumer may keep the output FIFO head before popping it (a consumer that reads its beat in place); adds FIFO entries so the rate holds' }),
    rqLanes: int({ min: 0, max: 64, default: 0, doc: "requantisers: 0 = one per row (cpar); fewer: the rows' finished accumulators are held and requantised rqLanes at a time over ceil(cpar/rqLanes) cycles (needs ceil(cpar/rqLanes) <= ceil(T/P))" }),
  },
  [
    (p) => (p.cpar <= p.cout ? undefined : `layer '${p.name}': cpar = ${p.cpar} exceeds cout = ${p.cout}`),
    (p) => (p.P <= p.T ? undefined : `layer '${p.name}': P = ${p.P} exceeds T = ${p.T}`),
    (p) => (p.rqLanes <= p.cpar ? undefined : `layer '${p.name}': rqLanes = ${p.rqLanes} exceeds cpar = ${p.cpar}`),
    (p) => (p.inputReg || p.weightSource !== 'loaded' ? undefined : `layer '${p.name}': inputReg = false is for baked weights only`),
    (p) => {
      const J = rqSteps(p);
      if (J === 1) return undefined;
      if (p.weightSource === 'loaded') return `layer '${p.name}': rqLanes = ${p.rqLanes} < cpar = ${p.cpar} is for baked weights only`;
      const OG = Math.ceil(p.T / p.P);
      return J <= OG ? undefined : `layer '${p.name}': rqLanes = ${p.rqLanes} needs ceil(cpar/rqLanes) = ${J} cycles per channel group, more than the ${OG} operand groups (ceil(T/P)) between finished accumulators; use rqLanes >= ${Math.ceil(p.cpar / OG)}`;
    },
    (p) => (8 * p.T + p.passBits <= MAX_WIDTH ? undefined : `layer '${p.name}': s_axis tdata T*8 + passBits = ${8 * p.T + p.passBits} bits exceeds the ${MAX_WIDTH}-bit bus limit`),
    (p) => (8 * p.cout + p.passBits + 2 <= MAX_WIDTH ? undefined : `layer '${p.name}': m_axis tdata cout*8 + passBits = ${8 * p.cout + p.passBits} bits (+2 FIFO sideband) exceeds the ${MAX_WIDTH}-bit bus limit`),
    (p) => {
      const bad = [['weights', p.weights, p.cout * p.T, 'cout * T'], ['bias', p.bias, p.cout, 'cout'], ['M', p.M, p.cout, 'cout'], ['S', p.S, p.cout, 'cout']] as const;
      const msgs = bad.filter(([, xs, n]) => xs.length !== n).map(([k, xs, n, f]) => `${k} has ${xs.length} entries, expected ${f} = ${n}`);
      return msgs.length ? `layer '${p.name}': ${msgs.join('; ')}` : undefined;
    },
    (p) => {
      const wmax = 2 ** (p.wBits - 1) - 1;
      return firstBad(p.weights, (v) => isInt(v) && Math.abs(v) <= wmax, (i, v) => `layer '${p.name}': weights[${i}] (co ${Math.floor(i / p.T)}, t ${i % p.T}) = ${v} is not an integer in [-${wmax}, ${wmax}] (wBits = ${p.wBits})`);
    },
    (p) => firstBad(p.bias, (v) => isInt(v) && Math.abs(v) < 2 ** 23, (i, v) => `layer '${p.name}': bias[${i}] = ${v} is not an integer with |B| < 2^23`),
    (p) => firstBad(p.M, (v) => isInt(v) && v >= 2 ** 14 && v < 2 ** 15, (i, v) => `layer '${p.name}': M[${i}] = ${v} is not an integer in [2^14, 2^15)`),
    (p) => firstBad(p.S, (v) => isInt(v) && v >= 1 && v <= 46, (i, v) => `layer '${p.name}': S[${i}] = ${v} is not an integer in [1, 46]`),
    (p) => (p.lo >= -128 && p.hi <= 127 && p.lo <= p.hi ? undefined : `layer '${p.name}': lo = ${p.lo}, hi = ${p.hi}: need -128 <= lo <= hi <= 127`),
    (p) => {
      // Only meaningful once the tables have the right lengths and integer entries.
      if (p.weights.length !== p.cout * p.T || p.bias.length !== p.cout || !p.weights.every(isInt) || !p.bias.every(isInt)) return undefined;
      const b = accBounds(p);
      const co = b.indexOf(Math.max(...b));
      const bits = signedBitsFor(b[co]);
      return bits <= MAX_ACC_BITS ? undefined : `layer '${p.name}': accumulator needs ${bits} bits (channel ${co}: 128*sum|w| + |B| = ${b[co]}), more than ${MAX_ACC_BITS} (docs/fixed-point.md 3)`;
    },
    (p) => (p.weightSource !== 'loaded' || p.wBits <= 8 ? undefined : `layer '${p.name}': loaded weights are int8 lanes of the load words (loader.ts); wBits = ${p.wBits} needs weightSource 'baked'`),
    (p) => {
      // Loaded weights can be anything in range: the products alone must fit the 24-bit accumulator.
      if (p.weightSource !== 'loaded') return undefined;
      const worst = 128 * p.T * (2 ** (p.wBits - 1) - 1);
      const bits = signedBitsFor(worst);
      return bits <= MAX_ACC_BITS ? undefined : `layer '${p.name}': loaded weights: the worst-case sum 128*T*(2^(wBits-1)-1) = 128*${p.T}*${2 ** (p.wBits - 1) - 1} = ${worst} needs ${bits} bits, more than the ${MAX_ACC_BITS}-bit accumulator (docs/fixed-point.md 3)`;
    },
  ],
);

export type ConvUnitParams = ReturnType<typeof convUnitParams.validate>;

/** Requantiser steps per channel group: ceil(cpar / rqLanes), 1 with a requantiser per row. */
export function rqSteps(p: { cpar: number; rqLanes?: number }): number {
  const R = p.rqLanes || p.cpar;
  return R >= p.cpar ? 1 : Math.ceil(p.cpar / R);
}

/** The fewest requantisers that keep up: ceil(cpar / ceil(T/P)) (the rows finish once per ceil(T/P) cycles). */
export function minRqLanes(p: Pick<ConvUnitParams, 'T' | 'cpar' | 'P'>): number {
  return Math.ceil(p.cpar / Math.ceil(p.T / p.P));
}

export interface ConvUnitInfo {
  module: Module;
  /** Cycles per cell at the sustained rate. */
  cycles: number;
  /** Cycles from an accepted s_axis beat to its m_axis_tvalid (no stalls). */
  latency: number;
  accBits: number;
  /** Output FIFO entries (= cells in flight the credits allow). */
  fifoDepth: number;
  /** Register stages of the adder tree. */
  treeStages: number;
}

/** Bits of M per requant partial product (15-bit M: 5 slices, a 3-level sum tree). */
const RQ_SLICE_BITS = 3;
/** Requantiser register stages: partial products, the sum tree, shift, round+saturate, clamp. */
const RQ_SUM_LEVELS = Math.ceil(Math.log2(Math.ceil(15 / RQ_SLICE_BITS)));
const REQUANT_STAGES = 1 + RQ_SUM_LEVELS + 3;
/** Loads one replicated control register may drive (input-register load enables, step copies). */
const CELL_CHUNK_BITS = 64;
const OPND_COLS_PER_COPY = 8;
/** Lanes whose digit-select ROMs share one step copy (each lane: up to 3 selects per digit). */
const ROM_LANES_PER_COPY = 4;

/**
 * Register stages of the carry-save multiply-add tree: the first compresses the partial products
 * of 2^treeLevels lanes, each later one the pairs of 2^(treeLevels+1) nodes. From P, not from the
 * non-zero lanes, so the latency does not depend on the constants.
 */
export function convUnitTreeStages(P: number, treeLevels = 2): number {
  let n = Math.ceil(P / 2 ** treeLevels), stages = 1;
  for (; n > 1; stages++) n = Math.ceil(n / 2 ** (treeLevels + 1));
  return stages;
}

/**
 * Accept -> m_axis_tvalid: N issue cycles, the operand register (only with several operand
 * groups), tree stages, accumulator, with shared requantisers the select register and the
 * further ceil(cpar/rqLanes) - 1 steps, requantiser, FIFO write.
 */
export function convUnitLatency(p: Pick<ConvUnitParams, 'T' | 'cout' | 'cpar' | 'P'> & { treeLevels?: number; rqLanes?: number; inputReg?: boolean }): number {
  const operandReg = Math.ceil(p.T / p.P) > 1 ? 1 : 0;
  const J = rqSteps(p);
  // In place (inputReg false) the cell is accepted in its last step, N - 1 cycles after its first,
  // and its first step is the cycle the input register would have been loaded: N cycles less.
  const issue = p.inputReg === false ? 0 : convUnitCycles(p);
  return issue + operandReg + convUnitTreeStages(p.P, p.treeLevels) + 1 + (J > 1 ? J : 0) + REQUANT_STAGES + 1;
}

/** FIFO entries for the full rate: a credit comes back the cycle after its cell pops. */
export function convUnitFifoDepth(p: Pick<ConvUnitParams, 'T' | 'cout' | 'cpar' | 'P'> & { treeLevels?: number; rqLanes?: number; inputReg?: boolean; holdCycles?: number }): number {
  // In place, a cell needs its entry from its first step (N - 1 cycles before its accept) and the
  // credit check reads the counter itself, not its next value: ceil instead of floor. An entry
  // lives `holdCycles` longer when the consumer keeps the head that long before popping it.
  const L = convUnitLatency(p) + (p.holdCycles ?? 0), N = convUnitCycles(p);
  return Math.max(2, (p.inputReg === false ? Math.ceil(L / N) : Math.floor(L / N)) + 1);
}

/**
 * A register in its own module, so that copies of one control value are kept apart by
 * synthesis (opt_merge would fold identical flops of one module into one high-fanout net).
 */
function replicaModule(width: number, reset: number | null): Module {
  const m = new Module(`conv_unit_rep_w${width}${reset === null ? '' : `_r${reset}`}`, {
    params: { block: 'conv_unit_rep', width, reset },
    doc: 'one register: a local copy of a control value for a bounded fanout',
  });
  const d = m.input('d', width);
  const q = m.output('q', width);
  const r = m.reg('r', width, { reset });
  r.set(d);
  q.set(r);
  return m;
}

/** Balanced mux tree over the bits of `idx` (MSB first); equal constant subtrees fold. The
 * index bits it reads are added to `used`. */
function muxTree(idx: Expr, leaves: (Expr | number)[], width: number, signed: boolean, used?: Set<number>): Expr {
  const bits = ceilLog2(leaves.length);
  const rec = (lo: number, level: number): Expr | number => {
    if (level < 0) return leaves[lo] ?? 0;
    const half = 2 ** level;
    const a = rec(lo, level - 1);
    const b = lo + half < leaves.length ? rec(lo + half, level - 1) : a;
    if (typeof a === 'number' && typeof b === 'number' && a === b) return a;
    if (a === b) return a;
    const ex = (v: Expr | number) => (typeof v === 'number' ? lit(v, width, { signed }) : v);
    used?.add(level);
    return mux(idx.bit(level), ex(b), ex(a));
  };
  const r = rec(0, bits - 1);
  return typeof r === 'number' ? lit(r, width, { signed }) : r;
}

/** Bits of one ripple segment of the carry-select adders. */
const ADD_CHUNK_BITS = 6;

/**
 * a + b modulo 2^w (signed), as a carry-select adder: ADD_CHUNK_BITS-bit segments each computed
 * for carry-in 0 and 1, the carry choosing between them. In this flow Yosys/ABC map a plain add
 * to a ripple chain of maj3 cells (~0.39 ns per bit at tt): 18-22-bit tree and accumulator adds
 * took 5.7-6.2 ns, more than the 5.56 ns clock.
 */
function fastAdd(a: Expr, b: Expr, w: number): Expr {
  if (w <= ADD_CHUNK_BITS + 2) return a.add(b, w);
  const x = a.resize(w).asUnsigned(), y = b.resize(w).asUnsigned();
  const parts: Expr[] = [];
  let carry: Expr | undefined;
  for (let lo = 0; lo < w; lo += ADD_CHUNK_BITS) {
    const hi = Math.min(w, lo + ADD_CHUNK_BITS) - 1, n = hi - lo + 1, top = hi === w - 1;
    const xs = x.slice(hi, lo), ys = y.slice(hi, lo);
    // The top segment needs no carry out.
    const s0 = top ? xs.add(ys, n) : xs.add(ys);
    if (!carry) {
      parts.push(s0.slice(n - 1, 0));
      carry = s0.bit(n);
      continue;
    }
    // (2x+1) + (2y+1) = 2(x+y+1): the segment with carry-in 1 in one add.
    const s1 = cat(xs, lit(1, 1)).add(cat(ys, lit(1, 1)), top ? n + 1 : n + 2).slice(top ? n : n + 1, 1);
    const sel = mux(carry, s1, s0);
    parts.push(top ? sel : sel.slice(n - 1, 0));
    if (!top) carry = sel.bit(n);
  }
  return cat(...parts.reverse()).asSigned();
}

/** Sum of several values modulo 2^w (signed): 3:2 carry-save compressors, then one fastAdd. */
function csaSum(xs: Expr[], w: number): Expr {
  let ops = xs.map((x) => x.resize(w).asUnsigned());
  while (ops.length > 2) {
    const next: Expr[] = [];
    let i = 0;
    for (; i + 3 <= ops.length; i += 3) {
      const [a, b, c] = ops.slice(i, i + 3);
      next.push(a.xor(b).xor(c));
      const maj = a.and(b).or(a.and(c)).or(b.and(c));
      next.push(cat(maj.slice(w - 2, 0), lit(0, 1)));
    }
    ops = [...next, ...ops.slice(i)];
  }
  return ops.length === 1 ? ops[0].asSigned() : fastAdd(ops[0].asSigned(), ops[1].asSigned(), w);
}

export function buildConvUnit(config: ConvUnitConfig | Partial<ConvUnitParams> | Record<string, unknown>): ConvUnitInfo {
  const p = convUnitParams.validate(config as Record<string, unknown>);
  const { T, cout, cpar, P, passBits: PB, wBits: wW } = p;
  const CG = Math.ceil(cout / cpar);
  const OG = Math.ceil(T / P);
  const N = CG * OG;
  const loaded = p.weightSource === 'loaded';
  const inPlace = !p.inputReg;
  // Loaded: the full 24 bits (docs/fixed-point.md 3 guarantees every real accumulator fits, so
  // arithmetic modulo 2^24 is exact); baked: what the constants need.
  const accW = loaded ? MAX_ACC_BITS : Math.max(...accBounds(p).map(signedBitsFor));
  const TR = convUnitTreeStages(P, p.treeLevels);
  // Shared requantisers: R lanes, J steps per channel group (J = 1: one requantiser per row).
  const J = rqSteps(p);
  const R = J > 1 ? p.rqLanes : cpar;
  const subW = J > 1 ? ceilLog2(J) : 0;
  const latency = convUnitLatency(p);
  const D = convUnitFifoDepth(p);
  const m = new Module(p.name, {
    // (baked: the header stays as it was before weightSource existed)
    // (rqLanes only when it shares requantisers, so the one-per-row Verilog is unchanged too)
    params: Object.fromEntries(Object.entries({ block: 'conv_unit', ...p }).filter(([k]) => (k !== 'weightSource' || loaded) && (k !== 'rqLanes' || J > 1) && (k !== 'inputReg' || inPlace) && (k !== 'holdCycles' || p.holdCycles > 0))),
    doc: `conv unit '${p.name}': ${cout} x ${T} int8 x s${wW} dot products, ${cpar} rows x ${P} columns, ${N} cycles/cell, acc ${accW} bits, latency ${latency}`,
  });
  const s = streamIn(m, { width: 8 * T + PB });
  const o = streamOut(m, { width: 8 * cout + PB });

  const sW = ceilLog2(N), ogW = ceilLog2(OG), cgW = ceilLog2(CG);
  const cb = ceilLog2(D + 1);
  const replicas = (name: string, next: Expr, count: number, reset: number | null): Expr[] => {
    const def = replicaModule(next.width, reset);
    return Array.from({ length: count }, (_, k) => m.instantiate(`u_${name}_${k}`, def, { d: next }).out('q'));
  };

  // ---- control: step counters, credits, registered s_axis_tready ------------------------------
  const credits = m.regInit('credits', cb, D, { doc: 'output FIFO entries not promised to an accepted cell' });
  // In place, the cell's N steps run while it waits on s_axis; it is accepted in the last one, so
  // s_axis_tready starts low (N = 1: every step is the last one).
  const rdy = m.regInit('s_ready_q', 1, loaded || (inPlace && N > 1) ? 0 : 1, { doc: inPlace ? "s_axis_tready: the next cycle is the cell's last step" : 's_axis_tready, computed from the next state' });
  // In place: `run` = between a cell's first and last step; a step runs while s_axis_tvalid is
  // high and either a cell is running or an output FIFO entry is free for a new one.
  const run = inPlace && N > 1 ? m.regInit('run', 1, 0, { doc: "a cell on s_axis is past its first step" }) : undefined;
  const busy = inPlace
    ? m.wire('busy', run ? s.valid.and(run.or(credits.ne(0))) : s.valid.and(rdy))
    : m.regInit('busy', 1, 0, { doc: 'a cell is being stepped through its N (channel group, operand group) steps' });
  const step = sW ? m.regInit('step', sW, 0) : undefined;
  const og = ogW ? m.regInit('og', ogW, 0, { doc: 'operand group of the step' }) : undefined;
  const cg = cgW ? m.regInit('cg', cgW, 0, { doc: 'channel group of the step' }) : undefined;
  const isLast = (st: Expr | undefined): Expr => (st ? st.eq(N - 1) : lit(1, 1));
  const lastStep = m.wire('last_step', busy.and(isLast(step)));
  const accept = m.wire('accept', s.valid.and(rdy));
  const adv = m.wire('adv', busy.and(lastStep.not()));
  if (inPlace && N === 1) m.unused(adv, 'N = 1 in place: every step is the last, no counters');
  const ogWrap = og ? og.eq(OG - 1) : lit(1, 1);
  // Registered: the counters restart at accept (the next cell's steps follow). In place: at
  // the last step, and they stand still while no cell is on s_axis.
  const restart = inPlace ? lastStep : accept;
  const busyN = inPlace ? undefined : m.wire('busy_next', accept.or(adv));
  const stepN = step ? m.wire('step_next', mux(restart, lit(0, sW), mux(adv, step.add(1, sW), step))) : undefined;
  const ogN = og ? m.wire('og_next', mux(restart, lit(0, ogW), mux(adv, mux(ogWrap, lit(0, ogW), og.add(1, ogW)), og))) : undefined;
  const cgN = cg ? m.wire('cg_next', mux(restart, lit(0, cgW), mux(adv.and(ogWrap), cg.add(1, cgW), cg))) : undefined;
  const mValid = m.wire('m_valid', 1); // driven below, once the FIFO exists
  const pop = m.wire('pop', mValid.and(o.readySig!));
  const creditsN = m.wire('credits_next', mux(accept.and(pop.not()), credits.sub(1, cb), mux(pop.and(accept.not()), credits.add(1, cb), credits)));
  // Loaded: the digit selects' sign offsets are known from the shape (every lane has all
  // ceil(wBits/2) digit rows), so the loader adds OG * konst to each bias as it arrives.
  const nDigits = Math.ceil(wW / 2);
  const konstLoaded = -P * Array.from({ length: nDigits }, (_, i) => 2 ** (8 + 2 * i)).reduce((a, b) => a + b, 0);
  const wrapAcc = (v: number) => {
    const u = ((v % 2 ** accW) + 2 ** accW) % 2 ** accW;
    return u >= 2 ** (accW - 1) ? u - 2 ** accW : u;
  };
  const cellDone = loaded ? m.wire('cell_done', 1) : undefined; // = fifo_wen, driven below
  const loader = loaded ? weightLoader(m, { T, cout, wBits: wW, accW, biasOffset: wrapAcc(OG * konstLoaded), add: fastAdd, replicas }) : undefined;
  const runN = run ? m.wire('run_next', adv) : undefined;
  const rdyBase = inPlace ? (runN ? runN.and(isLast(stepN)) : creditsN.ne(0)) : busyN!.not().or(busyN!.and(isLast(stepN))).and(creditsN.ne(0));
  const rdyN = m.wire('s_ready_next', loader ? rdyBase.and(loader.cellsAllowed) : rdyBase);
  if (loader) {
    // Cells accepted and not yet written to the FIFO: a load waits for none.
    const inflight = m.regInit('cells_in_flight', cb, 0);
    const inflightN = m.wire('cells_in_flight_next', mux(accept.and(cellDone!.not()), inflight.add(1, cb), mux(cellDone!.and(accept.not()), inflight.sub(1, cb), inflight)));
    inflight.set(inflightN);
    loader.finish(rdyN, inflightN.eq(0));
  }
  if (!inPlace) (busy as ReturnType<Module['regInit']>).set(busyN!);
  if (run) run.set(runN!);
  credits.set(creditsN);
  rdy.set(rdyN);
  if (step) step.set(stepN!);
  if (og) og.set(ogN!);
  if (cg) cg.set(cgN!);
  s.driveReady(rdy);

  // ---- input register: the cell is held for its N steps (N = 1: free-running capture); in
  // place, s_axis_tdata itself --------------------------------------------------------------------
  const chunks: Expr[] = [];
  const nChunks = inPlace ? 0 : Math.ceil((8 * T) / CELL_CHUNK_BITS);
  const rdyCopies = N > 1 && !inPlace ? replicas('rdy', rdyN, nChunks, 1) : [];
  for (let k = 0; k < nChunks; k++) {
    const lo = k * CELL_CHUNK_BITS, hi = Math.min(8 * T, lo + CELL_CHUNK_BITS) - 1;
    const q = m.reg(`cell_q_${k}`, hi - lo + 1, { reset: null });
    if (N > 1) m.when(s.valid.and(rdyCopies[k]), () => q.set(s.data.slice(hi, lo)));
    else q.set(s.data.slice(hi, lo));
    chunks.push(q);
  }
  const operand = (t: number): Expr => {
    if (inPlace) return s.data.slice(8 * t + 7, 8 * t).asSigned();
    const k = Math.floor((8 * t) / CELL_CHUNK_BITS), off = 8 * t - k * CELL_CHUNK_BITS;
    return chunks[k].slice(off + 7, off).asSigned();
  };

  // ---- sideband of each pipeline stage: valid, first/last operand group, channel group --------
  interface Side {
    v: Expr;
    first: Expr;
    last: Expr;
    cg: Expr | undefined;
    /** Requantiser step within the channel group (shared requantisers only). */
    sub?: Expr;
  }
  const one = lit(1, 1);
  const side: Side[] = [{ v: busy, first: og ? og.eq(0) : one, last: ogWrap, cg }];
  const nextSide = (tag: string, prev: Side, keepFirstLast = true): Side => {
    const v = m.regInit(`v_${tag}`, 1, 0);
    v.set(prev.v);
    const reg1 = (name: string, x: Expr): Expr => {
      if (OG === 1) return one;
      const r = m.reg(`${name}_${tag}`, 1, { reset: null });
      r.set(x);
      return r;
    };
    const first = keepFirstLast ? reg1('first', prev.first) : one;
    const last = keepFirstLast ? reg1('last', prev.last) : one;
    let c: Expr | undefined;
    if (prev.cg) {
      const r = m.reg(`cg_${tag}`, cgW, { reset: null });
      r.set(prev.cg);
      c = r;
    }
    let sub: Expr | undefined;
    if (prev.sub) {
      const r = m.reg(`sub_${tag}`, subW, { reset: null });
      r.set(prev.sub);
      sub = r;
    }
    return { v, first, last, cg: c, sub };
  };
  /** A per-(row, channel group) constant, registered in step with stage `k` (or a literal when it never changes). */
  const groupRom = (name: string, k: number, values: (number | Expr)[], width: number, signed: boolean): Expr => {
    if (values.every((x) => x === values[0]) && typeof values[0] === 'number') return lit(values[0], width, { signed });
    const r = m.reg(name, width, { reset: null, signed });
    r.set(muxTree(side[k - 1].cg!, values, width, signed));
    return r;
  };
  /** A per-(lane, channel group, requantiser step) constant (values[g][j]), registered from the
   * index of the previous stage (`at`: its cg and sub), or a literal when it never changes. */
  const laneRom = (name: string, at: { cg?: Expr; sub?: Expr }, values: number[][], width: number, signed: boolean): Expr => {
    const flat = values.flat();
    if (flat.every((x) => x === flat[0])) return lit(flat[0], width, { signed });
    const leaves: number[] = [];
    values.forEach((vs, g) => vs.forEach((v, j) => (leaves[g * 2 ** subW + j] = v)));
    const idx = at.cg && at.sub ? cat(at.cg, at.sub) : (at.sub ?? at.cg)!;
    const r = m.reg(name, width, { reset: null, signed });
    r.set(muxTree(idx, Array.from({ length: CG * 2 ** subW }, (_, i) => leaves[i] ?? leaves[i - (i % 2 ** subW)]), width, signed));
    return r;
  };

  // ---- operands: the input register itself (OG = 1: the cell is held for its N steps), or a
  // register fed by a mux over the operand groups (OG > 1) ---------------------------------------
  const ogCopies = og ? replicas('og', ogN!, Math.ceil(P / OPND_COLS_PER_COPY), null) : [];
  const opnd: Expr[] = [];
  for (let c = 0; c < P; c++) {
    if (OG === 1) {
      opnd.push(operand(c));
      continue;
    }
    const r = m.reg(`opnd_${c}`, 8, { reset: null, signed: true });
    const leaves = Array.from({ length: OG }, (_, g) => (g * P + c < T ? operand(g * P + c) : 0));
    r.set(muxTree(ogCopies[Math.floor(c / OPND_COLS_PER_COPY)], leaves, 8, true));
    opnd.push(r);
  }
  if (OG > 1) side.push(nextSide('s1', side[0]));
  const P0 = side.length - 1; // stage whose operands the partial products read

  // ---- partial products: each weight's radix-4 digits (digits.ts) select 0, x or 2x, negated
  // by one's complement plus a +1 bit; the digit selects are a ROM of the step, not registered --
  const weightAt = (r: number, c: number, st: number): number => {
    const g = Math.floor(st / OG), ogi = st % OG;
    const co = g * cpar + r, t = ogi * P + c;
    return co < cout && t < T ? p.weights[co * T + t] : 0;
  };
  const tables: number[][][] = loaded ? [] : Array.from({ length: cpar }, (_, r) => Array.from({ length: P }, (_, c) => Array.from({ length: N }, (_, st) => weightAt(r, c, st))));
  /** Per lane, the digit positions that are non-zero in some step, with that digit per step. */
  const digitRows = tables.map((row) =>
    row.map((tb) => {
      const ds = tb.map(radix4Digits);
      const n = Math.max(0, ...ds.map((d) => d.length));
      return Array.from({ length: n }, (_, i) => ({ i, vals: ds.map((d) => d[i] ?? 0) })).filter((x) => x.vals.some((v) => v !== 0));
    }),
  );
  const varying = digitRows.flat().filter((rows) => rows.some((x) => x.vals.some((v) => v !== x.vals[0]))).length;
  // The selects read the step in the operands' stage: a copy of step_next registered (= step) for
  // OG = 1, a copy of step registered (step one cycle late) behind the operand register.
  // Loaded: every lane muxes wBits-bit registers over the N steps (N/2 muxes per weight bit on
  // step bit 0), so a copy serves as many lanes as keep that at <= 64 loads (at least one).
  const lanesPerCopy = loaded ? Math.max(1, Math.floor(64 / (Math.ceil(N / 2) * wW))) : ROM_LANES_PER_COPY;
  const stepLanes = loaded ? cpar * P : varying;
  const stepCopies = step && stepLanes ? replicas('step', OG > 1 ? step : stepN!, Math.ceil(stepLanes / lanesPerCopy), null) : [];
  const stepUsed = stepCopies.map(() => new Set<number>());
  let romIdx = 0;
  /** Loaded: the lane's weight, a mux of the table registers over the step, Booth-recoded in
   * logic into all ceil(wBits/2) digits (bits 2i+1, 2i, 2i-1: one = |d| = 1, two = |d| = 2, neg =
   * the top bit); the same digit sum as radix4Digits, for every wBits-bit value. */
  const loadedRows = (r: number, c: number): { i: number; vals: number[]; sel?: Record<'one' | 'two' | 'neg', Bit> }[] => {
    const lane = r * P + c, copy = Math.floor(lane / lanesPerCopy);
    const leaves = Array.from({ length: N }, (_, st) => {
      const g = Math.floor(st / OG), ogi = st % OG, co = g * cpar + r, t = ogi * P + c;
      return co < cout && t < T ? loader!.tables.weight(co * T + t) : 0;
    });
    const w = m.wire(`wl_${r}_${c}`, muxTree(stepCopies[copy] ?? lit(0, 1), leaves, wW, true, stepUsed[copy]));
    const b = (j: number): Bit => (j < 0 ? 0 : w.bit(Math.min(j, wW - 1)));
    const named = (e: Bit, tag: string): Bit => (typeof e === 'number' ? e : m.wire(`bd_${r}_${c}_${tag}`, e));
    return Array.from({ length: nDigits }, (_, i) => {
      const [hi, mid, lo] = [b(2 * i + 1), b(2 * i), b(2 * i - 1)];
      const one = named(bXor(mid, lo), `${i}_one`);
      const two = named(bOr(bAnd(hi, bAnd(bNot(mid), bNot(lo))), bAnd(bNot(hi), bAnd(mid, lo))), `${i}_two`);
      // vals only mark the row as present and varying (romIdx is not used when loaded)
      return { i, vals: [0, 1], sel: { one, two, neg: hi } };
    });
  };
  /** Unsigned partial-product bits of each (row, lane), by column; `konst` collects, per row,
   * the constant bits and the sign-extension offsets: sum_t W * x = sum(bits) + konst. */
  const laneHeaps: { cols: Bit[][]; max: number }[][] = [];
  const konst: number[] = [];
  for (let r = 0; r < cpar; r++) {
    let k = 0;
    const lanes: { cols: Bit[][]; max: number }[] = [];
    for (let c = 0; c < P; c++) {
      const rows: { i: number; vals: number[]; sel?: Record<'one' | 'two' | 'neg', Bit> }[] = loaded ? loadedRows(r, c) : digitRows[r][c];
      if (!rows.length) continue;
      const vary = rows.some((x) => x.vals.some((v) => v !== x.vals[0]));
      const copy = vary ? Math.floor(romIdx++ / ROM_LANES_PER_COPY) : 0;
      const idx = stepCopies[copy];
      const sel = (vals: number[], what: 'one' | 'two' | 'neg', i: number): Bit => {
        if (loaded) return rows[i].sel![what];
        const bits = vals.map((d) => digitSelects(d)[what]);
        return bits.every((b) => b === bits[0]) ? bits[0] : m.wire(`bd_${r}_${c}_${i}_${what}`, muxTree(idx, bits, 1, false, stepUsed[copy]));
      };
      const x = (j: number): Bit => (j < 0 ? 0 : opnd[c].bit(Math.min(j, 7)));
      const cols: Bit[][] = [];
      const put = (col: number, b: Bit) => {
        if (b === 1) k += 2 ** col;
        else if (b !== 0) (cols[col] ??= []).push(b);
      };
      for (const { i, vals } of rows) {
        const [one, two, neg] = (['one', 'two', 'neg'] as const).map((w) => sel(vals, w, i));
        // Row = (|d| * x, 9 bits signed) xor neg; its value is (low 8 bits) + 2^8 * ~sign - 2^8,
        // and d * x = row + neg. The -2^8 goes to konst (the usual sign-extension constant).
        const bits = Array.from({ length: 9 }, (_, j) => bXor(bOr(bAnd(one, x(j)), bAnd(two, x(j - 1))), neg));
        bits[8] = bNot(bits[8]);
        // Bit 0 is the constant neg when |d| is never 1; the others vary with x.
        const lo = bits.findIndex((b) => typeof b !== 'number');
        const vector = m.wire(`pp_${r}_${c}_${i}`, bitsVector(bits, lo, 8));
        bits.forEach((b, j) => put(2 * i + j, typeof b === 'number' ? b : vector.bit(j - lo)));
        put(2 * i, neg);
        k -= 2 ** (8 + 2 * i);
      }
      lanes.push({ cols, max: cols.reduce((a, col, j) => a + (col?.length ?? 0) * 2 ** j, 0) });
    }
    laneHeaps.push(lanes);
    konst.push(k);
  }
  // Digit tables that ignore a step bit (e.g. weights that change only with the channel group)
  stepCopies.forEach((q, k) => {
    for (let b = 0; b < sW; b++) if (!stepUsed[k].has(b)) m.unused(q.bit(b), 'no digit table of these lanes depends on this step bit');
  });
  opnd.forEach((x, c) => {
    // (an input-register operand is a signed view of a slice: name the bits themselves)
    if (!loaded && digitRows.every((row) => !row[c].length)) m.unused(OG === 1 ? x.slice(7, 0) : x, `column ${c} only ever multiplies zero weights`);
  });

  // ---- multiply-add tree in carry-save form: stage 1 compresses the partial products of groups
  // of 2^treeLevels lanes, later stages the pairs of groups of 2^(treeLevels+1) nodes. Node
  // values are unsigned bit sums (the offsets wait in konst), so a node of maximum `max` is exact
  // in bits(max) bits; capped at accW, where everything is modulo 2^accW anyway ---------------
  const unsignedBits = (max: number) => Math.max(1, Math.ceil(Math.log2(max + 1)));
  type Node = { rows: { e: Expr; lo: number }[]; max: number };
  const register = (name: string, bits: Bit[]): { e: Expr; lo: number }[] => {
    const live = bits.map((b, j) => (b === 0 ? -1 : j)).filter((j) => j >= 0);
    if (!live.length) return [];
    const lo = live[0], hi = live[live.length - 1];
    const q = m.reg(name, hi - lo + 1, { reset: null });
    q.set(bitsVector(bits, lo, hi));
    return [{ e: q, lo }];
  };
  const rowBits = (x: { e: Expr; lo: number } | undefined, w: number): Bit[] => Array.from({ length: w }, (_, j) => (x && j >= x.lo && j - x.lo < x.e.width ? x.e.bit(j - x.lo) : 0));
  const heapOf = (nodes: Node[], w: number): Bit[][] => {
    const cols: Bit[][] = Array.from({ length: w }, () => []);
    for (const n of nodes) for (const { e, lo } of n.rows) for (let j = 0; j < e.width && lo + j < w; j++) cols[lo + j].push(e.bit(j));
    return cols;
  };
  let cur: Node[][] = laneHeaps.map((lanes, r) => {
    const g = 2 ** p.treeLevels;
    const out: Node[] = [];
    for (let i = 0; i < lanes.length; i += g) {
      const grp = lanes.slice(i, i + g);
      const max = grp.reduce((a, l) => a + l.max, 0);
      const w = Math.min(unsignedBits(max), accW);
      const cols: Bit[][] = Array.from({ length: w }, () => []);
      grp.forEach((l) => l.cols.forEach((col, j) => j < w && col && cols[j].push(...col)));
      const [a, b] = compressHeap(m, `h_${r}_s1_${i / g}`, cols, w);
      out.push({ rows: [...register(`sum_${r}_s1_${i / g}`, a), ...register(`carry_${r}_s1_${i / g}`, b)], max });
    }
    return out;
  });
  side.push(nextSide('t1', side[P0]));
  for (let st = 2; st <= TR; st++) {
    const g = 2 ** (p.treeLevels + 1);
    cur = cur.map((nodes, r) => {
      const out: Node[] = [];
      for (let i = 0; i < nodes.length; i += g) {
        const grp = nodes.slice(i, i + g);
        const max = grp.reduce((a, n) => a + n.max, 0);
        const w = Math.min(unsignedBits(max), accW);
        const [a, b] = grp.length === 1 ? [grp[0].rows[0], grp[0].rows[1]].map((x) => rowBits(x, w)) : compressHeap(m, `h_${r}_s${st}_${i / g}`, heapOf(grp, w), w);
        out.push({ rows: [...register(`sum_${r}_s${st}_${i / g}`, a), ...register(`carry_${r}_s${st}_${i / g}`, b)], max });
      }
      return out;
    });
    side.push(nextSide(`t${st}`, side[side.length - 1]));
  }
  const X = side.length - 1; // stage holding each row's carry-save pair

  // ---- accumulator: (first ? B + OG * konst : acc) + the pair, one carry-save level and a
  // carry-select add (B and the offsets of the OG tree sums of a channel are one constant) -----
  const accs: Expr[] = [];
  const sA = nextSide('acc', { ...side[X], v: side[X].v.and(side[X].last) }, false);
  side.push(sA);
  const A = side.length - 1;
  const wrap = wrapAcc;
  // The loader added OG * konstLoaded to every bias: the offsets built must be exactly those.
  if (loaded && konst.some((k) => k !== konstLoaded)) throw new Error(`conv_unit '${p.name}': loaded sign offsets ${konst} differ from ${konstLoaded}`);
  for (let r = 0; r < cpar; r++) {
    const acc = m.reg(`acc_${r}`, accW, { reset: null, signed: true });
    const vals: (number | Expr)[] = Array.from({ length: CG }, (_, g) =>
      loaded ? (g * cpar + r < cout ? loader!.tables.bias(g * cpar + r) : wrap(OG * konst[r])) : wrap((g * cpar + r < cout ? p.bias[g * cpar + r] : 0) + OG * konst[r]),
    );
    const init = groupRom(`bias_${r}`, X, vals, accW, true);
    const start = OG === 1 ? init : mux(side[X].first, init, acc);
    const cols = heapOf(cur[r], accW);
    // A constant start (OG = 1, one value for every channel group) enters the heap as constant bits.
    const v0 = vals[0];
    const cv = OG === 1 && typeof v0 === 'number' && vals.every((v) => v === v0) ? (v0 + 2 ** accW) % 2 ** accW : undefined;
    const startBits: Bit[] = Array.from({ length: accW }, (_, j) => (cv !== undefined ? ((Math.floor(cv / 2 ** j) % 2) as 0 | 1) : start.bit(j)));
    startBits.forEach((b, j) => b !== 0 && cols[j].push(b));
    const [a, b] = compressHeap(m, `h_${r}_acc`, cols, accW);
    acc.set(fastAdd(bitsVector(a, 0, accW - 1).asSigned(), bitsVector(b, 0, accW - 1).asSigned(), accW));
    accs.push(acc);
  }

  // ---- shared requantisers (rqLanes < cpar): the rows' finished accumulators are held and
  // R of them per cycle enter a select register (rq_in), step j = 0..J-1 of the channel group
  // taking rows j*R .. j*R+R-1 (step 0 straight from the accumulators, later ones from the hold
  // registers); the next channel group finishes OG >= J cycles later ----------------------------
  let rqIn: Expr[] = accs;
  let RQ0 = A; // stage whose values the requantiser's first stage reads
  let selIdx: { cg?: Expr; sub?: Expr } = {};
  if (J > 1) {
    const hold: Expr[] = [];
    for (let r = R; r < cpar; r++) {
      const q = m.reg(`acch_${r}`, accW, { reset: null, signed: true });
      m.when(sA.v, () => q.set(accs[r]));
      hold[r] = q;
    }
    let cgHold: Expr | undefined;
    if (sA.cg) {
      const q = m.reg('cg_hold', cgW, { reset: null });
      m.when(sA.v, () => q.set(sA.cg!));
      cgHold = q;
    }
    const rqBusy = m.regInit('rq_busy', 1, 0, { doc: 'requantiser steps 1..J-1 of a channel group still to issue' });
    const rqSub = m.regInit('rq_sub', subW, 0, { doc: 'next requantiser step while rq_busy' });
    rqBusy.set(sA.v.or(rqBusy.and(rqSub.ne(J - 1))));
    rqSub.set(mux(sA.v, lit(1, subW), mux(rqBusy, rqSub.add(1, subW), rqSub)));
    const subN = m.wire('rq_sub_sel_next', mux(sA.v, lit(0, subW), rqSub));
    const cgN = sA.cg ? m.wire('rq_cg_sel_next', mux(sA.v, sA.cg, cgHold!)) : undefined;
    const vSel = m.regInit('v_sel', 1, 0);
    vSel.set(sA.v.or(rqBusy));
    const subSel = m.reg('sub_sel', subW, { reset: null });
    subSel.set(subN);
    let cgSel: Expr | undefined;
    if (cgN) {
      const q = m.reg('cg_sel', cgW, { reset: null });
      q.set(cgN);
      cgSel = q;
    }
    side.push({ v: vSel, first: one, last: one, cg: cgSel, sub: subSel });
    RQ0 = side.length - 1;
    selIdx = { cg: cgN, sub: subN };
    rqIn = Array.from({ length: R }, (_, l) => {
      // Leaf 0 is never selected while rq_busy; a lane past cpar in the last step is not used.
      const rows = Array.from({ length: J }, (_, j) => (j > 0 && j * R + l < cpar ? hold[j * R + l] : undefined));
      const any = rows.find((x) => x !== undefined)!;
      const q = m.reg(`rq_in_${l}`, accW, { reset: null, signed: true });
      q.set(mux(sA.v, accs[l], muxTree(rqSub, rows.map((x) => x ?? any), accW, true)));
      return q;
    });
  }

  // ---- requantiser (docs/fixed-point.md 3), the 3-part product of requant/index.ts -------------
  const pW = accW + 16;
  const rq: Side[] = [];
  for (let k = 1; k <= REQUANT_STAGES; k++) {
    side.push(nextSide(`rq${k}`, side[side.length - 1], false));
    rq.push(side[side.length - 1]);
  }
  /** Channel of requantiser lane r at channel group g and step j (>= cout: none). */
  const chanOf = (r: number, g: number, j: number) => (j * R + r < cpar ? g * cpar + j * R + r : cout);
  const outs: Expr[] = [];
  for (let r = 0; r < R; r++) {
    const chan = (xs: readonly number[], dflt: number) => Array.from({ length: CG }, (_, g) => (g * cpar + r < cout ? xs[g * cpar + r] : dflt));
    const chan2 = (xs: readonly number[], dflt: number) => Array.from({ length: CG }, (_, g) => Array.from({ length: J }, (_, j) => (chanOf(r, g, j) < cout ? xs[chanOf(r, g, j)] : dflt)));
    const mVals = J > 1 ? chan2(p.M, 2 ** 14).flat() : chan(p.M, 2 ** 14);
    const mConst = !loaded && mVals.every((x) => x === mVals[0]) ? mVals[0] : undefined;
    const tab = (f: (co: number) => Expr, dflt: number) => Array.from({ length: CG }, (_, g) => (g * cpar + r < cout ? f(g * cpar + r) : dflt));
    const mul = J > 1 ? laneRom(`coef_m_${r}`, selIdx, chan2(p.M, 2 ** 14), 15, false) : groupRom(`coef_m_${r}`, A, loaded ? tab(loader!.tables.M, 2 ** 14) : mVals, 15, false);
    // Stage rq1: acc x M in RQ_SLICE_BITS-bit slices of M; then a registered binary tree of
    // two-operand adds (stages rq2..). Measured at T=144 (tt): 5-bit slices with one
    // three-operand sum (the requant block's choice) and 4-bit slices with one four-operand sum
    // missed 180 MHz on the slice multiply (5.7 ns) or on the sum (6.2 ns); so did a 3-bit
    // Yosys multiply (5.7 ns). Each slice product is built as gated shifted copies of acc summed
    // by csaSum; with a constant M only the set bits' copies remain.
    type Part = { e: Expr; lo: number; w: number };
    let parts: Part[] = [];
    for (let lo = 0, k = 0; lo < 15; lo += RQ_SLICE_BITS, k++) {
      const hi = Math.min(lo + RQ_SLICE_BITS, 15) - 1;
      const w = accW + hi - lo + 2;
      const terms: Expr[] = [];
      for (let bit = lo; bit <= hi; bit++) {
        const shifted = rqIn[r].shl(bit - lo).resize(w);
        if (mConst === undefined) terms.push(mux(mul.bit(bit), shifted, lit(0, w, { signed: true })));
        else if ((mConst >> bit) & 1) terms.push(shifted);
      }
      if (!terms.length) continue;
      const q = m.reg(`pp${k}_${r}`, w, { reset: null, signed: true });
      q.set(terms.length === 1 ? terms[0] : csaSum(terms, w));
      parts.push({ e: q, lo, w });
    }
    // A fixed number of sum levels (single parts pass through), so the stage count never
    // depends on M.
    for (let lv = 1; lv <= RQ_SUM_LEVELS; lv++) {
      const final = lv === RQ_SUM_LEVELS;
      const nextParts: Part[] = [];
      for (let i = 0; i < parts.length; i += 2) {
        const a = parts[i], b = parts[i + 1];
        // Any partial sum times 2^a.lo is at most |acc| * M < 2^(pW-1): pW - a.lo bits hold it.
        const wn = Math.min(b ? Math.max(a.w, b.w + b.lo - a.lo) + 1 : a.w, pW - a.lo);
        const v = b ? fastAdd(b.e.shl(b.lo - a.lo), a.e, wn) : a.e;
        // |acc * M| < 2^(accW-1) * 2^15, so the last sum fits pW bits.
        const q = m.reg(final ? `prod_rq_${r}` : `pps${lv}_${i >> 1}_${r}`, final ? pW : wn, { reset: null, signed: true });
        q.set(final ? v.shl(a.lo).resize(pW) : v);
        nextParts.push({ e: q, lo: final ? 0 : a.lo, w: final ? pW : wn });
      }
      parts = nextParts;
    }
    const prod = parts[0].e;
    // Stage rq3: arithmetic shift by S-1; rounding is then ((x >> (S-1)) + 1) >> 1 = (x + 2^(S-1)) >> S.
    const shifts = J > 1 ? chan2(p.S, 1).flat() : chan(p.S, 1);
    const shifted = m.reg(`shifted_${r}`, pW, { reset: null, signed: true });
    if (loaded) shifted.set(prod.shrVar(groupRom(`coef_s_${r}`, A + REQUANT_STAGES - 3, tab(loader!.tables.shift, 0), 6, false)));
    else if (J > 1 && !shifts.every((x) => x === shifts[0])) {
      const at = side[RQ0 + REQUANT_STAGES - 4];
      shifted.set(prod.shrVar(laneRom(`coef_s_${r}`, { cg: at.cg, sub: at.sub }, chan2(p.S, 1).map((vs) => vs.map((x) => x - 1)), 6, false)));
    }
    else if (shifts.every((x) => x === shifts[0])) {
      const sh = Math.min(shifts[0] - 1, pW - 1);
      // A shift by pW-1 or more leaves the sign: spelled as a mux (a 1-bit sext trips the emitter).
      shifted.set(sh === pW - 1 ? mux(prod.msb(), lit(-1, pW, { signed: true }), lit(0, pW, { signed: true })) : sh ? prod.shr(sh).sext(pW) : prod);
      if (sh) m.unused(prod.slice(sh - 1, 0), 'a constant shift drops them (synthesis removes the flops)');
    } else shifted.set(prod.shrVar(groupRom(`coef_s_${r}`, A + REQUANT_STAGES - 3, shifts.map((x) => x - 1), 6, false)));
    const sat = m.reg(`sat_${r}`, 8, { reset: null, signed: true });
    sat.set(shifted.shrRound(1).saturate(8));
    const out = m.reg(`out_${r}`, 8, { reset: null, signed: true });
    const lo = loaded ? loader!.tables.lo : lit(p.lo, 8, { signed: true }), hi = loaded ? loader!.tables.hi : lit(p.hi, 8, { signed: true });
    // The DSL rejects comparisons that are constant (LO = -128 or HI = 127): leave those out.
    const upper = loaded || p.hi < 127 ? mux(sat.gt(hi), hi, sat) : sat;
    out.set(loaded || p.lo > -128 ? mux(sat.lt(lo), lo, upper) : upper);
    outs.push(out);
  }
  const done = rq[REQUANT_STAGES - 1];

  // ---- result vector: earlier channel groups (and requantiser steps) parked in slots, the last
  // written directly -------------------------------------------------------------------------------
  /** AND of the conditions that exist (no literal-1 terms: the one-requantiser-per-row Verilog stays as it was). */
  const all = (...xs: (Expr | undefined)[]): Expr => xs.filter((x): x is Expr => x !== undefined).reduce<Expr | undefined>((a, x) => (a ? a.and(x) : x), undefined) ?? one;
  const lastStepOf = (sd: Side) => (J > 1 ? all(sd.v, sd.cg?.eq(CG - 1), sd.sub?.eq(J - 1)) : sd.v.and(sd.cg ? sd.cg.eq(CG - 1) : one));
  const wen = m.wire('fifo_wen', lastStepOf(done));
  cellDone?.set(wen);
  const lanes: Expr[] = [];
  for (let co = 0; co < cout; co++) {
    const g = Math.floor(co / cpar), j = Math.floor((co % cpar) / R), r = (co % cpar) % R;
    if (g === CG - 1 && j === J - 1) lanes.push(outs[r]);
    else {
      const q = m.reg(`slot_${co}`, 8, { reset: null });
      m.when(all(done.v, done.cg?.eq(g), done.sub?.eq(j)), () => q.set(outs[r].asUnsigned()));
      lanes.push(q);
    }
  }
  const resultVec = cat(...lanes.map((x) => x.asUnsigned()).reverse());

  // ---- output FIFO: flip-flop entries; side (pass, tlast, tuser) written at accept, the result
  // at completion. Every write enable and read select is a per-chunk register copy computed one
  // cycle ahead, so no control net drives more than about 64 flops.
  const pb = Math.max(1, ceilLog2(D));
  const next = (x: Expr) => mux(x.eq(D - 1), lit(0, pb), x.add(1, pb));
  const wa = m.regInit('fifo_wa', pb, 0, { doc: 'entry of the next accepted cell' });
  const wd = m.regInit('fifo_wd', pb, 0, { doc: 'entry of the next completed result' });
  const rp = m.regInit('fifo_rp', pb, 0, { doc: 'head entry' });
  const doneCount = m.regInit('fifo_done', cb, 0, { doc: 'completed results not yet popped' });
  const waN = m.wire('fifo_wa_next', mux(accept, next(wa), wa));
  const wdN = m.wire('fifo_wd_next', mux(wen, next(wd), wd));
  const rpN = m.wire('fifo_rp_next', mux(pop, next(rp), rp));
  wa.set(waN);
  wd.set(wdN);
  rp.set(rpN);
  m.when(wen.and(pop.not()), () => doneCount.set(doneCount.add(1, cb))).elsewhen(pop.and(wen.not()), () => doneCount.set(doneCount.sub(1, cb)));
  mValid.set(doneCount.ne(0));
  const pre = rq[REQUANT_STAGES - 2];
  const wenPre = m.wire('fifo_wen_pre', lastStepOf(pre)); // wen of the next cycle
  const chunkBits = Math.max(4, Math.min(32, Math.floor(64 / Math.ceil(D / 2))));
  const ranges = (w: number): [number, number][] => Array.from({ length: Math.ceil(w / chunkBits) }, (_, k) => [Math.min(w, (k + 1) * chunkBits) - 1, k * chunkBits]);
  const sideIn = cat(s.userSig!, s.lastSig!, ...(PB ? [s.data.slice(8 * T + PB - 1, 8 * T)] : []));
  const field = (name: string, w: number, input: Expr, sel: (e: number) => { next: Expr; reset: number; gate: (q: Expr) => Expr }): Expr => {
    const rs = ranges(w);
    const entries = Array.from({ length: D }, (_, e) => {
      const { next: nx, reset, gate } = sel(e);
      const copies = replicas(`${name}_we${e}`, m.wire(`${name}_we${e}_next`, nx), rs.length, reset);
      return rs.map(([hi, lo], k) => {
        const q = m.reg(`${name}_${e}_${k}`, hi - lo + 1, { reset: null });
        m.when(gate(copies[k]), () => q.set(input.slice(hi, lo)));
        return q;
      });
    });
    const rpCopies = replicas(`${name}_rp`, rpN, rs.length, 0);
    const heads = rs.map(([hi, lo], k) => muxTree(rpCopies[k], entries.map((en) => en[k]), hi - lo + 1, false));
    return m.wire(`${name}_head`, cat(...heads.reverse()));
  };
  // The side of the cell accepted next cycle goes to entry waN: its enable is s_axis_tvalid and
  // a copy of (rdy next && waN == e); the result written next cycle goes to entry wdN.
  const head = field('fifo_side', PB + 2, sideIn, (e) => ({ next: rdyN.and(waN.eq(e)), reset: e === 0 ? 1 : 0, gate: (q) => s.valid.and(q) }));
  const headData = field('fifo_data', 8 * cout, m.wire('result_vec', resultVec), (e) => ({ next: wenPre.and(wdN.eq(e)), reset: 0, gate: (q) => q }));
  o.driveValid(mValid);
  o.driveData(PB ? cat(head.slice(PB - 1, 0), headData) : headData);
  o.driveLast(head.bit(PB));
  o.driveUser(head.bit(PB + 1));
  return { module: m, cycles: N, latency, accBits: accW, fifoDepth: D, treeStages: TR };
}
