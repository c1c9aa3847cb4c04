// Weight-stationary systolic MAC array builder (README.md): skewed activations flow right,
// partial sums flow down, results are deskewed onto m_axis at a fixed latency; optionally into an
// output FIFO guarded by credits so m_axis can take backpressure.
import { bool, cat, defineParams, int, lit, MAX_WIDTH, Module, mux, oneOf, type Expr, type Instance } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { buildMacPeCascade } from '../mac_pe/index.ts';
import { accWidth, ceilLog2 } from '../mac_pe/widths.ts';

export const macArrayParams = defineParams(
  'mac_array',
  {
    rows: int({ min: 1, max: 64, default: 16, doc: 'PE rows = activation lanes (taps summed per column)' }),
    cols: int({ min: 1, max: 64, default: 16, doc: 'PE columns = output lanes' }),
    actBits: int({ min: 2, max: 16, default: 8, doc: 'activation width (signed)' }),
    weightBits: oneOf([8, 6, 4] as const, { default: 8, doc: 'QUANT_BITS: weight width (signed)' }),
    pipeMul: bool({ default: true, doc: 'register after each multiplier' }),
    fifoDepth: int({ min: 0, max: 4096, default: 0, doc: 'output FIFO entries (m_axis gets tready); 0 = no FIFO, no m_axis_tready, fixed latency' }),
  },
  [
    (p) => (p.rows * p.actBits <= MAX_WIDTH ? undefined : `rows * actBits = ${p.rows * p.actBits} exceeds the ${MAX_WIDTH}-bit bus limit`),
    (p) => (p.cols * accWidth(p.actBits, p.weightBits, p.rows) <= MAX_WIDTH ? undefined : `cols * accBits = ${p.cols * accWidth(p.actBits, p.weightBits, p.rows)} exceeds the ${MAX_WIDTH}-bit bus limit`),
    (p) => (p.fifoDepth === 0 || p.fifoDepth >= 2 ? undefined : `fifoDepth = ${p.fifoDepth}: use 0 (no FIFO) or at least 2`),
  ],
);

export type MacArrayConfig = ReturnType<typeof macArrayParams.validate>;

export interface MacArrayBuildParams {
  rows: number;
  cols: number;
  actBits: number;
  weightBits: number;
  pipeMul: boolean;
  /** Output FIFO entries; default latency + 1 (full throughput). */
  fifoDepth?: number;
}

export interface MacArrayInfo {
  module: Module;
  accBits: number;
  /** Cycles from an accepted activation beat to its result at m_axis (tvalid). */
  latency: number;
  fifoDepth: number;
  flops: number;
}

/** Accepted activation -> m_axis_tvalid. */
/** Accepted activation -> m_axis_tvalid (one cycle more with the output FIFO). */
export function macArrayLatency(p: Pick<MacArrayBuildParams, 'rows' | 'cols' | 'pipeMul' | 'fifoDepth'>): number {
  return p.rows + p.cols + (p.pipeMul ? 1 : 0) + (p.fifoDepth ? 1 : 0);
}

/** The smallest output FIFO that still takes one activation per cycle under a ready sink. */
export function macArrayFullRateFifoDepth(p: Pick<MacArrayBuildParams, 'rows' | 'cols' | 'pipeMul'>): number {
  return macArrayLatency({ ...p, fifoDepth: 1 }) + 1;
}

const bitsFor = (maxValue: number) => Math.max(1, ceilLog2(maxValue + 1));

export function buildMacArray(config: Partial<MacArrayConfig> = {}): MacArrayInfo {
  const v = macArrayParams.validate(config);
  const p: MacArrayBuildParams = v;
  const { rows: R, cols: C, actBits: aW, weightBits: wW } = p;
  const pm = p.pipeMul ? 1 : 0;
  const accW = accWidth(aW, wW, R);
  const D = p.fifoDepth ?? 0;
  const m = new Module(`mac_array_${R}x${C}_a${aW}w${wW}${pm ? 'p' : ''}_f${D}`, {
    params: { block: 'mac_array', ...v, fifoDepth: D },
    doc: `${R}x${C} weight-stationary systolic MAC array, s${aW} x s${wW} -> ${accW}-bit, output FIFO ${D}`,
  });
  const sw = streamIn(m, { width: C * wW, last: false, user: false }, 's_axis_w');
  const sa = streamIn(m, { width: R * aW }, 's_axis_a');
  const mo = streamOut(m, { width: C * accW, ready: D > 0 }, 'm_axis');

  // ---- flow control: weight loading vs activations, credits for the output FIFO ----------
  const rb = bitsFor(R - 1);
  // Row r's weight beat comes >= r cycles after the matrix's first beat and is written 2 cycles
  // after acceptance; an activation accepted at t last reads row r at t+r+C. So the first weight
  // beat may be accepted C-1 cycles after the last activation (the reload test fails at C-2).
  const drainMax = Math.max(0, C - 2);
  const db = bitsFor(drainMax);
  const cb = bitsFor(D);
  const wRow = m.regInit('w_row', rb, 0, { doc: 'next weight row to load' });
  const drain = m.regInit('drain_cnt', db, 0, { doc: 'cycles until accepted activations no longer read the weights' });
  const credits = D > 0 ? m.regInit('credits', cb, D, { doc: 'free output FIFO entries not yet promised' }) : undefined;
  const wIdle = m.wire('w_idle', wRow.eq(0));
  const sWReady = m.wire('s_w_ready', wIdle.not().or(drain.eq(0)));
  const wFire = m.wire('w_fire', sw.valid.and(sWReady));
  // A pending weight beat blocks new activations, so each activation sees one whole matrix.
  const sAReady = m.wire('s_a_ready', credits ? wIdle.and(sw.valid.not()).and(credits.ne(0)) : wIdle.and(sw.valid.not()));
  const aFire = m.wire('a_fire', sa.valid.and(sAReady));
  sw.driveReady(sWReady);
  sa.driveReady(sAReady);
  m.when(wFire, () => wRow.set(R === 1 ? lit(0, rb) : mux(wRow.eq(R - 1), lit(0, rb), wRow.add(1, rb))));
  m.when(aFire, () => drain.set(lit(drainMax, db))).elsewhen(drain.ne(0), () => drain.set(drain.sub(1, db)));

  // Registered weight beat, broadcast down the columns; one-hot row enables (local per row).
  const wData = m.reg('w_data_q', C * wW, { reset: null });
  wData.set(sw.data);
  const wEn: Expr[] = [];
  for (let r = 0; r < R; r++) {
    const e = m.regInit(`w_en_${r}`, 1, 0);
    e.set(wFire.and(wRow.eq(r)));
    wEn.push(e);
  }

  // ---- activation skew: row r is delayed r+1 cycles (free-running, no enable) -------------
  const aLeft: Expr[] = [];
  for (let r = 0; r < R; r++) {
    let prev: Expr = sa.data.slice(r * aW + aW - 1, r * aW).asSigned();
    for (let k = 0; k <= r; k++) {
      const q = m.reg(`a_skew_${r}_${k}`, aW, { reset: null, signed: true });
      q.set(prev);
      prev = q;
    }
    aLeft.push(prev);
  }

  // ---- PE grid ----------------------------------------------------------------------------
  let flops = 0;
  const pes: Instance[][] = [];
  for (let r = 0; r < R; r++) {
    const pe = buildMacPeCascade({ actBits: aW, weightBits: wW, taps: r + 1, pipeMul: p.pipeMul });
    flops += C * pe.flops;
    const row: Instance[] = [];
    for (let c = 0; c < C; c++) {
      const inst = m.instantiate(`pe_${r}_${c}`, pe.module, {
        a_in: c === 0 ? aLeft[r] : row[c - 1].out('a_out'),
        w_in: wData.slice(c * wW + wW - 1, c * wW).asSigned(),
        w_load: wEn[r],
      });
      if (r > 0) inst.connect('psum_in', pes[r - 1][c].out('psum_out'));
      if (c === C - 1) inst.unused('a_out', 'the last column forwards its activation nowhere');
      row.push(inst);
    }
    pes.push(row);
  }

  // ---- deskew: column c waits C-1-c cycles so all lanes of a result leave together ---------
  const lanes: Expr[] = [];
  for (let c = 0; c < C; c++) {
    let prev: Expr = pes[R - 1][c].out('psum_out');
    for (let k = 0; k < C - 1 - c; k++) {
      const q = m.reg(`deskew_${c}_${k}`, accW, { reset: null, signed: true });
      q.set(prev);
      prev = q;
    }
    lanes.push(prev);
  }

  // ---- valid/tlast/tuser delay line beside the datapath -----------------------------------
  const lineLen = R + C + pm;
  let vl: Expr = aFire;
  let l: Expr = sa.lastSig!;
  let u: Expr = sa.userSig!;
  for (let k = 0; k < lineLen; k++) {
    const vq = m.regInit(`v_line_${k}`, 1, 0);
    vq.set(vl);
    const lq = m.reg(`last_line_${k}`, 1, { reset: null });
    lq.set(l);
    const uq = m.reg(`user_line_${k}`, 1, { reset: null });
    uq.set(u);
    [vl, l, u] = [vq, lq, uq];
  }

  flops += (aW * R * (R + 1)) / 2 + (accW * C * (C - 1)) / 2 + C * wW + R + rb + db + 3 * lineLen;
  const outData = cat(...lanes.slice().reverse().map((x) => x.asUnsigned()));
  if (!credits) {
    // No FIFO: every m_axis signal is a register output; the sink takes one beat per cycle.
    mo.driveData(outData);
    mo.driveValid(vl);
    mo.driveLast(l);
    mo.driveUser(u);
    return { module: m, accBits: accW, latency: macArrayLatency(p), fifoDepth: 0, flops };
  }

  // ---- output FIFO; credits guarantee it never overflows -----------------------------------
  const fifo = buildFifo({ width: C * accW, depth: D, last: true, user: true });
  const fi = m.instantiate('out_fifo', fifo.module, { s_axis_tdata: outData, s_axis_tvalid: vl, s_axis_tlast: l, s_axis_tuser: u });
  fi.unused('s_axis_tready', 'credits admit an activation only when its result has a FIFO entry');
  const src = instSource(fi, 'm_axis');
  connectStream(m, src, mo);
  const pop = m.wire('pop', src.valid.and(mo.readySig!));
  m.when(aFire.and(pop.not()), () => credits.set(credits.sub(1, cb))).elsewhen(pop.and(aFire.not()), () => credits.set(credits.add(1, cb)));
  flops += cb + fifoFlops({ width: C * accW, depth: D, last: true, user: true });
  return { module: m, accBits: accW, latency: macArrayLatency(p), fifoDepth: D, flops };
}
