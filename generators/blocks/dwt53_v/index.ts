// Vertical 5/3 lifting core (README.md): rows of K signed lanes per beat in, one output row of
// (low, high) per two input rows, exactly model/camera/dwt.ts forward53 down every column.
// Three row buffers (inferred RAMs, one read one beat ahead of the write): the last even row x[2i],
// the last odd row x[2i+1] and the last high-pass row d[i-1]. Output pair i leaves while row
// 2i+2 arrives, the last pair while the last row arrives (x[N] := x[N-2]), so the core needs the
// frame height (`rows`, a register input: no rebuild to change the mode) but no row-end flush.
import { cat, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const dwt53vParams = defineParams('dwt53_v', {
  lanes: int({ min: 1, max: 64, default: 4, doc: 'columns per beat (K)' }),
  inBits: int({ min: 2, max: 24, default: 12, doc: 'signed input width' }),
  outBits: int({ min: 3, max: 24, default: 12, doc: 'signed coefficient width (stage 1: 12, stage 2: 13)' }),
  maxBeats: int({ min: 2, max: 65536, default: 512, doc: 'longest row in beats (row buffer depth); rows need >= 2 beats' }),
  rowsBits: int({ min: 2, max: 16, default: 12, doc: 'width of the `rows` input (frame height in rows)' }),
  fifoDepth: int({ min: 5, max: 64, default: 6, doc: 'output FIFO entries; >= 6 sustains one beat per clock' }),
});

export type Dwt53vConfig = ReturnType<typeof dwt53vParams.validate>;

export interface Dwt53vInfo {
  module: Module;
  flops: number;
  /** Row buffer RAM bits (three buffers). */
  ramBits: number;
}

const colBits = (maxBeats: number): number => Math.max(1, ceilLog2(maxBeats));

export function dwt53vFlops(p: Dwt53vConfig): number {
  const K = p.lanes, iw = p.inBits, ow = p.outBits, cw = colBits(p.maxBeats);
  const counters = cw + p.rowsBits + ceilLog2(p.fifoDepth + 1) + cw + 3; // + row_len, error pulses
  const s1 = 1 + K * iw + cw + 7;
  const s2 = 1 + K * (2 * ow + iw) + 2;
  const s3 = 1 + K * (2 * ow + iw) + 2;
  return counters + s1 + s2 + s3 + fifoFlops({ width: 2 * K * ow, depth: p.fifoDepth, last: true, user: true });
}

export function buildDwt53v(config: Partial<Dwt53vConfig> = {}): Dwt53vInfo {
  const p = dwt53vParams.validate(config);
  const K = p.lanes, iw = p.inBits, ow = p.outBits, D = p.fifoDepth, rb = p.rowsBits;
  const cw = colBits(p.maxBeats);
  const m = new Module(`dwt53_v_k${K}_i${iw}_o${ow}_b${p.maxBeats}_r${rb}_d${D}`, {
    params: { block: 'dwt53_v', ...p },
    doc: `vertical 5/3 lifting, ${K} x ${iw}-bit signed columns per beat, rows up to ${p.maxBeats} beats -> ${K} low + ${K} high ${ow}-bit signed per beat`,
  });
  const s = streamIn(m, { width: K * iw });
  const o = streamOut(m, { width: 2 * K * ow });
  const rows = m.input('rows', rb, { doc: 'frame height in rows (even, >= 2); read while a frame streams' });
  const lanesOf = (e: Expr, w: number): Expr[] => Array.from({ length: K }, (_, k) => e.slice(w * k + w - 1, w * k).asSigned());

  // ---- stage 0: row/column position, credit check, row buffer reads ---------------------------
  // Frames are counted in rows; a tuser restarts the count (recovery from a truncated frame).
  const colReg = m.regInit('col', cw, 0);
  const rowReg = m.regInit('row', rb, 0);
  const sof = s.userSig!;
  const col = m.wire('col_at', mux(sof, lit(0, cw), colReg));
  const row = m.wire('row_at', mux(sof, lit(0, rb), rowReg));
  const cb = ceilLog2(D + 1);
  const credits = m.regInit('credits', cb, D, { doc: 'FIFO places not yet promised to an output beat' });
  const lastRow = m.wire('last_row', row.eq(rows.sub(1, rb)));
  const odd = row.bit(0);
  const row0 = m.wire('row0', row.eq(0));
  // Beats of even rows >= 2 and of the last row produce an output beat; the others only fill buffers.
  const produces = m.wire('produces', odd.not().and(row0.not()).or(lastRow));
  const ready = m.wire('s_ready', credits.ne(0).or(produces.not()));
  s.driveReady(ready);
  const take = m.wire('take', s.valid.and(ready));
  const creditTake = m.wire('credit_take', take.and(produces));
  m.when(take, () => {
    m.when(s.lastSig!, () => {
      colReg.set(0);
      rowReg.set(mux(lastRow, lit(0, rb), row.add(1, rb)));
    }).otherwise(() => {
      colReg.set(col.add(1, cw));
      rowReg.set(row); // 0 after a tuser
    });
  });

  // ---- input errors: one-cycle pulses, the stream keeps flowing (never a hang) -------------------
  const rowLen = m.reg('row_len', cw, { reset: null, doc: 'last column of the frame\'s first row' });
  m.when(take.and(s.lastSig!).and(row0), () => rowLen.set(col));
  const errSof = m.regInit('err_sof_r', 1, 0);
  const errRow = m.regInit('err_row_r', 1, 0);
  const errCfg = m.regInit('err_cfg_r', 1, 0);
  errSof.set(take.and(sof).and(rowReg.ne(0).or(colReg.ne(0))));
  errRow.set(take.and(mux(s.lastSig!, row0.not().and(col.ne(rowLen)), col.eq(p.maxBeats - 1))));
  errCfg.set(take.and(row0).and(col.eq(0)).and(rows.bit(0).or(rows.lt(2))));
  m.output('err_sof', 1, { doc: 'pulse: tuser inside a frame (the row count restarts)' }).set(errSof);
  m.output('err_row', 1, { doc: 'pulse: a row of another length than the frame\'s first, or longer than maxBeats' }).set(errRow);
  m.output('err_cfg', 1, { doc: 'pulse: a frame started with rows odd or < 2' }).set(errCfg);
  const xeMem = m.memory('xe_mem', { depth: p.maxBeats, width: K * iw });
  const xoMem = m.memory('xo_mem', { depth: p.maxBeats, width: K * iw });
  const dpMem = m.memory('dp_mem', { depth: p.maxBeats, width: K * ow });
  const xeRd = xeMem.readSync(col, { en: take });
  const xoRd = xoMem.readSync(col, { en: take });
  const dpRd = dpMem.readSync(col, { en: take });

  const v1 = m.regInit('v1', 1, 0);
  const cur1 = m.reg('cur1', K * iw, { reset: null });
  const col1 = m.reg('col1', cw, { reset: null });
  const wrEven1 = m.reg('wr_even1', 1, { reset: null, doc: 'even row: store it (and d) in the buffers' });
  const wrOdd1 = m.reg('wr_odd1', 1, { reset: null });
  const prod1 = m.reg('prod1', 1, { reset: null });
  const lastRow1 = m.reg('last_row1', 1, { reset: null });
  const first1 = m.reg('first1', 1, { reset: null, doc: 'output row 0: d[-1] := d[0]' });
  const last1 = m.reg('last1', 1, { reset: null });
  const user1 = m.reg('user1', 1, { reset: null });
  const firstOut = row.eq(2).or(row.eq(1).and(lastRow));
  v1.set(take);
  cur1.set(s.data);
  col1.set(col);
  wrEven1.set(odd.not());
  wrOdd1.set(odd.and(lastRow.not()));
  prod1.set(produces);
  lastRow1.set(lastRow);
  first1.set(firstOut);
  last1.set(s.lastSig!);
  user1.set(firstOut.and(col.eq(0)));

  // ---- stage 1: predict d = x[2i+1] - ((x[2i] + x[2i+2]) >> 1); last row: x[2i+2] := x[2i] ------
  const cur = lanesOf(cur1, iw), xe = lanesOf(xeRd, iw), xo = lanesOf(xoRd, iw), dp = lanesOf(dpRd, ow);
  const d: Expr[] = [];
  for (let k = 0; k < K; k++) {
    const xoEff = mux(lastRow1, cur[k], xo[k]);
    const xnEff = mux(lastRow1, xe[k], cur[k]);
    d.push(m.wire(`predict_${k}`, xoEff.sub(xe[k].add(xnEff).shr(1)).resize(ow)));
  }
  xeMem.write(col1, cur1, v1.and(wrEven1));
  xoMem.write(col1, cur1, v1.and(wrOdd1));
  dpMem.write(col1, cat(...[...d].reverse().map((x) => x.asUnsigned())), v1.and(wrEven1).and(prod1));

  const v2 = m.regInit('v2', 1, 0);
  const d2: Signal[] = [], dm2: Signal[] = [], xe2: Signal[] = [];
  for (let k = 0; k < K; k++) {
    d2.push(m.reg(`d2_${k}`, ow, { reset: null, signed: true }));
    dm2.push(m.reg(`dm2_${k}`, ow, { reset: null, signed: true, doc: 'd[i-1] of this column' }));
    xe2.push(m.reg(`xe2_${k}`, iw, { reset: null, signed: true }));
    d2[k].set(d[k]);
    dm2[k].set(mux(first1, d[k], dp[k]));
    xe2[k].set(xe[k]);
  }
  const last2 = m.reg('last2', 1, { reset: null });
  const user2 = m.reg('user2', 1, { reset: null });
  v2.set(v1.and(prod1));
  last2.set(last1);
  user2.set(user1);

  // ---- stage 2: u = (d[i-1] + d[i] + 2) >> 2 ---------------------------------------------------
  const v3 = m.regInit('v3', 1, 0);
  const u3: Signal[] = [], d3: Signal[] = [], xe3: Signal[] = [];
  for (let k = 0; k < K; k++) {
    u3.push(m.reg(`u3_${k}`, ow, { reset: null, signed: true }));
    d3.push(m.reg(`d3_${k}`, ow, { reset: null, signed: true }));
    xe3.push(m.reg(`xe3_${k}`, iw, { reset: null, signed: true }));
    u3[k].set(dm2[k].add(d2[k]).add(2).shr(2));
    d3[k].set(d2[k]);
    xe3[k].set(xe2[k]);
  }
  const last3 = m.reg('last3', 1, { reset: null });
  const user3 = m.reg('user3', 1, { reset: null });
  v3.set(v2);
  last3.set(last2);
  user3.set(user2);

  // ---- update s = x[2i] + u into the output FIFO -------------------------------------------------
  const lo = Array.from({ length: K }, (_, k) => m.wire(`update_${k}`, xe3[k].add(u3[k]).resize(ow)));
  const fifo = m.instantiate('u_out_fifo', buildFifo({ width: 2 * K * ow, depth: D, last: true, user: true }).module);
  const sink = instSink(fifo);
  sink.driveValid(v3);
  sink.driveData(cat(...[...d3].reverse().map((x) => x.asUnsigned()), ...[...lo].reverse().map((x) => x.asUnsigned())));
  sink.driveLast(last3);
  sink.driveUser(user3);
  fifo.unused('s_axis_tready', 'the credit counter guarantees a free entry on every push');
  const src = instSource(fifo);
  connectStream(m, src, o);
  const pop = m.wire('pop', src.valid.and(o.readySig!));
  m.when(creditTake.and(pop.not()), () => credits.set(credits.sub(1, cb))).elsewhen(pop.and(creditTake.not()), () => credits.set(credits.add(1, cb)));
  return { module: m, flops: dwt53vFlops(p), ramBits: p.maxBeats * K * (2 * iw + ow) };
}
