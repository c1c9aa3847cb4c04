// cell_unpack builder (README.md): HR cells (9 pixels of `pixelBits` each) -> HR pixels in raster order,
// owned cell columns only. Two row banks (ping-pong RAMs): the writer fills one with grid row i+1
// while the reader streams grid row i out of the other as 3 HR rows; a registered read stage and
// a 3-pixel shift register give 1 pixel per cycle.
import { cat, defineParams, int, lit, Module, mux, oneOf, type Expr, type Signal } from '../../core/index.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const cellUnpackParams = defineParams(
  'cell_unpack',
  {
    maxCells: int({ min: 2, max: 4096, default: 640, doc: 'cells per grid row at most (depth of each row bank)' }),
    dimBits: int({ min: 2, max: 16, default: 12, doc: 'width of the cfg_width_cells / cfg_own_lo / cfg_own_hi inputs' }),
    pixelBits: oneOf([8, 24] as const, { default: 8, doc: 'bits per HR pixel: 8 = luma; 24 = {Cr, Cb, Y} (video rgb888)' }),
  },
  [(p) => (p.maxCells < 2 ** p.dimBits ? undefined : `maxCells = ${p.maxCells} does not fit dimBits = ${p.dimBits} (max ${2 ** p.dimBits - 1})`)],
);

export type CellUnpackConfig = ReturnType<typeof cellUnpackParams.validate>;

export interface CellUnpackInfo {
  module: Module;
  /** Cycles from the handshake of a grid row's last cell to its first HR pixel on m_axis, when the reader is idle. */
  latency: number;
  /** RAM bits: 2 banks x maxCells x 9 pixelBits. */
  ramBits: number;
  flops: number;
}

export const CELL_UNPACK_LATENCY = 4;
export const HR_CELL_BITS = 72;
/** Bits of one HR cell word: 9 pixels. */
export const hrCellBits = (p: Pick<CellUnpackConfig, 'pixelBits'>): number => 9 * p.pixelBits;

export function cellUnpackFlops(p: CellUnpackConfig): number {
  const D = p.dimBits;
  const writer = 7 + 8 * D; // framed, col, wb, latched w-1/lo/hi, row_sof, full x2, per-bank lo/hi-1/sof
  const reader = 11 + D; // rb, active, j, py, first, read stage {valid, py, user, last cell, bank}
  const serial = 6 + 3 * p.pixelBits; // valid, 3-pixel shift register, px, last, user, last cell
  return writer + reader + serial;
}

export function buildCellUnpack(config: Partial<CellUnpackConfig> = {}): CellUnpackInfo {
  const p = cellUnpackParams.validate(config);
  const D = p.dimBits;
  const A = Math.max(1, ceilLog2(p.maxCells));
  const PB = p.pixelBits, CW = hrCellBits(p);
  const m = new Module(`cell_unpack_c${p.maxCells}_d${D}${PB === 8 ? '' : `_b${PB}`}`, {
    params: { block: 'cell_unpack', ...p },
    doc: `HR cells -> HR pixels of the owned cell columns; 2 row banks of ${p.maxCells} x ${CW} bits`,
  });
  const s = streamIn(m, { width: CW });
  const o = streamOut(m, { width: PB });
  const cfgW = m.input('cfg_width_cells', D, { doc: 'cells per grid row (1..maxCells); sampled with the tuser cell' });
  const cfgLo = m.input('cfg_own_lo', D, { doc: 'first owned cell column; sampled with the tuser cell' });
  const cfgHi = m.input('cfg_own_hi', D, { doc: 'one past the last owned cell column (lo < hi <= width); sampled with the tuser cell' });
  m.unused(s.lastSig!, 'grid rows are counted with cfg_width_cells; the cell stream tlast is redundant');
  const banks = [0, 1].map((b) => m.memory(`bank${b}`, { depth: p.maxCells, width: CW }));
  const pick = <T extends Expr>(sel: Expr, v: readonly T[]): Expr => mux(sel, v[1], v[0]);

  // ---- writer ----------------------------------------------------------------------------------
  const framed = m.regInit('framed', 1, 0, { doc: 'a tuser cell has been seen since reset' });
  const col = m.reg('col', D, { reset: null });
  const wb = m.regInit('wb', 1, 0, { doc: 'bank being written' });
  const fWm1 = m.reg('f_w_m1', D, { reset: null, doc: 'latched cfg_width_cells - 1' });
  const fLo = m.reg('f_lo', D, { reset: null });
  const fHi = m.reg('f_hi', D, { reset: null });
  const rowSof = m.reg('row_sof', 1, { reset: null, doc: 'the row being written is the first of its frame' });
  const full = [0, 1].map((b) => m.regInit(`full${b}`, 1, 0, { doc: `bank ${b} holds a complete row` }));
  const bLo = [0, 1].map((b) => m.reg(`b_lo${b}`, D, { reset: null }));
  const bHiM1 = [0, 1].map((b) => m.reg(`b_hi_m1_${b}`, D, { reset: null }));
  const bSof = [0, 1].map((b) => m.reg(`b_sof${b}`, 1, { reset: null }));

  const tuser = s.userSig!;
  const sReady = m.wire('s_ready', pick(wb, full).not());
  s.driveReady(sReady);
  const fire = m.wire('fire', s.valid.and(sReady));
  const accept = m.wire('accept', fire.and(framed.or(tuser)));
  const wM1 = m.wire('w_m1_eff', mux(tuser, cfgW.sub(1, D), fWm1));
  const colEff = m.wire('col_eff', mux(tuser, lit(0, D), col));
  const loEff = m.wire('lo_eff', mux(tuser, cfgLo, fLo));
  const hiEff = m.wire('hi_eff', mux(tuser, cfgHi, fHi));
  const sofEff = m.wire('sof_eff', tuser.or(rowSof));
  const rowEnd = m.wire('row_end', colEff.eq(wM1));
  banks.forEach((bank, b) => bank.write(colEff.resize(A), s.data, accept.and(wb.eq(b))));
  m.when(accept, () => {
    m.when(tuser, () => {
      framed.set(1);
      fWm1.set(wM1);
      fLo.set(cfgLo);
      fHi.set(cfgHi);
    });
    m.when(rowEnd, () => {
      col.set(0);
      rowSof.set(0);
      wb.set(wb.not());
      [0, 1].forEach((b) =>
        m.when(wb.eq(b), () => {
          full[b].set(1);
          bLo[b].set(loEff);
          bHiM1[b].set(hiEff.sub(1, D));
          bSof[b].set(sofEff);
        }),
      );
    }).otherwise(() => {
      col.set(colEff.add(1, D));
      rowSof.set(sofEff);
    });
  });

  // ---- reader: address generator over a full bank (3 passes over [lo, hi)) ----------------------
  const rb = m.regInit('rb', 1, 0, { doc: 'bank being read' });
  const active = m.regInit('active', 1, 0, { doc: 'reading bank rb' });
  const gJ = m.reg('g_j', D, { reset: null });
  const gPy = m.reg('g_py', 2, { reset: null });
  const gFirst = m.reg('g_first', 1, { reset: null, doc: 'the next read is the frame\'s first cell' });
  const rdValid = m.regInit('rd_valid', 1, 0, { doc: 'the read stage holds a cell' });
  const rdPy = m.reg('rd_py', 2, { reset: null });
  const rdUser = m.reg('rd_user', 1, { reset: null });
  const rdLastCell = m.reg('rd_last_cell', 1, { reset: null });
  const rdBank = m.reg('rd_bank', 1, { reset: null });
  // Shift register of the 3 pixels of one cell row: m_axis comes straight from flops.
  const oValid = m.regInit('o_valid', 1, 0);
  const sh = m.reg('sh', 3 * PB, { reset: null });
  const px = m.reg('px', 2, { reset: null });
  const oLast = m.reg('o_last', 1, { reset: null });
  const oUser = m.reg('o_user', 1, { reset: null });
  const oLastCell = m.reg('o_last_cell', 1, { reset: null });

  const mReady = o.readySig!;
  const oFire = m.wire('o_fire', oValid.and(mReady));
  const pxEnd = m.wire('px_end', px.eq(2));
  const rdTake = m.wire('rd_take', rdValid.and(oValid.not().or(oFire.and(pxEnd))));
  const issue = m.wire('issue', active.and(rdValid.not().or(rdTake)));
  const loR = pick(rb, bLo);
  const jLast = m.wire('j_last', gJ.eq(pick(rb, bHiM1)));
  const rdata: Signal[] = banks.map((bank, b) => bank.readSync(gJ.resize(A), { en: issue.and(rb.eq(b)), name: `bank${b}_rdata` }));

  m.when(active.not().and(pick(rb, full)), () => {
    active.set(1);
    gJ.set(loR);
    gPy.set(0);
    gFirst.set(pick(rb, bSof));
  });
  m.when(issue, () => {
    rdValid.set(1);
    rdPy.set(gPy);
    rdUser.set(gFirst);
    rdLastCell.set(jLast);
    rdBank.set(rb);
    gFirst.set(0);
    m.when(jLast, () => {
      gJ.set(loR);
      m.when(gPy.eq(2), () => {
        // The last read of the bank is captured at this edge: the writer may refill it from now.
        active.set(0);
        rb.set(rb.not());
        [0, 1].forEach((b) => m.when(rb.eq(b), () => full[b].set(0)));
      }).otherwise(() => gPy.set(gPy.add(1, 2)));
    }).otherwise(() => gJ.set(gJ.add(1, D)));
  }).elsewhen(rdTake, () => rdValid.set(0));

  // ---- serializer ------------------------------------------------------------------------------
  const cellData = m.wire('rd_cell', pick(rdBank, rdata));
  const R = 3 * PB; // one cell row: 3 pixels
  const rowSlice = m.wire('rd_row', mux(rdPy.bit(1), cellData.slice(3 * R - 1, 2 * R), mux(rdPy.bit(0), cellData.slice(2 * R - 1, R), cellData.slice(R - 1, 0))));
  m.when(rdTake, () => {
    oValid.set(1);
    sh.set(rowSlice);
    px.set(0);
    oUser.set(rdUser);
    oLastCell.set(rdLastCell);
    oLast.set(0);
  }).elsewhen(oFire, () => {
    m.when(pxEnd, () => oValid.set(0)).otherwise(() => {
      px.set(px.add(1, 2));
      sh.set(cat(lit(0, PB), sh.slice(R - 1, PB)));
      oUser.set(0);
      oLast.set(oLastCell.and(px.eq(1)));
    });
  });
  o.driveData(sh.slice(PB - 1, 0));
  o.driveValid(oValid);
  o.driveLast(oLast);
  o.driveUser(oUser);

  return { module: m, latency: CELL_UNPACK_LATENCY, ramBits: 2 * p.maxCells * CW, flops: cellUnpackFlops(p) };
}
