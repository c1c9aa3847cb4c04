// ConvGRU elementwise unit builder (README.md): mode 'rh' turns (PR, H) into RH, mode 'update'
// turns (PZ, PN, H) into H'; `lanes` hidden channels of one grid cell per beat, 3 stages.
import { bool, cat, defineParams, int, lit, MAX_WIDTH, Module, mux, oneOf, type Expr } from '../../core/index.ts';
import { creditBits, creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { gruFields, SIG, TANH } from './model.ts';

export const gruUpdateParams = defineParams(
  'gru_update',
  {
    mode: oneOf(['rh', 'update'] as const, { default: 'update', doc: "'rh': (PR, H) -> RH before the candidate conv; 'update': (PZ, PN, H) -> H' after it" }),
    lanes: int({ min: 1, max: 64, default: 16, doc: 'hidden channels per beat' }),
    stall: bool({ default: true, doc: 'm_axis/s_axis have tready (one global stall enable); false = free-running datapath, no tready, no enable net' }),
    passBits: int({ min: 0, max: 1024, default: 0, doc: 'sideband bits carried above the fields of s_axis_tdata to above the lanes of m_axis_tdata, delayed with their beat' }),
    credit: bool({ default: false, doc: 'with stall: local backpressure (free-running datapath, valid bits, 4-entry output FIFO with credits) instead of the global enable' }),
    creditDepth: int({ min: 2, max: 16, default: 4, doc: 'with credit: output FIFO entries (= beats in flight); the credit round trip is 4 cycles, so 4 sustain one beat per cycle and 2 one beat per 2 cycles' }),
    lanesPerStep: int({ min: 0, max: 64, default: 0, doc: 'with credit: 0 = every lane in one beat per cycle; 1..lanes-1 = that many LUT/multiplier lanes, a beat read in place over ceil(lanes/lanesPerStep) + 2 cycles (no pass-bit registers)' }),
  },
  [
    (p) => (p.lanes * 8 * 3 + p.passBits <= MAX_WIDTH - 2 ? undefined : `lanes = ${p.lanes} with passBits = ${p.passBits} is too wide`),
    (p) => (p.credit && !p.stall ? 'credit = true needs stall = true (a free-running unit has no tready to give credits for)' : undefined),
    (p) => (p.lanesPerStep === 0 || (p.credit && p.lanesPerStep < p.lanes) ? undefined : `lanesPerStep = ${p.lanesPerStep} needs credit = true and fewer than lanes = ${p.lanes} (0 = all lanes at once)`),
  ],
);

export type GruUpdateConfig = ReturnType<typeof gruUpdateParams.validate>;

export interface GruUpdateInfo {
  module: Module;
  /** Register stages from an accepted s_axis beat to m_axis_tvalid (no stalls). */
  latency: number;
  flops: number;
}

export const GRU_LATENCY = 3;

/** Output FIFO entries of the credit variant: 2 pipeline registers + FIFO write + pop + credit return. */
export const GRU_CREDIT_DEPTH = 4;

/** Steps of the serial variant: ceil(lanes / lanesPerStep) (1 without it). */
export function gruSteps(p: Pick<GruUpdateConfig, 'lanes' | 'lanesPerStep'>): number {
  return p.lanesPerStep ? Math.ceil(p.lanes / p.lanesPerStep) : 1;
}

/** Cycles per beat: 1, or (serial) one per step plus the 2-register drain of the last step. */
export function gruCyclesPerBeat(p: Pick<GruUpdateConfig, 'lanes' | 'lanesPerStep'>): number {
  return p.lanesPerStep ? gruSteps(p) + 2 : 1;
}

export function gruUpdateFlops(p: GruUpdateConfig): number {
  // rh: R, H | R*H (17) | RH.   update: Z, D (9), H | Z*D (18), H | H'.
  const perLane = p.mode === 'rh' ? 8 + 8 + 17 + 8 : 8 + 9 + 8 + 18 + 8 + 8;
  const pass = p.passBits ?? 0;
  if (p.lanesPerStep) {
    // Serial: lanesPerStep lanes of stages 1-2, slots for the lanes of every step but the last,
    // v1, v2, the step index in both stages, the cycle counter, ready, credits, the FIFO.
    const S = gruSteps(p), kW = Math.max(1, ceilLog2(S));
    const slots = Math.min(p.lanes, (S - 1) * p.lanesPerStep);
    return p.lanesPerStep * (perLane - 8) + 8 * slots + 2 + 2 * kW + ceilLog2(S + 2) + 1 + creditBits(p.creditDepth) + fifoFlops({ width: p.lanes * 8 + pass, depth: p.creditDepth, last: true, user: true });
  }
  // + valid, tlast, tuser and the pass bits per stage
  if (!p.credit) return p.lanes * perLane + 3 * (3 + pass);
  // Credit: stage 3 is the FIFO's entries instead of the output register.
  return p.lanes * (perLane - 8) + 2 * (3 + pass) + creditOutputFlops(p.lanes * 8 + pass, p.creditDepth);
}

/** Module name: mode, lanes, pass bits (when any), flow control. */
export function gruUpdateName(p: GruUpdateConfig): string {
  return `gru_${p.mode}_l${p.lanes}${p.passBits ? `_p${p.passBits}` : ''}${p.stall ? (p.credit ? `_cr${p.creditDepth === GRU_CREDIT_DEPTH ? '' : p.creditDepth}` : '') : '_free'}${p.lanesPerStep ? `_s${p.lanesPerStep}` : ''}`;
}

/**
 * A 256-entry table indexed by an int8 pre-activation q (entry q + 128) as a balanced tree of
 * 2:1 muxes on the index bits (depth 8; equal subtrees fold to one constant). The DSL's
 * select()/switch() build priority chains, which is 255 levels here.
 */
function lutTree(q: Expr, table: Int32Array, signed: boolean): Expr {
  const idx = cat(q.bit(7).not(), q.slice(6, 0)); // q + 128
  const rec = (lo: number, n: number, bit: number): Expr | number => {
    if (n === 1) return table[lo];
    const a = rec(lo, n / 2, bit - 1), b = rec(lo + n / 2, n / 2, bit - 1);
    if (typeof a === 'number' && a === b) return a;
    const asE = (v: Expr | number) => (typeof v === 'number' ? lit(v, 8, { signed }) : v);
    return mux(idx.bit(bit), asE(b), asE(a));
  };
  const r = rec(0, 256, 7);
  return typeof r === 'number' ? lit(r, 8, { signed }) : r;
}

export function buildGruUpdate(config: Partial<GruUpdateConfig> = {}): GruUpdateInfo {
  const p = gruUpdateParams.validate(config);
  const L = p.lanes;
  const fields = gruFields(p.mode);
  const { passBits: PB, credit, creditDepth, lanesPerStep, ...base } = p;
  // passBits/credit/creditDepth enter the recorded params only when set, so the default RTL is unchanged.
  const m = new Module(gruUpdateName(p), {
    params: { block: 'gru_update', ...base, ...(PB ? { passBits: PB } : {}), ...(credit ? { credit } : {}), ...(credit && creditDepth !== GRU_CREDIT_DEPTH ? { creditDepth } : {}), ...(lanesPerStep ? { lanesPerStep } : {}) },
    doc: p.mode === 'rh' ? `ConvGRU reset step, ${L} lanes: RH = (SIG[PR+128] * H + 128) >> 8; latency ${GRU_LATENCY}` : `ConvGRU update step, ${L} lanes: H' = sat8(H + ((SIG[PZ+128] * (TANH[PN+128] - H) + 128) >> 8)); latency ${GRU_LATENCY}`,
  });
  const s = streamIn(m, { width: fields.length * L * 8 + PB, ready: p.stall });
  const o = streamOut(m, { width: L * 8 + PB, ready: p.stall });
  const field = (f: (typeof fields)[number], i: number): Expr => {
    const base = (fields.indexOf(f) * L + i) * 8;
    return s.data.slice(base + 7, base).asSigned();
  };
  if (lanesPerStep) {
    buildSerial(m, p, s, o, field);
    return { module: m, latency: GRU_LATENCY, flops: gruUpdateFlops(p) };
  }

  // One global advance: with stall, every stage moves when the output register is free or being
  // read (a net that fans out to every flop); free-running, on every clock. With credit, the
  // datapath is free-running too and stage 3 is the output FIFO (axis/credit.ts).
  const cr = credit ? creditOutput(m, s, o, creditDepth) : undefined;
  const v1 = m.regInit('v1', 1, 0, { doc: 'stage 1 holds a beat' });
  const v2 = m.regInit('v2', 1, 0, { doc: 'stage 2 holds a beat' });
  const vOut = cr ? undefined : m.regInit('out_valid', 1, 0, { doc: 'output register holds a beat' });
  const adv = p.stall && !cr ? m.wire('adv', vOut!.not().or(o.readySig!)) : undefined;
  const onAdv = (body: () => void) => (adv ? m.when(adv, body) : body());
  if (adv) s.driveReady(adv);
  if (vOut) o.driveValid(vOut);
  onAdv(() => {
    v1.set(cr ? cr.take : s.valid);
    v2.set(v1);
    vOut?.set(v2);
  });
  const stages = cr ? 2 : 3;
  const side = (name: string, src: Expr, w = 1): Expr => {
    let prev = src;
    for (let k = 1; k <= stages; k++) {
      const r = m.reg(`${name}${k}`, w, { reset: null });
      onAdv(() => r.set(prev));
      prev = r;
    }
    return prev;
  };
  const lastOut = side('last', s.lastSig!);
  const userOut = side('user', s.userSig!);
  const passOut = PB ? side('pass', s.data.slice(fields.length * L * 8 + PB - 1, fields.length * L * 8), PB) : undefined;
  if (!cr) {
    o.driveLast(lastOut);
    o.driveUser(userOut);
  }

  const outs: Expr[] = [];
  for (let i = 0; i < L; i++) {
    const h = field('h', i);
    const h1 = m.reg(`h1_${i}`, 8, { reset: null, signed: true });
    // Stage 3: the output register, or (credit) the value written into the FIFO.
    const out = cr ? m.wire(`res_${i}`, 8, { signed: true }) : m.reg(`out_${i}`, 8, { reset: null, signed: true });
    const onOut = (body: () => void) => (cr ? body() : onAdv(body));
    if (p.mode === 'rh') {
      // Stage 1: R = SIG[PR + 128]. Stage 2: R * H. Stage 3: (R*H + 128) >> 8 (|.| <= 127, exact in 8 bits).
      const r1 = m.reg(`r_${i}`, 8, { reset: null });
      const prod = m.reg(`rh_prod_${i}`, 17, { reset: null, signed: true });
      onAdv(() => {
        r1.set(lutTree(field('pr', i), SIG, false));
        h1.set(h);
        prod.set(r1.zext(9).asSigned().mul(h1));
      });
      onOut(() => out.set(prod.shrRound(8).trunc(8)));
    } else {
      // Stage 1: Z = SIG[..], D = TANH[..] - H (the subtract sits after the LUT, not in front of
      // the multiplier). Stage 2: Z * D. Stage 3: sat8(H + ((Z*D + 128) >> 8)).
      const z1 = m.reg(`z_${i}`, 8, { reset: null });
      const d1 = m.reg(`d_${i}`, 9, { reset: null, signed: true, doc: 'N - H' });
      const prod = m.reg(`zd_prod_${i}`, 18, { reset: null, signed: true });
      const h2 = m.reg(`h2_${i}`, 8, { reset: null, signed: true });
      onAdv(() => {
        z1.set(lutTree(field('pz', i), SIG, false));
        d1.set(lutTree(field('pn', i), TANH, true).sub(h));
        h1.set(h);
        prod.set(z1.zext(9).asSigned().mul(d1));
        h2.set(h1);
      });
      onOut(() => out.set(h2.add(prod.shrRound(8)).saturate(8)));
    }
    outs.push(out);
  }
  const lanesOut = cat(...outs.map((x) => x.asUnsigned()).reverse()); // lane 0 in the low bits
  const dataOut = passOut ? cat(passOut, lanesOut) : lanesOut; // pass bits above the lanes
  if (cr) cr.push(v2, dataOut, lastOut, userOut);
  else o.driveData(dataOut);
  return { module: m, latency: GRU_LATENCY, flops: gruUpdateFlops(p) };
}

/**
 * Serial variant (lanesPerStep = q): the beat stays on s_axis (AXI4-Stream holds it until the
 * handshake) while its S = ceil(lanes/q) steps each send q lanes, chosen by the step, through
 * the same two registered stages; the results of steps 0..S-2 park in slots, the last step's
 * leave the stage-2 registers in the cycle the beat is accepted, written into the output FIFO
 * together with the pass bits and tlast/tuser read from s_axis then. A beat takes S + 2 cycles:
 * step c = 0..S-1 issues, c = S waits, c = S+1 accepts. The first step needs a free FIFO entry
 * (credits); the next beat's first step follows the accept.
 */
function buildSerial(m: Module, p: GruUpdateConfig, s: ReturnType<typeof streamIn>, o: ReturnType<typeof streamOut>, field: (f: 'pr' | 'pz' | 'pn' | 'h', i: number) => Expr) {
  const L = p.lanes, q = p.lanesPerStep, S = gruSteps(p), PB = p.passBits;
  const fields = gruFields(p.mode);
  const D = p.creditDepth;
  const cW = ceilLog2(S + 2), kW = Math.max(1, ceilLog2(S)), cb = creditBits(D);
  const fifo = buildFifo({ width: L * 8 + PB, depth: D, last: true, user: true });
  const u = m.instantiate('u_out_fifo', fifo.module);
  const src = instSource(u);
  connectStream(m, src, o);
  const sink = instSink(u);
  u.unused('s_axis_tready', 'the credit counter guarantees a free entry on every push');
  const credits = m.regInit('credits', cb, D, { doc: 'free output FIFO entries not promised to the beat on s_axis' });
  const c = m.regInit('cyc', cW, 0, { doc: "cycle of the beat on s_axis: steps 0..S-1, S drains, S+1 accepts" });
  const rdy = m.regInit('s_ready_q', 1, 0, { doc: 's_axis_tready: the beat completes this cycle' });
  const busy = m.wire('busy', s.valid.and(c.ne(0).or(credits.ne(0))));
  const done = m.wire('beat_done', busy.and(c.eq(S + 1)));
  const take = m.wire('take', s.valid.and(rdy));
  const pop = m.wire('pop', src.valid.and(o.readySig!));
  c.set(mux(done, lit(0, cW), mux(busy, c.add(1, cW), c)));
  rdy.set(busy.and(c.eq(S)));
  s.driveReady(rdy);
  m.when(take.and(pop.not()), () => credits.set(credits.sub(1, cb))).elsewhen(pop.and(take.not()), () => credits.set(credits.add(1, cb)));
  const issue = m.wire('issue', busy.and(c.lt(S)));
  const v1 = m.regInit('v1', 1, 0, { doc: 'stage 1 holds a step' });
  const v2 = m.regInit('v2', 1, 0, { doc: 'stage 2 holds a step' });
  const k1 = m.reg('k1', kW, { reset: null, doc: 'step in stage 1' });
  const k2 = m.reg('k2', kW, { reset: null, doc: 'step in stage 2' });
  v1.set(issue);
  v2.set(v1);
  const idx = kW === cW ? c : c.trunc(kW);
  k1.set(idx);
  k2.set(k1);
  /** Lane j*q + i of a field for step j = c (a mux over the steps; lanes past L read 0). */
  const pick = (f: (typeof fields)[number], i: number): Expr => {
    const leaves = Array.from({ length: 2 ** kW }, (_, j) => (j < S && j * q + i < L ? field(f, j * q + i) : lit(0, 8, { signed: true })));
    const rec = (lo: number, bit: number): Expr => (bit < 0 ? leaves[lo] : mux(idx.bit(bit), rec(lo + 2 ** bit, bit - 1), rec(lo, bit - 1)));
    return rec(0, kW - 1);
  };
  const res: Expr[] = [];
  for (let i = 0; i < q; i++) {
    const h = pick('h', i);
    const h1 = m.reg(`h1_${i}`, 8, { reset: null, signed: true });
    const out = m.wire(`res_${i}`, 8, { signed: true });
    if (p.mode === 'rh') {
      const r1 = m.reg(`r_${i}`, 8, { reset: null });
      const prod = m.reg(`rh_prod_${i}`, 17, { reset: null, signed: true });
      r1.set(lutTree(pick('pr', i), SIG, false));
      h1.set(h);
      prod.set(r1.zext(9).asSigned().mul(h1));
      out.set(prod.shrRound(8).trunc(8));
    } else {
      const z1 = m.reg(`z_${i}`, 8, { reset: null });
      const d1 = m.reg(`d_${i}`, 9, { reset: null, signed: true, doc: 'N - H' });
      const prod = m.reg(`zd_prod_${i}`, 18, { reset: null, signed: true });
      const h2 = m.reg(`h2_${i}`, 8, { reset: null, signed: true });
      z1.set(lutTree(pick('pz', i), SIG, false));
      d1.set(lutTree(pick('pn', i), TANH, true).sub(h));
      h1.set(h);
      prod.set(z1.zext(9).asSigned().mul(d1));
      h2.set(h1);
      out.set(h2.add(prod.shrRound(8)).saturate(8));
    }
    res.push(out);
  }
  // Lanes of steps 0..S-2 wait in slots; the last step's are written from stage 2 directly.
  const lanes: Expr[] = [];
  for (let l = 0; l < L; l++) {
    const j = Math.floor(l / q), i = l % q;
    if (j === S - 1) lanes.push(res[i]);
    else {
      const slot = m.reg(`slot_${l}`, 8, { reset: null });
      m.when(v2.and(k2.eq(j)), () => slot.set(res[i].asUnsigned()));
      lanes.push(slot);
    }
  }
  const lanesOut = cat(...lanes.map((x) => x.asUnsigned()).reverse());
  const nf = fields.length * L * 8;
  sink.driveValid(take);
  sink.driveData(PB ? cat(s.data.slice(nf + PB - 1, nf), lanesOut) : lanesOut);
  sink.driveLast(s.lastSig!);
  sink.driveUser(s.userSig!);
}
