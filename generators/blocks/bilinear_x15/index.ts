// Bilinear x1.5 pre-upscaler (README.md): LR rows go into a ring of three line RAMs; a row
// sequencer issues each HR row from two stored LR rows into a free-running datapath (token,
// RAM read, vertical products, vertical sum, horizontal products, round) that feeds an output
// FIFO whose free entries it tracks with credits, so no stall enable fans out from
// m_axis_tready. Bit-exact with model/net/skip.ts per channel.
import { cat, defineParams, int, lit, Module, mux, rep, select, type Expr, type Signal } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const bilinearX15Params = defineParams(
  'bilinear_x15',
  {
    channels: int({ min: 1, max: 4, default: 3, doc: 'channels per pixel, 8 bits each (1 = luma, 3 = RGB)' }),
    maxWidth: int({ min: 2, max: 8192, default: 1280, doc: 'longest LR line in pixels (RAM depth), even' }),
    heightBits: int({ min: 2, max: 16, default: 11, doc: 'width of the cfg_height input (LR lines per frame)' }),
  },
  [(p) => (p.maxWidth % 2 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be even (LR lines come in pixel pairs)`)],
);

export type BilinearX15Config = ReturnType<typeof bilinearX15Params.validate>;

export interface BilinearX15Info {
  module: Module;
  /** Line RAM bits: 3 rows x maxWidth x 8·channels. */
  ramBits: number;
  flops: number;
  /** Pipeline registers from the row sequencer to the output FIFO (S0..S4). */
  latency: number;
}

/** Number of LR rows held: the minimum for full output throughput (README.md, "Row ring"). */
export const SLOTS = 3;
/** Vertical and horizontal weight of the first tap per phase p = 0, 1, 2 (in 64ths). */
const W_FIRST = [11, 32, 53];
const W_SECOND = [53, 32, 11];
/** Output FIFO entries: a credit returns 7 cycles after its pixel is issued (5 pipeline
 *  registers, FIFO write, pop), so 7 sustain one pixel per cycle; 8 leave slack. */
export const FIFO_DEPTH = 8;
const CREDIT_BITS = ceilLog2(FIFO_DEPTH + 1);

const addrBits = (maxWidth: number) => Math.max(1, ceilLog2(maxWidth));

export function bilinearX15Name(p: BilinearX15Config): string {
  return `bilinear_x15_c${p.channels}_w${p.maxWidth}_h${p.heightBits}`;
}

export function bilinearX15Flops(p: BilinearX15Config): number {
  const AB = addrBits(p.maxWidth), HB = p.heightBits, C = p.channels;
  const input = AB + 2 + 1 + 2 + SLOTS * AB + (HB + 1);
  const sequencer = 1 + 2 + (HB - 1) + 2 + AB + 2 + AB + CREDIT_BITS + (HB - 1) + 2 + 2 * (HB + 1);
  const st0 = 1 + AB + 2 + 4 + 2 + 2 + 2;
  const s1 = 3 + 2 * SLOTS + 2 + 2 + 2;
  const s2 = 5 + 2 + C * 28;
  const s3 = 3 + 2 + C * 28;
  const s4 = 3 + C * 40;
  return input + sequencer + st0 + s1 + s2 + s3 + s4 + fifoFlops({ width: 8 * C, depth: FIFO_DEPTH });
}

export function buildBilinearX15(config: Partial<BilinearX15Config> = {}): BilinearX15Info {
  const p = bilinearX15Params.validate(config);
  const C = p.channels, HB = p.heightBits, JB = HB - 1;
  const AB = addrBits(p.maxWidth);
  const PW = 8 * C;
  const m = new Module(bilinearX15Name(p), {
    params: { block: 'bilinear_x15', ...p },
    doc: `bilinear x1.5 upscaler (skip path), ${C} x 8-bit channels, LR lines up to ${p.maxWidth} px`,
  });
  const s = streamIn(m, { width: PW }, 's_axis');
  const o = streamOut(m, { width: PW }, 'm_axis');
  const height = m.input('cfg_height', HB, { doc: 'LR lines per frame (even, >= 2), static while frames are in flight' });
  m.unused(s.userSig!, 'frames are delimited by counting cfg_height lines; tuser is not needed to find them');

  const inc3 = (v: Expr) => select(v, [lit(1, 2), lit(2, 2), lit(0, 2)], lit(0, 2));
  const dec3 = (v: Expr) => select(v, [lit(2, 2), lit(0, 2), lit(1, 2)], lit(0, 2));

  // ---- input side: write LR rows into the ring ----------------------------------------
  const wx = m.regInit('wr_x', AB, 0, { doc: 'column of the next input pixel' });
  const wslot = m.regInit('wr_slot', 2, 0, { doc: 'ring slot of the row being written (0..2)' });
  const midRow = m.regInit('wr_mid_row', 1, 0, { doc: 'a row is partly written' });
  const occ = m.regInit('occupied', 2, 0, { doc: 'ring slots holding a row not yet released (0..3)' });
  const avail = m.regInit('rows_avail', HB + 1, 0, { doc: 'complete rows counted from row 0 of the frame being output' });
  const slotLast: Signal[] = [];
  for (let i = 0; i < SLOTS; i++) slotLast.push(m.reg(`slot_last_x_${i}`, AB, { reset: null, doc: i === 0 ? 'last column index of the row in each slot' : undefined }));

  const sReady = m.wire('in_ready', midRow.or(occ.ne(SLOTS)));
  s.driveReady(sReady);
  const take = m.wire('in_take', s.valid.and(sReady));
  const rowDone = m.wire('in_row_done', take.and(s.lastSig!));
  const mems = Array.from({ length: SLOTS }, (_, i) => m.memory(`row_${i}`, { depth: p.maxWidth, width: PW, doc: i === 0 ? 'LR row ring slot (one pixel per word)' : undefined }));
  for (let i = 0; i < SLOTS; i++) mems[i].write(wx, s.data, take.and(wslot.eq(i)));
  m.when(take, () => {
    m.when(s.lastSig!, () => {
      wx.set(0);
      midRow.set(0);
      wslot.set(inc3(wslot));
      for (let i = 0; i < SLOTS; i++) m.when(wslot.eq(i), () => slotLast[i].set(wx));
    }).otherwise(() => {
      wx.set(wx.add(1, AB));
      midRow.set(1);
    });
  });

  // ---- row sequencer -----------------------------------------------------------------
  const fifo = m.instantiate('out_fifo', buildFifo({ width: PW, depth: FIFO_DEPTH }).module);
  fifo.unused('s_axis_tready', 'credits guarantee a free entry for every issued pixel');
  const credits = m.regInit('credits', CREDIT_BITS, FIFO_DEPTH, { doc: 'output FIFO entries not yet claimed by an issued pixel' });
  const pop = m.wire('out_pop', fifo.out('m_axis_tvalid').and(o.readySig!));
  const busy = m.regInit('row_busy', 1, 0, { doc: 'an HR row is being issued' });
  const py = m.regInit('row_phase', 2, 0, { doc: 'HR row 3j+p: vertical phase p' });
  const j = m.regInit('row_pair', JB, 0, { doc: 'HR row 3j+p: LR pair j of the frame' });
  const s0 = m.regInit('row_slot_even', 2, 0, { doc: 'ring slot of LR row 2j' });
  const xk = m.reg('col_even', AB, { reset: null, doc: 'HR column 3k+q: 2k' });
  const ph = m.reg('col_phase', 2, { reset: null, doc: 'HR column 3k+q: horizontal phase q' });
  const rowLast = m.reg('row_last_x', AB, { reset: null, doc: 'last LR column of the row being issued' });

  // cfg_height is static: h/2 - 1 is kept in a register so it stays off the issue path.
  const pairsM1 = m.reg('pairs_m1', JB, { reset: null, doc: 'cfg_height/2 - 1: index of the last LR pair' });
  pairsM1.set(height.slice(HB - 1, 1).sub(1, JB));
  const lastPair = m.wire('last_pair', j.eq(pairsM1));
  const j2 = cat(j, lit(0, 1)).zext(HB + 1);
  const hiRow = m.wire('hi_row', select(py, [j2, j2.add(1, HB + 1), mux(lastPair, j2.add(1, HB + 1), j2.add(2, HB + 1))], j2));
  // Registered (one cycle late): it may only be stale-true right after a row ends (avail
  // drops and hiRow grows only then), so a row never starts in the cycle after row_end.
  const rowReady = m.regInit('row_ready', 1, 0, { doc: 'the rows of the next HR row are complete (as of last cycle)' });
  const ended = m.regInit('row_ended', 1, 0, { doc: 'a row ended last cycle: row_ready is stale' });
  rowReady.set(avail.gt(hiRow));
  const slotA = m.wire('slot_a', select(py, [mux(j.eq(0), s0, dec3(s0)), s0, inc3(s0)], s0));
  const slotB = m.wire('slot_b', select(py, [s0, inc3(s0), mux(lastPair, inc3(s0), dec3(s0))], s0));

  // The row-start token only loads column 0 (no output pixel), so it needs no credit.
  const start = m.wire('row_start', busy.not().and(rowReady).and(ended.not()));
  const step = m.wire('pix_issue', busy.and(credits.ne(0)));
  const issue = m.wire('issue', start.or(step));
  const lastK = m.wire('last_pair_x', xk.add(1).ge(rowLast));
  // 2k + 2 (wraps only when it is not used: after the last pair); widened so maxWidth = 2 works.
  const xk2 = m.wire('col_even_next', xk.zext(AB + 1).add(2, AB + 1).trunc(AB));
  const col = m.wire('rd_col', mux(busy, select(ph, [xk, xk.add(1, AB), mux(lastK, rowLast, xk2)], xk), lit(0, AB)));
  // Each HR pixel 3k+q reads LR columns (2k-1+q, 2k+q); consecutive pixels share one, so a
  // new column is shifted in for q = 1, 2 (and twice, column 0, at the row start).
  const shift = m.wire('shift_col', busy.not().or(ph.ne(0)).or(xk.eq(0)));
  const rowEnd = m.wire('row_end', step.and(ph.eq(2)).and(lastK));
  const frameEnd = m.wire('frame_end', rowEnd.and(py.eq(2)).and(lastPair));
  const release = m.wire('row_release', rowEnd.and(py.eq(1).or(py.eq(0).and(j.ne(0))).or(py.eq(2).and(lastPair))));

  m.when(start, () => {
    busy.set(1);
    xk.set(0);
    ph.set(0);
    rowLast.set(select(slotB, slotLast, slotLast[0]));
  });
  m.when(step, () => {
    m.when(ph.eq(2), () => {
      ph.set(0);
      xk.set(xk2);
      m.when(lastK, () => {
        busy.set(0);
        m.when(py.eq(2), () => {
          py.set(0);
          s0.set(dec3(s0));
          j.set(mux(lastPair, lit(0, JB), j.add(1, JB)));
        }).otherwise(() => py.set(py.add(1, 2)));
      });
    }).otherwise(() => ph.set(ph.add(1, 2)));
  });
  ended.set(rowEnd);
  credits.set(credits.sub(step.zext(CREDIT_BITS), CREDIT_BITS).add(pop.zext(CREDIT_BITS), CREDIT_BITS));

  occ.set(occ.add(take.and(midRow.not()).zext(2), 2).sub(release.zext(2), 2));
  // avail += rowDone - (frameEnd ? h : 0) with one adder: the two negative steps -h and
  // 1 - h are precomputed from the (static) cfg_height in registers.
  const negH = m.reg('avail_neg_h', HB + 1, { reset: null, doc: '-cfg_height (mod 2^(heightBits+1))' });
  const negH1 = m.reg('avail_neg_h1', HB + 1, { reset: null, doc: '1 - cfg_height' });
  negH.set(lit(0, HB + 1).sub(height.zext(HB + 1), HB + 1));
  negH1.set(lit(1, HB + 1).sub(height.zext(HB + 1), HB + 1));
  const availStep = select(cat(frameEnd, rowDone), [lit(0, HB + 1), lit(1, HB + 1), negH, negH1]);
  avail.set(avail.add(availStep, HB + 1));

  // ---- S0: the issued token, registered, so the RAM address comes straight from a flop --
  const v0 = m.regInit('s0_valid', 1, 0);
  const addr0 = m.reg('s0_col', AB, { reset: null, doc: 'LR column read from the ring' });
  const sh0 = m.reg('s0_shift', 1, { reset: null });
  const em0 = m.reg('s0_emit', 1, { reset: null });
  const sa0 = m.reg('s0_slot_a', 2, { reset: null });
  const sb0 = m.reg('s0_slot_b', 2, { reset: null });
  const pv0 = m.reg('s0_vphase', 2, { reset: null });
  const ph0 = m.reg('s0_hphase', 2, { reset: null });
  const last0 = m.reg('s0_last', 1, { reset: null });
  const user0 = m.reg('s0_user', 1, { reset: null });
  v0.set(issue);
  addr0.set(col);
  sh0.set(shift);
  em0.set(busy);
  sa0.set(slotA);
  sb0.set(slotB);
  pv0.set(py);
  ph0.set(ph);
  last0.set(busy.and(ph.eq(2)).and(lastK));
  user0.set(busy.and(ph.eq(0)).and(xk.eq(0)).and(py.eq(0)).and(j.eq(0)));

  // ---- S1: registered RAM reads + the token's control --------------------------------
  const rd = mems.map((mem, i) => mem.readSync(addr0, { en: v0, name: `row_${i}_q` }));
  const v1 = m.regInit('s1_valid', 1, 0);
  const sh1 = m.reg('s1_shift', 1, { reset: null });
  const em1 = m.reg('s1_emit', 1, { reset: null });
  // Slots one-hot: the RAM word pick is an AND-OR, one gate level after the RAM registers.
  const sa1 = m.reg('s1_slot_a', SLOTS, { reset: null, doc: 'slot of LR row a, one-hot' });
  const sb1 = m.reg('s1_slot_b', SLOTS, { reset: null, doc: 'slot of LR row b, one-hot' });
  const pv1 = m.reg('s1_vphase', 2, { reset: null });
  const ph1 = m.reg('s1_hphase', 2, { reset: null });
  const last1 = m.reg('s1_last', 1, { reset: null });
  const user1 = m.reg('s1_user', 1, { reset: null });
  v1.set(v0);
  sh1.set(sh0);
  em1.set(em0);
  const oneHot = (v: Expr) => cat(...Array.from({ length: SLOTS }, (_, i) => v.eq(SLOTS - 1 - i)));
  sa1.set(oneHot(sa0));
  sb1.set(oneHot(sb0));
  pv1.set(pv0);
  ph1.set(ph0);
  last1.set(last0);
  user1.set(user0);

  // ---- S2: vertical products wa·A, wb·B (14 bits each): constant products, then a pick by
  // phase (shallower than a multiplier by a selected weight) ----------------------------
  const v2 = m.regInit('s2_valid', 1, 0);
  const sh2 = m.reg('s2_shift', 1, { reset: null });
  const em2 = m.reg('s2_emit', 1, { reset: null });
  const ph2 = m.reg('s2_hphase', 2, { reset: null });
  const last2 = m.reg('s2_last', 1, { reset: null });
  const user2 = m.reg('s2_user', 1, { reset: null });
  const pick = (oh: Signal) => rd.map((r, i) => r.and(rep(oh.bit(i), PW))).reduce((x, y) => x.or(y));
  const wordA = m.wire('word_a', pick(sa1));
  const wordB = m.wire('word_b', pick(sb1));
  const pA: Signal[] = [], pB: Signal[] = [];
  for (let c = 0; c < C; c++) {
    pA.push(m.reg(`s2_pa_${c}`, 14, { reset: null }));
    pB.push(m.reg(`s2_pb_${c}`, 14, { reset: null }));
  }
  v2.set(v1);
  sh2.set(sh1);
  em2.set(em1);
  ph2.set(ph1);
  last2.set(last1);
  user2.set(user1);
  for (let c = 0; c < C; c++) {
    const a = wordA.slice(8 * c + 7, 8 * c), b = wordB.slice(8 * c + 7, 8 * c);
    pA[c].set(select(pv1, W_FIRST.map((w) => a.mul(lit(w, 6))), lit(0, 14)));
    pB[c].set(select(pv1, W_SECOND.map((w) => b.mul(lit(w, 6))), lit(0, 14)));
  }

  // ---- S3: vertical sum into the 2-column window (unrounded, 14 bits) -----------------
  const v3 = m.regInit('s3_valid', 1, 0);
  const ph3 = m.reg('s3_hphase', 2, { reset: null });
  const last3 = m.reg('s3_last', 1, { reset: null });
  const user3 = m.reg('s3_user', 1, { reset: null });
  const winL: Signal[] = [], winR: Signal[] = [];
  for (let c = 0; c < C; c++) {
    winL.push(m.reg(`win_l_${c}`, 14, { reset: null }));
    winR.push(m.reg(`win_r_${c}`, 14, { reset: null }));
  }
  v3.set(v2.and(em2));
  ph3.set(ph2);
  last3.set(last2);
  user3.set(user2);
  m.when(v2.and(sh2), () => {
    for (let c = 0; c < C; c++) {
      winL[c].set(winR[c]);
      // 64·255 = 16320 < 2^14: the vertical sum never wraps.
      winR[c].set(pA[c].add(pB[c], 14));
    }
  });

  // ---- S4: horizontal products (20 bits each), constant products picked by phase --------
  const v4 = m.regInit('s4_valid', 1, 0);
  const last4 = m.reg('s4_last', 1, { reset: null });
  const user4 = m.reg('s4_user', 1, { reset: null });
  const hL: Signal[] = [], hR: Signal[] = [];
  for (let c = 0; c < C; c++) {
    hL.push(m.reg(`s4_hl_${c}`, 20, { reset: null }));
    hR.push(m.reg(`s4_hr_${c}`, 20, { reset: null }));
  }
  v4.set(v3);
  last4.set(last3);
  user4.set(user3);
  for (let c = 0; c < C; c++) {
    hL[c].set(select(ph3, W_FIRST.map((w) => winL[c].mul(lit(w, 6))), lit(0, 20)));
    hR[c].set(select(ph3, W_SECOND.map((w) => winR[c].mul(lit(w, 6))), lit(0, 20)));
  }

  // ---- round into the output FIFO: (sum + 2048) >> 12, sum < 2^20 ---------------------
  const q: Expr[] = [];
  for (let c = C - 1; c >= 0; c--) q.push(hL[c].add(hR[c], 20).add(2048, 20).shr(12));
  fifo.connect('s_axis_tdata', m.wire('out_pix', cat(...q)));
  fifo.connect('s_axis_tvalid', v4);
  fifo.connect('s_axis_tlast', last4);
  fifo.connect('s_axis_tuser', user4);
  fifo.connect('m_axis_tready', o.readySig!);
  o.driveData(fifo.out('m_axis_tdata'));
  o.driveValid(fifo.out('m_axis_tvalid'));
  o.driveLast(fifo.out('m_axis_tlast'));
  o.driveUser(fifo.out('m_axis_tuser'));

  return { module: m, ramBits: SLOTS * p.maxWidth * PW, flops: bilinearX15Flops(p), latency: 5 };
}
