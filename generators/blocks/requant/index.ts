// Requantiser builder (README.md): `lanes` output channels per beat, each
// clamp((acc * M + 2^(S-1)) >> S, LO, HI), pipelined partial products -> sum -> shift -> round/saturate -> clamp.
import { bool, cat, defineParams, int, MAX_WIDTH, Module, mux, type Expr } from '../../core/index.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { COEF_LANE_BITS } from './model.ts';

export const requantParams = defineParams(
  'requant',
  {
    lanes: int({ min: 1, max: 64, default: 16, doc: 'output channels per beat (each with its own M, S)' }),
    accBits: int({ min: 2, max: 24, default: 24, doc: 'accumulator width (signed); the spec guarantees acc_bits <= 24' }),
    outBits: int({ min: 2, max: 16, default: 8, doc: 'output width (signed); LO/HI are outBits-bit signed' }),
    stall: bool({ default: true, doc: 'm_axis/s_axis have tready (one global stall enable); false = free-running datapath, no tready, no enable net' }),
  },
  [(p) => (p.lanes * (p.accBits + p.outBits + COEF_LANE_BITS) <= MAX_WIDTH ? undefined : `lanes = ${p.lanes} is too wide for the ${MAX_WIDTH}-bit bus limit`)],
);

export type RequantConfig = ReturnType<typeof requantParams.validate>;

export interface RequantInfo {
  module: Module;
  /** Register stages from an accepted s_axis beat to m_axis_tvalid (no stalls). */
  latency: number;
  flops: number;
}

export const REQUANT_LATENCY = 5;

/** Product width: signed acc times M as a 16-bit signed value. */
export const requantProdBits = (accBits: number): number => accBits + 16;

export function requantFlops(p: RequantConfig): number {
  const perLane = 3 * (p.accBits + 6) + 2 * requantProdBits(p.accBits) + 2 * p.outBits + 15 + 6;
  return p.lanes * perLane + 2 * p.outBits + REQUANT_LATENCY * (1 + 2); // + valid, tlast, tuser per stage
}

export function buildRequant(config: Partial<RequantConfig> = {}): RequantInfo {
  const p = requantParams.validate(config);
  const { lanes: L, accBits: aW, outBits: oW } = p;
  const pW = requantProdBits(aW);
  const m = new Module(`requant_l${L}_a${aW}_o${oW}${p.stall ? '' : '_free'}`, {
    params: { block: 'requant', ...p },
    doc: `requantiser, ${L} lanes: clamp((acc${aW} * M + 2^(S-1)) >> S, LO, HI) -> s${oW}; latency ${REQUANT_LATENCY}`,
  });
  const q = streamIn(m, { width: L * COEF_LANE_BITS + 2 * oW, last: false, user: false }, 's_axis_q');
  const s = streamIn(m, { width: L * aW, ready: p.stall });
  const o = streamOut(m, { width: L * oW, ready: p.stall });

  // ---- control: one global advance; a pending coefficient beat waits for stages 1-4 to empty --
  const v0 = m.regInit('v0', 1, 0, { doc: 'stage 1 (partial products) holds a beat' });
  const v1 = m.regInit('v1', 1, 0, { doc: 'stage 2 (product) holds a beat' });
  const v2 = m.regInit('v2', 1, 0, { doc: 'stage 3 (shifted) holds a beat' });
  const v3 = m.regInit('v3', 1, 0, { doc: 'stage 4 (rounded, saturated) holds a beat' });
  const v4 = m.regInit('out_valid', 1, 0, { doc: 'output register holds a beat' });
  // Every register below updates under `onAdv`: with stall, only when the output can move (a
  // net that fans out to every flop); free-running, on every clock.
  const adv = p.stall ? m.wire('adv', v4.not().or(o.readySig!)) : undefined;
  const onAdv = (body: () => void) => (adv ? m.when(adv, body) : body());
  // Stages 1-4 still read S-1 / LO / HI downstream, so new coefficients only land when they
  // are empty; until then the coefficient beat has priority over accumulators. Without stall
  // the accumulators cannot wait: the load also needs a cycle with no accumulator.
  const busy = v0.or(v1).or(v2).or(v3);
  const qReady = m.wire('q_ready', p.stall ? busy.not() : busy.or(s.valid).not());
  const qFire = m.wire('q_fire', q.valid.and(qReady));
  q.driveReady(qReady);
  let sFire: Expr = s.valid;
  if (adv) {
    const sReady = m.wire('s_ready', adv.and(q.valid.not()));
    s.driveReady(sReady);
    sFire = m.wire('s_fire', s.valid.and(sReady));
  }

  // ---- coefficient registers: reset to M = 0, LO = HI = 0, so vectors before the first load give 0
  const lo = m.reg('coef_lo', oW, { reset: 0, signed: true });
  const hi = m.reg('coef_hi', oW, { reset: 0, signed: true });
  const base = L * COEF_LANE_BITS;
  m.when(qFire, () => {
    lo.set(q.data.slice(base + oW - 1, base).asSigned());
    hi.set(q.data.slice(base + 2 * oW - 1, base + oW).asSigned());
  });

  // ---- sideband travels with the beat -----------------------------------------------------------
  const side = (name: string, src: Expr): Expr => {
    let prev = src;
    for (let k = 1; k <= REQUANT_LATENCY; k++) {
      const r = m.reg(`${name}${k}`, 1, { reset: null });
      onAdv(() => r.set(prev));
      prev = r;
    }
    return prev;
  };
  onAdv(() => {
    v0.set(sFire);
    v1.set(v0);
    v2.set(v1);
    v3.set(v2);
    v4.set(v3);
  });
  o.driveLast(side('last', s.lastSig!));
  o.driveUser(side('user', s.userSig!));
  o.driveValid(v4);

  const outs: Expr[] = [];
  for (let i = 0; i < L; i++) {
    const f = q.data.slice(COEF_LANE_BITS * i + 20, COEF_LANE_BITS * i);
    const mul = m.reg(`coef_m_${i}`, 15, { reset: 0 });
    const sh = m.reg(`coef_sh_${i}`, 6, { reset: 0, doc: 'S - 1 (precomputed at load)' });
    m.when(qFire, () => {
      mul.set(f.slice(14, 0));
      sh.set(f.slice(20, 15).sub(1, 6));
    });
    const acc = s.data.slice(aW * i + aW - 1, aW * i).asSigned();
    // Stage 1: three partial products acc x M[5k+4:5k]; stage 2: their sum, acc x M. Measured
    // (2 lanes, Yosys array multipliers, Sky130 hd tt): one 24x15 multiply 7.4 ns, two 24x8
    // halves 6.3 ns, three 24x5 parts 6.0-6.3 ns (README); an unsigned product with a sign
    // correction was slower.
    const parts = [0, 1, 2].map((k) => m.reg(`pp${k}_${i}`, aW + 6, { reset: null, signed: true }));
    const p1 = m.reg(`prod_${i}`, pW, { reset: null, signed: true });
    // Stage 3: arithmetic shift by S-1; rounding is then ((x >> (S-1)) + 1) >> 1, which equals
    // (x + 2^(S-1)) >> S and keeps the variable-position add out of the datapath.
    const p2 = m.reg(`shifted_${i}`, pW, { reset: null, signed: true });
    // Stage 4: round and saturate to outBits (cheap: top-bit checks), so stage 5 compares with
    // LO/HI at outBits instead of the full product width. clamp(sat(x), LO, HI) = clamp(x, LO, HI)
    // because LO, HI are outBits values.
    const p3 = m.reg(`sat_${i}`, oW, { reset: null, signed: true });
    // Stage 5: clamp into [LO, HI].
    const r3 = m.reg(`out_${i}`, oW, { reset: null, signed: true });
    onAdv(() => {
      parts.forEach((pp, k) => pp.set(acc.mul(mul.slice(5 * k + 4, 5 * k).zext(6).asSigned())));
      p1.set(parts[2].shl(10).add(parts[1].shl(5).sext(pW), pW).add(parts[0].sext(pW), pW));
      p2.set(p1.shrVar(sh));
      p3.set(p2.shrRound(1).saturate(oW));
      r3.set(mux(p3.lt(lo), lo, mux(p3.gt(hi), hi, p3)));
    });
    outs.push(r3);
  }
  o.driveData(cat(...outs.map((x) => x.asUnsigned()).reverse())); // lane 0 in the low bits
  return { module: m, latency: REQUANT_LATENCY, flops: requantFlops(p) };
}
