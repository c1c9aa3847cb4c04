// Vertical inverse 5/3 lifting core (README.md): input row i of K (low, high) columns per beat
// (the dwt53_v output layout), two output rows of K samples per input row, exactly
// model/camera/dwt.ts inverse53 down every column. Two row buffers (inferred RAMs): the last
// even output row e[i-1] and the last high-pass row hi[i-1]. While input row i streams, odd
// row 2i-1 = hi[i-1] + ((e[i-1] + e[i]) >> 1) leaves and e[i] replaces e[i-1] in the buffer;
// then the input pauses while the buffer replays e[i] as row 2i (after the frame's last input
// row a second replay gives row N-1 = hi + e, the x[N] := x[N-2] border). Output: one beat per
// clock throughout, input: one row per two output rows. `rows` (output frame height) is a
// register input, as in dwt53_v.
import { defineParams, int, lit, Module, mux, cat, type Expr, type Signal } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const idwt53vParams = defineParams('idwt53_v', {
  lanes: int({ min: 1, max: 64, default: 4, doc: 'columns per beat (K)' }),
  inBits: int({ min: 3, max: 24, default: 12, doc: 'signed coefficient width' }),
  outBits: int({ min: 3, max: 24, default: 12, doc: 'signed sample width' }),
  maxBeats: int({ min: 2, max: 65536, default: 512, doc: 'longest row in beats (row buffer depth); rows need >= 2 beats' }),
  rowsBits: int({ min: 2, max: 16, default: 12, doc: 'width of the `rows` input (output frame height in rows)' }),
  fifoDepth: int({ min: 4, max: 64, default: 5, doc: 'output FIFO entries; >= 5 sustains one beat per clock' }),
});

export type Idwt53vConfig = ReturnType<typeof idwt53vParams.validate>;

export interface Idwt53vInfo {
  module: Module;
  flops: number;
  /** Row buffer RAM bits (two buffers). */
  ramBits: number;
}

const colBits = (maxBeats: number): number => Math.max(1, ceilLog2(maxBeats));

export function idwt53vFlops(p: Idwt53vConfig): number {
  const K = p.lanes, iw = p.inBits, ow = p.outBits, cw = colBits(p.maxBeats);
  const ctl = 4 * cw + p.rowsBits + 5 + ceilLog2(p.fifoDepth + 1);
  const s1 = 2 * K * iw + cw + 7;
  const s2 = K * (2 * ow + iw) + 4;
  return ctl + s1 + s2 + fifoFlops({ width: K * ow, depth: p.fifoDepth, last: true, user: true });
}

export function buildIdwt53v(config: Partial<Idwt53vConfig> = {}): Idwt53vInfo {
  const p = idwt53vParams.validate(config);
  const K = p.lanes, iw = p.inBits, ow = p.outBits, D = p.fifoDepth, rb = p.rowsBits;
  const cw = colBits(p.maxBeats);
  const m = new Module(`idwt53_v_k${K}_i${iw}_o${ow}_b${p.maxBeats}_r${rb}_d${D}`, {
    params: { block: 'idwt53_v', ...p },
    doc: `vertical inverse 5/3 lifting, ${K} (low, high) ${iw}-bit signed columns per beat, rows up to ${p.maxBeats} beats -> ${K} ${ow}-bit signed samples per beat, two rows per input row`,
  });
  const s = streamIn(m, { width: 2 * K * iw });
  const o = streamOut(m, { width: K * ow });
  const rows = m.input('rows', rb, { doc: 'output frame height in rows (even, >= 2); read while a frame streams' });
  const lanesOf = (e: Expr, w: number, at = 0): Expr[] => Array.from({ length: K }, (_, k) => e.slice(w * (at + k) + w - 1, w * (at + k)).asSigned());

  // ---- control: accept an input row, then replay the even row (twice after the last row) -------
  const colReg = m.regInit('col', cw, 0);
  const irowReg = m.regInit('irow', rb, 0, { doc: 'input row of the frame (row i gives output rows 2i-1, 2i)' });
  const replay = m.regInit('replay', 1, 0, { doc: 'input paused: the row buffer is replayed' });
  const pass2 = m.regInit('pass2', 1, 0, { doc: 'second replay after the last row: row N-1 = hi + e' });
  const rcol = m.regInit('rcol', cw, 0);
  const rowLen = m.reg('row_len', cw, { reset: null, doc: 'last column of the row being replayed' });
  const cb = ceilLog2(D + 1);
  const credits = m.regInit('credits', cb, D, { doc: 'FIFO places not yet promised to an output beat' });
  const creditOk = m.wire('credit_ok', credits.ne(0));
  const sof = s.userSig!;
  const col = m.wire('col_at', mux(sof, lit(0, cw), colReg));
  const irow = m.wire('irow_at', mux(sof, lit(0, rb), irowReg)); // a tuser restarts the frame
  const row0 = m.wire('row0', irow.eq(0));
  const ready = m.wire('s_ready', replay.not().and(creditOk.or(row0)));
  s.driveReady(ready);
  const take = m.wire('take', s.valid.and(ready));
  const produces = m.wire('produces', take.and(row0.not()));
  const lastRow = m.wire('last_row', irowReg.eq(rows.slice(rb - 1, 1).zext(rb).sub(1, rb)));
  // ---- input errors: one-cycle pulses, the stream keeps flowing (never a hang) -------------------
  const firstLen = m.reg('first_len', cw, { reset: null, doc: 'last column of the frame\'s first row' });
  m.when(take.and(s.lastSig!).and(row0), () => firstLen.set(col));
  const errSof = m.regInit('err_sof_r', 1, 0);
  const errRow = m.regInit('err_row_r', 1, 0);
  const errCfg = m.regInit('err_cfg_r', 1, 0);
  errSof.set(take.and(sof).and(irowReg.ne(0).or(colReg.ne(0))));
  errRow.set(take.and(mux(s.lastSig!, row0.not().and(col.ne(firstLen)), col.eq(p.maxBeats - 1))));
  errCfg.set(take.and(row0).and(col.eq(0)).and(rows.bit(0).or(rows.lt(2))));
  m.output('err_sof', 1, { doc: 'pulse: tuser inside a frame (the row count restarts)' }).set(errSof);
  m.output('err_row', 1, { doc: 'pulse: an input row of another length than the frame\'s first, or longer than maxBeats' }).set(errRow);
  m.output('err_cfg', 1, { doc: 'pulse: a frame started with rows odd or < 2' }).set(errCfg);
  const issue = m.wire('issue', replay.and(creditOk));
  const rEnd = m.wire('replay_end', rcol.eq(rowLen));
  m.when(take, () => {
    irowReg.set(irow);
    m.when(s.lastSig!, () => {
      colReg.set(0);
      replay.set(1);
      rowLen.set(col);
    }).otherwise(() => colReg.set(col.add(1, cw)));
  });
  m.when(issue, () => {
    m.when(rEnd, () => {
      rcol.set(0);
      m.when(lastRow.and(pass2.not()), () => pass2.set(1)).otherwise(() => {
        replay.set(0);
        pass2.set(0);
        irowReg.set(mux(lastRow, lit(0, rb), irowReg.add(1, rb)));
      });
    }).otherwise(() => rcol.set(rcol.add(1, cw)));
  });

  // ---- row buffers: one read port (accept or replay), written one clock after an accept --------
  const eMem = m.memory('e_mem', { depth: p.maxBeats, width: K * ow });
  const hMem = m.memory('h_mem', { depth: p.maxBeats, width: K * iw });
  const rdAddr = m.wire('rd_addr', mux(replay, rcol, col));
  const rdEn = m.wire('rd_en', take.or(issue));
  const eRd = eMem.readSync(rdAddr, { en: rdEn });
  const hRd = hMem.readSync(rdAddr, { en: rdEn });

  // ---- stage 1: even row e[i] = lo - ((hi[i-1] + hi + 2) >> 2), hi[-1] := hi[0] ------------------
  const v1 = m.regInit('v1', 1, 0, { doc: 'an accepted beat' });
  const rv1 = m.regInit('rv1', 1, 0, { doc: 'a replayed beat' });
  const cur1 = m.reg('cur1', 2 * K * iw, { reset: null });
  const col1 = m.reg('col1', cw, { reset: null });
  const row0_1 = m.reg('row0_1', 1, { reset: null });
  const prod1 = m.reg('prod1', 1, { reset: null });
  const last1 = m.reg('last1', 1, { reset: null, doc: 'tlast of the beat (accept: input tlast, replay: row end)' });
  const even1 = m.reg('even1', 1, { reset: null, doc: 'replay of e (not the hi + e last row)' });
  const user1 = m.reg('user1', 1, { reset: null });
  v1.set(take);
  rv1.set(issue);
  cur1.set(s.data);
  col1.set(col);
  row0_1.set(row0);
  prod1.set(produces);
  last1.set(mux(replay, rEnd, s.lastSig!));
  even1.set(replay.and(pass2.not()));
  user1.set(replay.and(pass2.not()).and(irowReg.eq(0)).and(rcol.eq(0)));
  const lo = lanesOf(cur1, iw), hi = lanesOf(cur1, iw, K), eOld = lanesOf(eRd, ow), hOld = lanesOf(hRd, iw);
  const eNew: Expr[] = [];
  for (let k = 0; k < K; k++) {
    const hm1 = mux(row0_1, hi[k], hOld[k]);
    eNew.push(m.wire(`even_${k}`, lo[k].sub(hm1.add(hi[k]).add(2).shr(2)).resize(ow)));
  }
  eMem.write(col1, cat(...[...eNew].reverse().map((x) => x.asUnsigned())), v1);
  hMem.write(col1, cat(...[...hi].reverse().map((x) => x.asUnsigned())), v1);

  // ---- stage 2: odd = h + ((a + b) >> 1) (accept: a = e[i-1], b = e[i]; last row: a = b = e) -----
  const v2 = m.regInit('v2', 1, 0);
  const a2: Signal[] = [], b2: Signal[] = [], h2: Signal[] = [];
  for (let k = 0; k < K; k++) {
    a2.push(m.reg(`a2_${k}`, ow, { reset: null, signed: true }));
    b2.push(m.reg(`b2_${k}`, ow, { reset: null, signed: true }));
    h2.push(m.reg(`h2_${k}`, iw, { reset: null, signed: true }));
    a2[k].set(eOld[k]);
    b2[k].set(mux(rv1, eOld[k], eNew[k]));
    h2[k].set(hOld[k]);
  }
  const even2 = m.reg('even2', 1, { reset: null });
  const last2 = m.reg('last2', 1, { reset: null });
  const user2 = m.reg('user2', 1, { reset: null });
  v2.set(v1.and(prod1).or(rv1));
  even2.set(rv1.and(even1));
  last2.set(last1);
  user2.set(rv1.and(user1));
  const outs = Array.from({ length: K }, (_, k) => m.wire(`out_${k}`, mux(even2, a2[k], h2[k].add(a2[k].add(b2[k]).shr(1)).resize(ow))));

  const fifo = m.instantiate('u_out_fifo', buildFifo({ width: K * ow, depth: D, last: true, user: true }).module);
  const sink = instSink(fifo);
  sink.driveValid(v2);
  sink.driveData(cat(...[...outs].reverse().map((x) => x.asUnsigned())));
  sink.driveLast(last2);
  sink.driveUser(user2);
  fifo.unused('s_axis_tready', 'the credit counter guarantees a free entry on every push');
  const src = instSource(fifo);
  connectStream(m, src, o);
  const pop = m.wire('pop', src.valid.and(o.readySig!));
  const creditTake = m.wire('credit_take', produces.or(issue));
  m.when(creditTake.and(pop.not()), () => credits.set(credits.sub(1, cb))).elsewhen(pop.and(creditTake.not()), () => credits.set(credits.add(1, cb)));
  return { module: m, flops: idwt53vFlops(p), ramBits: p.maxBeats * K * (ow + iw) };
}
