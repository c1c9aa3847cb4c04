// Line buffer builder (README.md): a column stage over one inferred 1R1W RAM and a KxK window
// stage that is also the output register; replicate or zero borders on all four sides, and
// optional border flags for the window centre.
import { bool, cat, defineParams, int, lit, MAX_WIDTH, Module, mux, oneOf, rep, type Expr, type Signal } from '../../core/index.ts';
import { buildSkidBuffer, skidFlops } from '../axis/skid_buffer.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

/** Border flag bits above the window in m_axis_tdata (flags: true): top, bottom, left, right. */
export const FLAG_BITS = 4;

export const lineBufferParams = defineParams(
  'line_buffer',
  {
    k: oneOf([3, 5, 7] as const, { default: 3, doc: 'window size' }),
    maxWidth: int({ min: 2, max: 8192, default: 1280, doc: 'longest line in pixels (RAM depth)' }),
    // Widest pixel whose smallest window (k=3) fits the core's bus limit; the cross check
    // below applies the exact limit for k and the flags.
    pixelBits: int({ min: 1, max: Math.floor(MAX_WIDTH / 9), default: 8, doc: 'pixel (cell) width, unsigned bits' }),
    heightBits: int({ min: 2, max: 16, default: 11, doc: 'width of the cfg_height input' }),
    border: oneOf(['replicate', 'zero'] as const, { default: 'replicate', doc: 'pixels outside the frame: nearest edge pixel, or 0' }),
    flags: bool({ default: false, doc: `${FLAG_BITS} border flag bits above the window: centre on top row, bottom row, left column, right column` }),
    columnBuffer: oneOf(['skid', 'single'] as const, { default: 'skid', doc: "between the column and window stages: 'skid' = 2-entry skid buffer, a column per cycle; 'single' = one register entry (half the flops), a column per 2 cycles" }),
  },
  [
    (p) => {
      const w = lineBufferDataBits(p);
      return w <= MAX_WIDTH
        ? undefined
        : `m_axis_tdata would be k*k*pixelBits${p.flags ? ` + ${FLAG_BITS} flag bits` : ''} = ${p.k}*${p.k}*${p.pixelBits}${p.flags ? ` + ${FLAG_BITS}` : ''} = ${w} bits, over the core's MAX_WIDTH = ${MAX_WIDTH} bits (pixelBits <= ${Math.floor((MAX_WIDTH - (p.flags ? FLAG_BITS : 0)) / (p.k * p.k))} for k=${p.k})`;
    },
  ],
);

export type LineBufferConfig = ReturnType<typeof lineBufferParams.validate>;
export type LineBufferBorder = 'replicate' | 'zero';

export interface LineBufferBuildParams {
  k: number;
  maxWidth: number;
  pixelBits: number;
  heightBits: number;
  /** Default 'replicate'. */
  border?: LineBufferBorder;
  /** Default false. */
  flags?: boolean;
  /** Default 'skid'. */
  columnBuffer?: 'skid' | 'single';
}

export interface LineBufferInfo {
  module: Module;
  /** RAM bits (maxWidth x (k-1) x pixelBits). */
  ramBits: number;
  flops: number;
  /** m_axis_tdata width: k*k*pixelBits, plus FLAG_BITS with flags. */
  dataBits: number;
}

/** m_axis_tdata width. */
export function lineBufferDataBits(p: Pick<LineBufferBuildParams, 'k' | 'pixelBits' | 'flags'>): number {
  return p.k * p.k * p.pixelBits + (p.flags ? FLAG_BITS : 0);
}

/** Module name; the replicate, flag-less name is the original one. */
export function lineBufferName(p: LineBufferBuildParams): string {
  return `line_buffer_k${p.k}_w${p.maxWidth}_p${p.pixelBits}_h${p.heightBits}${(p.border ?? 'replicate') === 'zero' ? '_zero' : ''}${p.flags ? '_flags' : ''}${p.columnBuffer === 'single' ? '_c1' : ''}`;
}

const bits = (values: number) => Math.max(1, ceilLog2(values));

/** Column beat between the stages: {[last_row,] x, emit, first_out, last_col, column}. */
function columnBeatBits(p: LineBufferBuildParams): number {
  return p.k * p.pixelBits + bits(p.maxWidth) + 3 + (p.flags ? 1 : 0);
}

export function lineBufferFlops(p: LineBufferBuildParams): number {
  const R = (p.k - 1) / 2;
  const P = p.pixelBits;
  const AB = bits(p.maxWidth);
  const XB = bits(p.maxWidth + R);
  const YB = p.heightBits + 1;
  // Flags: s1_last_row, b_last_row and the three flag registers (the right flag is m_last).
  const F = p.flags ? 1 + 1 + 3 : 0;
  const stageA = YB + 2 * AB + 1 + (1 + P + AB + 5) + 1 + (p.k - 1) * P;
  const stageB = p.k * p.k * P + 3 + 1 + XB + bits(R) + 2;
  // 'single': one column register, and no forwarding register ((k-1)*P + 1 flops less in stage A).
  const single = (p.columnBuffer ?? 'skid') === 'single';
  const between = single ? columnBeatBits(p) + 1 : skidFlops({ width: columnBeatBits(p), last: false, user: false });
  return stageA - (single ? (p.k - 1) * P + 1 : 0) + between + stageB + F;
}

export function buildLineBuffer(config: Partial<LineBufferConfig> = {}): LineBufferInfo {
  const p: Required<LineBufferBuildParams> = lineBufferParams.validate(config);
  const K = p.k;
  const R = (K - 1) / 2;
  const P = p.pixelBits;
  const AB = bits(p.maxWidth);
  const XB = bits(p.maxWidth + R);
  const YB = p.heightBits + 1;
  const VB = bits(R);
  const zero = p.border === 'zero';
  const DB = lineBufferDataBits(p);
  // The default (replicate, no flags) keeps its original params, so its RTL is unchanged.
  const { border, flags, columnBuffer, ...base } = p;
  const single = columnBuffer === 'single';
  const m = new Module(lineBufferName(p), {
    params: { block: 'line_buffer', ...base, ...(zero ? { border } : {}), ...(flags ? { flags } : {}), ...(single ? { columnBuffer } : {}) },
    doc: `${K}x${K} window line buffer, lines up to ${p.maxWidth} px of ${P} bits, ${border} borders${flags ? ', border flags' : ''}`,
  });
  const s = streamIn(m, { width: P }, 's_axis');
  const o = streamOut(m, { width: DB }, 'm_axis');
  const height = m.input('cfg_height', p.heightBits, { doc: 'lines per frame (>= 1)' });
  const hExt = height.zext(YB);

  // ---- column stage state --------------------------------------------------------------
  const ya = m.regInit('row_a', YB, 0, { doc: 'line of the next column (real lines, then R virtual lines)' });
  const xa = m.regInit('col_a', AB, 0);
  const lastX = m.regInit('last_x', AB, 0, { doc: 'x of the last pixel of the previous line' });
  const virt = m.regInit('virt_rows', 1, 0, { doc: 'generating the bottom-border lines' });
  const s1Valid = m.regInit('s1_valid', 1, 0);
  const s1P = m.reg('s1_pix', P, { reset: null });
  const s1X = m.reg('s1_x', AB, { reset: null });
  const s1FirstRow = m.reg('s1_first_row', 1, { reset: null });
  const s1Virtual = m.reg('s1_virtual', 1, { reset: null });
  const s1Emit = m.reg('s1_emit', 1, { reset: null });
  const s1FirstOut = m.reg('s1_first_out', 1, { reset: null });
  const s1LastCol = m.reg('s1_last_col', 1, { reset: null });
  const s1LastOut = flags ? m.reg('s1_last_out', 1, { reset: null, doc: 'this column line centres windows on the last frame line' }) : undefined;

  // ---- window stage state (the window is the output register) --------------------------
  const win: Signal[] = [];
  for (let c = 0; c < K; c++) win.push(m.reg(`win_${c}`, K * P, { reset: null, doc: c === 0 ? 'window column 0 (left)' : undefined }));
  const mValid = m.regInit('m_valid', 1, 0);
  const mLast = m.reg('m_last', 1, { reset: null });
  const mUser = m.reg('m_user', 1, { reset: null });
  const bVirt = m.regInit('virt_cols', 1, 0, { doc: 'generating the right-border columns' });
  const xb = m.reg('col_b', XB, { reset: null });
  const vcnt = m.reg('vcol_cnt', VB, { reset: null });
  const bEmit = m.reg('b_emit', 1, { reset: null });
  const bFirstOut = m.reg('b_first_out', 1, { reset: null });
  const bLastOut = flags ? m.reg('b_last_out', 1, { reset: null }) : undefined;
  // Border flags of the window in the output register (the right-column flag is m_last).
  const mTop = flags ? m.reg('m_top', 1, { reset: null, doc: 'window centre on line 0' }) : undefined;
  const mBottom = flags ? m.reg('m_bottom', 1, { reset: null, doc: 'window centre on line cfg_height-1' }) : undefined;
  const mLeft = flags ? m.reg('m_left', 1, { reset: null, doc: 'window centre on column 0' }) : undefined;

  const outFree = m.wire('out_free', mValid.not().or(o.readySig!));
  // A skid buffer between the stages keeps s_axis_tready and the RAM address free of any
  // combinational path from m_axis_tready; 'single': one register entry, filled only when
  // empty (its full flag is the ready), a column every second cycle.
  const CB = columnBeatBits(p);
  const skid = single ? undefined : m.instantiate('col_skid', buildSkidBuffer({ width: CB, last: false, user: false }).module);
  const colFull = single ? m.regInit('col_valid', 1, 0, { doc: 'the column register holds a column' }) : undefined;
  const colReg = single ? m.reg('col_beat', CB, { reset: null }) : undefined;
  const s1Adv = m.wire('s1_adv', s1Valid.and(skid ? skid.out('s_axis_tready') : colFull!.not()));
  const cValid = skid ? skid.out('m_axis_tvalid') : colFull!;
  const cBeat = skid ? skid.out('m_axis_tdata') : colReg!;
  const cColumn = cBeat.slice(K * P - 1, 0);
  const cLastCol = cBeat.bit(K * P);
  const cFirstOut = cBeat.bit(K * P + 1);
  const cEmit = cBeat.bit(K * P + 2);
  const cX = cBeat.slice(K * P + 2 + AB, K * P + 3);
  const cLastOut = flags ? cBeat.bit(CB - 1) : undefined;
  const colTake = m.wire('col_take', cValid.and(bVirt.not()).and(outFree));
  skid?.connect('m_axis_tready', colTake);
  const vStep = m.wire('vcol_step', bVirt.and(outFree));
  // 'single': stage 1 takes a pixel only when empty (a column per 2 cycles anyway), so a RAM
  // write (at s1_adv) never shares a cycle with the read of the next pixel: no forwarding.
  const s1Free = m.wire('s1_free', single ? s1Valid.not() : s1Valid.not().or(s1Adv));
  const aTake = m.wire('pix_take', s.valid.and(virt.not()).and(s1Free));
  const vTake = m.wire('vrow_take', virt.and(s1Free));
  const take = m.wire('take', aTake.or(vTake));
  s.driveReady(virt.not().and(s1Free));

  const sof = m.wire('sof_in', s.userSig!.and(virt.not()));
  const yCur = m.wire('y_cur', mux(sof, lit(0, YB), ya));
  const xCur = m.wire('x_cur', mux(sof, lit(0, AB), xa));
  const lastCol = m.wire('last_col', mux(virt, xa.eq(lastX), s.lastSig!));
  const lastRealRow = m.wire('last_real_row', yCur.eq(hExt.sub(1, YB)));
  // Line H-1+R: the last line read, its windows are centred on line H-1.
  const lastVirtRow = m.wire('last_virt_row', yCur.eq(hExt.add(R - 1, YB)));

  m.when(take, () => {
    s1Valid.set(1);
    s1P.set(s.data);
    s1X.set(xCur);
    s1FirstRow.set(yCur.eq(0).and(virt.not()));
    s1Virtual.set(virt);
    s1Emit.set(yCur.ge(R));
    s1FirstOut.set(yCur.eq(R));
    s1LastOut?.set(lastVirtRow);
    s1LastCol.set(lastCol);
    m.when(lastCol, () => {
      xa.set(lit(0, AB));
      m.when(virt, () => {
        m.when(lastVirtRow, () => {
          virt.set(0);
          ya.set(lit(0, YB));
        }).otherwise(() => ya.set(yCur.add(1, YB)));
      }).otherwise(() => {
        lastX.set(xCur);
        ya.set(yCur.add(1, YB));
        m.when(lastRealRow, () => virt.set(1));
      });
    }).otherwise(() => {
      xa.set(xCur.add(1, AB));
      ya.set(yCur);
    });
  }).elsewhen(s1Adv, () => s1Valid.set(0));

  // ---- line RAM: word x = the k-1 previous lines at column x, oldest in the low bits ----
  const WB = (K - 1) * P;
  const mem = m.memory('lines', { depth: p.maxWidth, width: WB, doc: `${K - 1} previous lines, one word per column` });
  const raddr = m.wire('ram_raddr', mux(take, xCur, s1X));
  const rd = mem.readSync(raddr, { name: 'ram_q' });
  const fwd = single ? undefined : m.regInit('fwd_valid', 1, 0, { doc: 'the word read last cycle was written in that same cycle' });
  const fwdData = single ? undefined : m.reg('fwd_data', WB, { reset: null });
  const word = m.wire('word', fwd ? mux(fwd, fwdData!, rd) : rd);
  let column: Signal;
  if (zero) {
    // Lines above the frame are 0 (line 0 ignores the stale RAM word), lines below it too.
    const pix = m.wire('col_pix', mux(s1Virtual, lit(0, P), s1P));
    column = m.wire('column', cat(pix, mux(s1FirstRow, lit(0, WB), word)));
  } else {
    const newest = word.slice(WB - 1, WB - P);
    const pix = m.wire('col_pix', mux(s1Virtual, newest, s1P));
    column = m.wire('column', mux(s1FirstRow, rep(s1P, K), cat(pix, word)));
  }
  const wdata = m.wire('ram_wdata', column.slice(K * P - 1, P));
  mem.write(s1X, wdata, s1Adv);
  fwd?.set(s1Adv.and(raddr.eq(s1X)));
  const beat = cat(...(s1LastOut ? [s1LastOut] : []), s1X, s1Emit, s1FirstOut, s1LastCol, column);
  if (skid) {
    skid.connect('s_axis_tvalid', s1Valid);
    skid.connect('s_axis_tdata', beat);
  } else {
    // Push and take never share a cycle: a push needs the register empty, a take full.
    m.when(s1Adv, () => {
      colFull!.set(1);
      colReg!.set(beat);
    }).elsewhen(colTake, () => colFull!.set(0));
  }
  fwdData?.set(wdata);

  // ---- window stage --------------------------------------------------------------------
  const shiftIn = (col: Expr) => {
    for (let c = 0; c < K - 1; c++) win[c].set(win[c + 1]);
    win[K - 1].set(col);
  };
  m.when(colTake, () => {
    m.when(cX.eq(0), () => {
      // First column of a line: the R columns left of it are the border.
      for (let c = 0; c < K; c++) win[c].set(zero && c < K - 1 ? lit(0, K * P) : cColumn);
    }).otherwise(() => shiftIn(cColumn));
    mValid.set(cEmit.and(cX.ge(R)));
    mUser.set(cFirstOut.and(cX.eq(R)));
    mLast.set(0);
    mTop?.set(cFirstOut);
    mBottom?.set(cLastOut!);
    mLeft?.set(cX.eq(R));
    m.when(cLastCol, () => {
      bVirt.set(1);
      xb.set(cX.zext(XB).add(1, XB));
      vcnt.set(lit(0, VB));
      bEmit.set(cEmit);
      bFirstOut.set(cFirstOut);
      bLastOut?.set(cLastOut!);
    });
  })
    .elsewhen(vStep, () => {
      shiftIn(zero ? lit(0, K * P) : win[K - 1]);
      mValid.set(bEmit.and(xb.ge(R)));
      mUser.set(bFirstOut.and(xb.eq(R)));
      mLast.set(vcnt.eq(R - 1));
      mTop?.set(bFirstOut);
      mBottom?.set(bLastOut!);
      mLeft?.set(xb.eq(R));
      xb.set(xb.add(1, XB));
      vcnt.set(vcnt.add(1, VB));
      m.when(vcnt.eq(R - 1), () => bVirt.set(0));
    })
    .elsewhen(outFree, () => mValid.set(0));

  // Output lane dy*K + dx = window column dx, line dy; flags {right, left, bottom, top} above.
  const lanes: Expr[] = [];
  for (let dy = K - 1; dy >= 0; dy--) for (let dx = K - 1; dx >= 0; dx--) lanes.push(win[dx].slice(dy * P + P - 1, dy * P));
  o.driveData(cat(...(flags ? [mLast, mLeft!, mBottom!, mTop!] : []), ...lanes));
  o.driveValid(mValid);
  o.driveLast(mLast);
  o.driveUser(mUser);
  return { module: m, ramBits: p.maxWidth * WB, flops: lineBufferFlops(p), dataBits: DB };
}
