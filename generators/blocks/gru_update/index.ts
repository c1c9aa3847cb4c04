// ConvGRU elementwise unit builder (README.md): mode 'rh' turns (PR, H) into RH, mode 'update'
// turns (PZ, PN, H) into H'; `lanes` hidden channels of one grid cell per beat, 3 stages.
import { bool, cat, defineParams, int, lit, MAX_WIDTH, Module, mux, oneOf, type Expr } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
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
  },
  [
    (p) => (p.lanes * 8 * 3 + p.passBits <= MAX_WIDTH - 2 ? undefined : `lanes = ${p.lanes} with passBits = ${p.passBits} is too wide`),
    (p) => (p.credit && !p.stall ? 'credit = true needs stall = true (a free-running unit has no tready to give credits for)' : undefined),
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

export function gruUpdateFlops(p: GruUpdateConfig): number {
  // rh: R, H | R*H (17) | RH.   update: Z, D (9), H | Z*D (18), H | H'.
  const perLane = p.mode === 'rh' ? 8 + 8 + 17 + 8 : 8 + 9 + 8 + 18 + 8 + 8;
  const pass = p.passBits ?? 0;
  // + valid, tlast, tuser and the pass bits per stage
  if (!p.credit) return p.lanes * perLane + 3 * (3 + pass);
  // Credit: stage 3 is the FIFO's entries instead of the output register.
  return p.lanes * (perLane - 8) + 2 * (3 + pass) + creditOutputFlops(p.lanes * 8 + pass, p.creditDepth);
}

/** Module name: mode, lanes, pass bits (when any), flow control. */
export function gruUpdateName(p: GruUpdateConfig): string {
  return `gru_${p.mode}_l${p.lanes}${p.passBits ? `_p${p.passBits}` : ''}${p.stall ? (p.credit ? `_cr${p.creditDepth === GRU_CREDIT_DEPTH ? '' : p.creditDepth}` : '') : '_free'}`;
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
  const { passBits: PB, credit, creditDepth, ...base } = p;
  // passBits/credit/creditDepth enter the recorded params only when set, so the default RTL is unchanged.
  const m = new Module(gruUpdateName(p), {
    params: { block: 'gru_update', ...base, ...(PB ? { passBits: PB } : {}), ...(credit ? { credit } : {}), ...(credit && creditDepth !== GRU_CREDIT_DEPTH ? { creditDepth } : {}) },
    doc: p.mode === 'rh' ? `ConvGRU reset step, ${L} lanes: RH = (SIG[PR+128] * H + 128) >> 8; latency ${GRU_LATENCY}` : `ConvGRU update step, ${L} lanes: H' = sat8(H + ((SIG[PZ+128] * (TANH[PN+128] - H) + 128) >> 8)); latency ${GRU_LATENCY}`,
  });
  const s = streamIn(m, { width: fields.length * L * 8 + PB, ready: p.stall });
  const o = streamOut(m, { width: L * 8 + PB, ready: p.stall });
  const field = (f: (typeof fields)[number], i: number): Expr => {
    const base = (fields.indexOf(f) * L + i) * 8;
    return s.data.slice(base + 7, base).asSigned();
  };

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
