// cell_pack builder (README.md): LR pixels (1 per beat, raster; `planes` 8-bit planes each, e.g.
// Y or {Cr, Cb, Y}) -> grid cells (2x2 pixels per plane, int8 = v - 128, docs/fixed-point.md
// section 2), with input-error detection and recovery.
// Structure: a one-beat input register (so s_axis_tready depends on flops only, never on
// s_axis_tuser), the decision FSM with the even-row RAM, and a skid buffer on m_axis.
import { cat, defineParams, int, lit, Module, mux, oneOf, type Expr } from '../../core/index.ts';
import { buildSkidBuffer, skidFlops } from '../axis/skid_buffer.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const cellPackParams = defineParams(
  'cell_pack',
  {
    maxWidth: int({ min: 4, max: 8192, default: 1280, doc: 'longest LR line in pixels (even); the even-row RAM holds maxWidth/2 (>= 2) words' }),
    dimBits: int({ min: 2, max: 16, default: 12, doc: 'width of the cfg_width / cfg_height inputs' }),
    planes: oneOf([1, 3] as const, { default: 1, doc: '8-bit planes per pixel: 1 = luma; 3 = {Cr, Cb, Y} (Y in bits 7:0), packed plane by plane' }),
  },
  [
    (p) => (p.maxWidth % 2 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be even`),
    (p) => (p.maxWidth < 2 ** p.dimBits ? undefined : `maxWidth = ${p.maxWidth} does not fit dimBits = ${p.dimBits} (max ${2 ** p.dimBits - 1})`),
  ],
);

export type CellPackConfig = ReturnType<typeof cellPackParams.validate>;

export interface CellPackInfo {
  module: Module;
  /** Cycles from the handshake of a cell's last pixel (2i+1, 2j+1) to the cell on m_axis (no stalls). */
  latency: number;
  /** RAM bits: maxWidth/2 words x 16 x planes bits. */
  ramBits: number;
  flops: number;
}

export const CELL_PACK_LATENCY = 2;

/** FSM states. */
const IDLE_REPORT = 0, IDLE_QUIET = 1, RUN = 2, PAD = 3;

const addrBits = (p: CellPackConfig) => Math.max(1, ceilLog2(p.maxWidth / 2));

export function cellPackFlops(p: CellPackConfig): number {
  const D = p.dimBits;
  const B = 8 * p.planes;
  const input = 1 + B + 2; // r_valid, r_pix, r_last, r_user
  const fsm = 2 + 1 + 2 * D + 1 + 2 * D + 2 * (D - 1) + B; // state, first, x, y, x_last, w-1, h-1, cell col/row, hold
  return input + fsm + 4 + skidFlops({ width: 32 * p.planes });
}

export function buildCellPack(config: Partial<CellPackConfig> = {}): CellPackInfo {
  const p = cellPackParams.validate(config);
  const D = p.dimBits;
  const A = addrBits(p);
  const NP = p.planes, B = 8 * NP;
  const m = new Module(`cell_pack_w${p.maxWidth}_d${D}${NP === 1 ? '' : `_p${NP}`}`, {
    params: { block: 'cell_pack', ...p },
    doc: `LR pixels (${NP} plane${NP === 1 ? '' : 's'}) -> 2x2 grid cells (int8 v-128), lines up to ${p.maxWidth} px; zero-padded frame completion after input errors`,
  });
  const s = streamIn(m, { width: B });
  const o = streamOut(m, { width: 32 * NP });
  const cfgW = m.input('cfg_width', D, { doc: 'LR pixels per line (even, 2..maxWidth); sampled when a frame starts' });
  const cfgH = m.input('cfg_height', D, { doc: 'LR lines per frame (even, >= 2); sampled when a frame starts' });
  const errEolEarly = m.output('err_eol_early', 1, { doc: 'pulse: tlast before cfg_width pixels' });
  const errEolLate = m.output('err_eol_late', 1, { doc: 'pulse: pixel cfg_width-1 of a line without tlast' });
  const errSof = m.output('err_sof', 1, { doc: 'pulse: tuser inside a frame, or a run of pixels without a start of frame' });
  const errCfg = m.output('err_cfg', 1, { doc: 'pulse: a frame started with cfg_width/cfg_height odd, zero or too large' });

  // ---- input register: the beat being decided on ---------------------------------------------
  const rValid = m.regInit('r_valid', 1, 0, { doc: 'the input register holds a beat' });
  const rPix = m.reg('r_pix', B, { reset: null });
  const rLast = m.reg('r_last', 1, { reset: null });
  const rUser = m.reg('r_user', 1, { reset: null });

  // ---- FSM state -------------------------------------------------------------------------------
  const state = m.regInit('state', 2, IDLE_REPORT, { doc: '0 idle (report stray pixels), 1 idle (drop silently), 2 run, 3 pad with zero cells' });
  const first = m.regInit('first', 1, 0, { doc: 'the next run beat is pixel (0,0): its tuser is expected' });
  const x = m.reg('x', D, { reset: null });
  const y = m.reg('y', D, { reset: null });
  const wM1 = m.reg('w_m1', D, { reset: null, doc: 'latched cfg_width - 1' });
  const hM1 = m.reg('h_m1', D, { reset: null, doc: 'latched cfg_height - 1' });
  const ocCol = m.reg('oc_col', D - 1, { reset: null, doc: 'grid column of the next output cell' });
  const ocRow = m.reg('oc_row', D - 1, { reset: null, doc: 'grid row of the next output cell' });
  const hold = m.reg('hold', B, { reset: null, doc: 'pixel at the even x of the current pair' });
  const ram = m.memory('even_row', { depth: p.maxWidth / 2, width: 2 * B });

  // ---- output: a skid buffer keeps m_axis registered and s_axis_tready free of m_axis_tready --
  const skid = m.instantiate('out_skid', buildSkidBuffer({ width: 32 * NP }).module);
  connectStream(m, instSource(skid), o);
  const cell = instSink(skid);
  const skidReady = cell.readySig!;

  const isIdle = m.wire('is_idle', state.bit(1).not());
  const isRun = m.wire('is_run', state.eq(RUN));
  const isPad = m.wire('is_pad', state.eq(PAD));
  const cfgOk = m.wire(
    'cfg_ok',
    cfgW.bit(0).not().and(cfgW.ne(0)).and(cfgW.le(p.maxWidth)).and(cfgH.bit(0).not()).and(cfgH.ne(0)),
  );
  // Registered (x == w_m1): keeps the comparator out of the s_axis_tready path.
  const xLast = m.reg('x_last', 1, { reset: null, doc: 'x is the last pixel of the line' });
  const yLast = m.wire('y_last', y.eq(hM1));
  const cellSlot = m.wire('cell_slot', x.bit(0).and(y.bit(0)));
  // Idle decisions.
  const idleBeat = m.wire('idle_beat', isIdle.and(rValid));
  const startFrame = m.wire('start_frame', idleBeat.and(rUser).and(cfgOk));
  const cfgErr = m.wire('cfg_err', idleBeat.and(rUser).and(cfgOk.not()));
  const idleDrop = m.wire('idle_drop', idleBeat.and(rUser.not()));
  // Run decisions.
  const runSofErr = m.wire('run_sof_err', isRun.and(rValid).and(rUser).and(first.not()));
  const runBeat = m.wire('run_beat', isRun.and(rValid).and(rUser.and(first.not()).not()));
  const eolErr = m.wire('eol_err', rLast.ne(xLast));
  const runGood = m.wire('run_good', runBeat.and(eolErr.not()));
  const cellValid = m.wire('cell_valid', runGood.and(cellSlot).or(isPad));
  const cellTake = m.wire('cell_take', cellValid.and(skidReady));
  const goodTake = m.wire('good_take', runGood.and(cellSlot.not().or(skidReady)));
  const rTake = m.wire('r_take', idleDrop.or(cfgErr).or(runBeat.and(eolErr)).or(goodTake));
  const sReady = m.wire('s_ready', rValid.not().or(rTake));
  s.driveReady(sReady);
  m.when(s.valid.and(sReady), () => {
    rValid.set(1);
    rPix.set(s.data);
    rLast.set(s.lastSig!);
    rUser.set(s.userSig!);
  }).elsewhen(rTake, () => rValid.set(0));

  // ---- the even row: written at odd x of even rows, read at even x of odd rows ----------------
  const addr = x.slice(D - 1, 1).resize(A);
  ram.write(addr, cat(rPix, hold), goodTake.and(x.bit(0)).and(y.bit(0).not()));
  const even = ram.readSync(addr, { en: goodTake.and(x.bit(0).not()).and(y.bit(0)), name: 'even_pair' });
  m.when(goodTake.and(x.bit(0).not()), () => hold.set(rPix));
  // Plane q in bits [32q+31:32q]: ch0 = v[2i][2j], ch1 = v[2i][2j+1], ch2 = v[2i+1][2j],
  // ch3 = v[2i+1][2j+1]; int8 = MSB flipped. The RAM word is {pixel 2j+1, pixel 2j}.
  const plane = (x: Expr, q: number) => x.slice(8 * q + 7, 8 * q);
  const cellPlanes = Array.from({ length: NP }, (_, q) => cat(plane(rPix, q), plane(hold, q), plane(even, NP + q), plane(even, q)));
  const packed = cat(...cellPlanes.reverse()).xor(lit(0x80808080n * ((1n << BigInt(32 * NP)) - 1n) / 0xffffffffn, 32 * NP));
  cell.driveData(mux(isPad, lit(0, 32 * NP), packed));
  cell.driveValid(cellValid);
  const ocColLast = m.wire('oc_col_last', ocCol.eq(wM1.slice(D - 1, 1)));
  const ocRowLast = m.wire('oc_row_last', ocRow.eq(hM1.slice(D - 1, 1)));
  cell.driveLast(ocColLast);
  cell.driveUser(ocCol.eq(0).and(ocRow.eq(0)));
  m.when(cellTake, () => {
    m.when(ocColLast, () => {
      ocCol.set(0);
      ocRow.set(ocRow.add(1, D - 1));
    }).otherwise(() => ocCol.set(ocCol.add(1, D - 1)));
  });

  // ---- state and counters ----------------------------------------------------------------------
  m.when(startFrame, () => {
    state.set(RUN);
    first.set(1);
    x.set(0);
    xLast.set(0); // widths are >= 2
    y.set(0);
    ocCol.set(0);
    ocRow.set(0);
    wM1.set(cfgW.sub(1, D));
    hM1.set(cfgH.sub(1, D));
  })
    .elsewhen(cfgErr.or(idleDrop), () => state.set(IDLE_QUIET))
    .elsewhen(runSofErr.or(runBeat.and(eolErr)), () => state.set(PAD))
    .elsewhen(goodTake, () => {
      first.set(0);
      m.when(xLast, () => {
        x.set(0);
        xLast.set(0);
        y.set(y.add(1, D));
        m.when(yLast, () => state.set(IDLE_REPORT));
      }).otherwise(() => {
        x.set(x.add(1, D));
        xLast.set(x.add(1, D).eq(wM1));
      });
    })
    .elsewhen(cellTake.and(isPad).and(ocColLast).and(ocRowLast), () => state.set(IDLE_QUIET));

  // ---- error pulses (registered: one cycle after the decision on the offending beat) ----------
  const pulse = (name: string, out: typeof errSof, cond: ReturnType<typeof m.wire>) => {
    const r = m.regInit(name, 1, 0);
    r.set(cond);
    out.set(r);
  };
  pulse('eol_early_q', errEolEarly, m.wire('eol_early_now', runBeat.and(eolErr).and(rLast)));
  pulse('eol_late_q', errEolLate, m.wire('eol_late_now', runBeat.and(eolErr).and(rLast.not())));
  pulse('sof_q', errSof, m.wire('sof_now', runSofErr.or(idleDrop.and(state.eq(IDLE_REPORT)))));
  pulse('cfg_q', errCfg, cfgErr);

  return { module: m, latency: CELL_PACK_LATENCY, ramBits: (p.maxWidth / 2) * 2 * B, flops: cellPackFlops(p) };
}
