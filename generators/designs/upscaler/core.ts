// `screen_core`: the upscaler datapath for one stripe-frame, composed from blocks by plan.ts.
//
//   video in (LR px) -> [rgb_to_ycbcr] -> cell_pack -> cell FIFO -> [line buffer -> conv_unit] per feature layer
//     -> join(hidden in) -> gate conv (z|r) -> RH -> candidate conv -> update -> fork
//        -> hidden out (owned cells)      -> line buffer over [H', X0] -> head conv -> slice
//     -> skip_add -> cell_unpack (owned columns) -> [ycbcr_to_rgb] -> video out (HR px)
//
// Every cell beat carries X0 (the cell's 4 LR pixels minus 128 per plane: 32 bits for video y8,
// 96 = Y | Cb | Cr for rgb888, the [bracketed] blocks) as pass bits, so the head sees the LR
// neighbourhood it needs for the bilinear skip (of Y, and of Cb and Cr) without a second line
// buffer chain. The network's operands come from the Y part (the low 32 bits) only.
// Configuration inputs (stripe size, owned columns, hidden reset) are static while a frame is
// in flight; `screen_top` holds them in the register file.
import { cat, InvalidParamError, lit, Module, mux, type Expr } from '../../core/index.ts';
import { instSink, instSource, connectStream, streamIn, streamOut, type StreamSource } from '../../blocks/axis/stream.ts';
import { buildLineBuffer } from '../../blocks/line_buffer/index.ts';
import { buildConvUnit } from '../../blocks/conv_unit/index.ts';
import { buildCellPack } from '../../blocks/cell_pack/index.ts';
import { buildCellUnpack } from '../../blocks/cell_unpack/index.ts';
import { buildGruUpdate, gruCyclesPerBeat } from '../../blocks/gru_update/index.ts';
import { buildAxisJoin } from '../../blocks/axis/join.ts';
import { buildAxisFork } from '../../blocks/axis/fork.ts';
import { buildSkipAdd } from '../../blocks/skip_add/index.ts';
import { buildFifo } from '../../blocks/axis/fifo.ts';
import { buildPipeSlice } from '../../blocks/axis/pipe_slice.ts';
import { buildRgbToYcbcr } from '../../blocks/rgb_to_ycbcr/index.ts';
import { buildYcbcrToRgb } from '../../blocks/ycbcr_to_rgb/index.ts';
import type { FixedLayer, NetWeights } from '../../../model/net/weights.ts';
import { hwHeaderParams, type HwConfig } from './config.ts';
import { buildPlan, type EnginePlan, type StagePlan } from './plan.ts';
import { buildCellCrop } from './cell_crop.ts';
import { stageConstants } from './stage_weights.ts';
import { buildWeightLoad } from './weight_load.ts';
import { weightMemory } from './weights_mem.ts';

/** Widths of the configuration inputs. */
export const DIM_BITS = 12;
/** The luma part of X0: 4 LR pixels x int8. */
export const X0_BITS = 32;
/** 8-bit planes per pixel on the video streams and in X0 (Y; or Y, Cb, Cr). */
export const videoPlanes = (hw: Pick<HwConfig, 'video'>): 1 | 3 => (hw.video === 'rgb888' ? 3 : 1);
/** Bits per pixel on s_axis_video / m_axis_video (y8: Y; rgb888: R 7:0, G 15:8, B 23:16). */
export const videoPixelBits = (hw: Pick<HwConfig, 'video'>): number => 8 * videoPlanes(hw);
/** Bit order of the `err` event stream (bit 0 first); the names of cell_pack's error pulses. */
export const ERROR_BITS = ['eol_early', 'eol_late', 'sof', 'cfg'] as const;
/** Error bits a loaded-weights build adds after ERROR_BITS (weight_load.ts). */
export const WEIGHT_ERROR_BITS = ['no_weights', 'weights_len'] as const;
export type ErrorBit = (typeof ERROR_BITS)[number] | (typeof WEIGHT_ERROR_BITS)[number];
/** Bit order of a build's `err` stream and errors register. */
export const errorBits = (hw: Pick<HwConfig, 'weightSource'>): readonly ErrorBit[] => (hw.weightSource === 'loaded' ? [...ERROR_BITS, ...WEIGHT_ERROR_BITS] : ERROR_BITS);

export interface CoreInfo {
  module: Module;
  plan: EnginePlan;
}

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1)));
/** Output FIFO entries of the GRU elementwise units: 2 sustain a cell every 2 cycles, enough
 * from 2 cycles per cell up (each entry holds the cell's pass bits: RH 448 bits at hidden_c 12). */
const gruDepth = (plan: EnginePlan) => (plan.cellCycles >= 2 ? 2 : 4);
/** Output FIFO entries of a GRU unit whose consumer reads the beat in place for `holdCycles`: an
 * entry is taken at the beat's first step and freed (credit round trip 4 cycles) only after the
 * consumer's pop, so it lives gruCyclesPerBeat + holdCycles + 4 cycles; one cell arrives per
 * plan.cellCycles. */
const gruDepthHeld = (plan: EnginePlan, beatCycles: number, holdCycles: number) =>
  Math.min(16, Math.max(gruDepth(plan), Math.ceil((beatCycles + holdCycles + 4) / plan.cellCycles)));
/** LUT/multiplier lanes of a GRU elementwise unit: the fewest that finish a cell (ceil(lanes/q) + 2
 * cycles, its beat read in place) within the pipeline's cycles per cell; 0 = all lanes at once. */
export const gruLanesPerStep = (lanes: number, plan: EnginePlan): number => {
  const q = plan.cellCycles > 3 ? Math.ceil(lanes / (plan.cellCycles - 2)) : lanes;
  return q < lanes ? q : 0;
};

export function buildScreenCore(net: NetWeights, hw: HwConfig): CoreInfo {
  const cfg = net.config;
  const unsupported = (signal: string, detail: string, fix: string) => {
    throw new InvalidParamError({ path: 'screen_core', signal, detail, refs: [{ what: 'network config read from', at: net.path }], fix });
  };
  if (cfg.n_gcr !== 1) unsupported('n_gcr', `the RTL generator supports n_gcr = 1; network '${net.name}' has n_gcr = ${cfg.n_gcr}`, 'train and export a network with n_gcr = 1 (the profiler and golden model accept any n_gcr)');
  if (cfg.gate_k !== 1 || cfg.cand_k !== 1) unsupported('gate_k', `the RTL generator supports 1x1 GRU convs; network '${net.name}' has gate_k = ${cfg.gate_k}, cand_k = ${cfg.cand_k}`, 'use gate_k = cand_k = 1');
  if (2 * hw.stripeCells > 2 ** DIM_BITS - 2) unsupported('stripeCells', `stripeCells = ${hw.stripeCells} needs stripes wider than the ${DIM_BITS}-bit frame-size inputs`, `use stripeCells <= ${(2 ** DIM_BITS - 2) / 2}`);
  const plan = buildPlan(cfg, hw);
  const hc = cfg.hidden_c;
  const NP = videoPlanes(hw);
  const XB = X0_BITS * NP; // X0 bits per cell: Y | Cb | Cr (Y in the low 32 bits)
  const S = plan.stripeCells;
  const CB = bitsFor(S);
  const m = new Module('screen_core', { params: { design: 'screen_core', net: net.name, ...hwHeaderParams(hw) }, doc: `SCREEN upscaler datapath (${net.name}), stripes up to ${S} cells, ${plan.macs} MACs, ${plan.cellCycles} cycles per cell` });

  // Reset distribution: every block gets its own copy of the reset, one register deep, so the
  // core's rst_n drives one flop per block instead of every reset flop of the datapath (Sky130
  // STA showed the shared net as the worst path of screen_top); reset lasts one cycle longer.
  const block = (name: string, child: Module) => {
    const r = m.regInit(`rst_n_${name}`, 1, 0, { doc: `reset of ${name} (rst_n delayed one cycle)` });
    r.set(lit(1, 1));
    return m.instantiate(name, child).withReset(r);
  };
  const width = m.input('cfg_width', DIM_BITS, { doc: 'stripe width in LR pixels (even, <= 2 * stripeCells)' });
  const height = m.input('cfg_height', DIM_BITS, { doc: 'frame height in LR pixels (even)' });
  const ownLo = m.input('cfg_own_lo', CB, { doc: 'first owned cell column of the stripe' });
  const ownHi = m.input('cfg_own_hi', CB, { doc: 'one past the last owned cell column' });
  const hReset = m.input('cfg_hidden_reset', 1, { doc: '1 = hidden state is zero (first frame of a sequence); s_axis_hidden is not read' });
  const vin = streamIn(m, { width: videoPixelBits(hw) }, 's_axis_video');
  const vout = streamOut(m, { width: videoPixelBits(hw) }, 'm_axis_video');
  const hin = streamIn(m, { width: hc * 8 }, 's_axis_hidden');
  const hout = streamOut(m, { width: hc * 8 }, 'm_axis_hidden');
  // weightSource 'loaded': the weight image enters here and is chained through every conv unit
  // in stage order (weight_load.ts); frames pass the gate only with a complete table.
  const loaded = hw.weightSource === 'loaded';
  const wIn = loaded ? streamIn(m, { width: 32, user: false }, 's_axis_weights') : undefined;
  const wl = loaded ? block('u_wload', buildWeightLoad({ words: weightMemory(net, plan).words.length, pixelBits: videoPixelBits(hw), dimBits: DIM_BITS })) : undefined;
  const units: ReturnType<typeof block>[] = [];
  const half = width.slice(DIM_BITS - 1, 1);
  const cellsW = CB >= DIM_BITS - 1 ? half.zext(CB) : half.trunc(CB); // <= stripeCells when cfg_width is valid
  const cellsH = height.slice(DIM_BITS - 1, 1).zext(DIM_BITS);

  // ---- LR pixels -> X0 cells ------------------------------------------------------------------
  const pack = block('u_pack', buildCellPack({ maxWidth: 2 * S, dimBits: DIM_BITS, planes: NP }).module);
  pack.connect('cfg_width', width).connect('cfg_height', height);
  let vinGated: StreamSource = vin;
  if (wl) {
    connectStream(m, vin, instSink(wl, 's_axis_video'));
    vinGated = instSource(wl, 'm_axis_video');
  }
  if (NP === 3) {
    // RGB -> {Cr, Cb, Y} per LR pixel before packing (tuser/tlast travel with the pixel).
    const rgb = block('u_rgb2ycc', buildRgbToYcbcr().module);
    connectStream(m, vinGated, instSink(rgb));
    connectStream(m, instSource(rgb), instSink(pack));
  } else connectStream(m, vinGated, instSink(pack));
  // Input-stream errors as a passive event stream (no tready): one beat per cycle with an error,
  // tdata = {cfg, sof, eol_late, eol_early} (ERROR_BITS order), so testbenches can log them;
  // a loaded-weights build adds u_wload's no_weights and weights_len above (errorBits(hw)).
  const errBits = ERROR_BITS.map((e) => pack.out(`err_${e}`));
  if (wl) errBits.push(wl.out('err_no_weights'), wl.out('err_weights_len'));
  const err = streamOut(m, { width: errBits.length, ready: false, last: false, user: false }, 'err');
  err.driveData(cat(...[...errBits].reverse()));
  err.driveValid(errBits.reduce<Expr>((a, b) => a.or(b), lit(0, 1)));

  // One column register between a line buffer's stages (columnBuffer 'single', a column per 2
  // cycles) instead of a 2-entry skid: a window per cellCycles >= 2 cycles is all a stage reads.
  const lineBuffer = (name: string, src: StreamSource, flags: boolean) => {
    const lb = block(name, buildLineBuffer({ k: 3, maxWidth: S, pixelBits: src.width, heightBits: DIM_BITS, border: 'zero', flags, columnBuffer: 'single' }).module);
    lb.connect('cfg_height', cellsH);
    connectStream(m, src, instSink(lb));
    return instSource(lb);
  };
  // Baked conv units read their operands in place (inputReg false; loaded ones keep the input
  // register and one requantiser per row, conv_unit README): every source here holds its
  // beat until the handshake (line-buffer window registers, the join's skid, the RH FIFO head),
  // so no unit keeps a copy of its 8*T operand bits.
  // holdCycles: a consumer that reads its beat in place (the serial GRU units) keeps the unit's
  // FIFO head that long, so the unit gets the entries to keep its rate.
  const convUnit = (st: StagePlan, layer: ReturnType<typeof stageConstants>, operands: Expr, pass: Expr, src: StreamSource, holdCycles = 0) => {
    const u = block(`u_${st.name.replace('.', '_')}`, buildConvUnit({ name: `conv_${net.name}_${st.name.replace('.', '_')}`, T: st.T, cout: st.cout, cpar: st.cpar, P: st.P, passBits: pass.width, holdCycles, ...layer, ...(loaded ? { weightSource: 'loaded' as const } : { rqLanes: st.rqLanes, inputReg: false }) }).module);
    units.push(u);
    const sink = instSink(u);
    sink.driveData(cat(pass, operands));
    sink.driveValid(src.valid);
    sink.driveLast(src.lastSig!);
    sink.driveUser(src.userSig!);
    src.driveReady(sink.readySig!);
    return instSource(u);
  };
  /** Operands of a k x k window over `vecBits`-wide lanes, channels [c0, c0+n): t = ci*k*k + ky*k + kx. */
  const windowOperands = (win: Expr, vecBits: number, c0: number, n: number, k: number): Expr => {
    const parts: Expr[] = [];
    for (let ci = 0; ci < n; ci++) {
      for (let lane = 0; lane < k * k; lane++) {
        // k = 1 uses the centre lane of the 3x3 window.
        const l = k === 1 ? 4 : lane;
        const b = l * vecBits + (c0 + ci) * 8;
        parts.push(win.slice(b + 7, b));
      }
    }
    return cat(...parts.reverse());
  };

  // cell_pack emits a grid row's cells only while the odd LR row streams in; a FIFO of one grid
  // row lets the pipeline keep working on that row while the next even LR row arrives.
  const cellFifo = block('u_cell_fifo', buildFifo({ width: XB, depth: S }).module);
  connectStream(m, instSource(pack), instSink(cellFifo));

  // ---- feature layers: vector = [F (c ch) | X0] ------------------------------------------------
  let x: StreamSource = instSource(cellFifo);
  let cx = 4;
  let xHasX0 = false; // the X0 cells are themselves the vector (no separate pass copy)
  const stages = plan.stages;
  let si = 0;
  for (let l = 0; l < cfg.feat_c.length; l++, si++) {
    const st = stages[si];
    const vec = x.width;
    const lanes = st.k === 3 ? lineBuffer(`u_lb_feat${l}`, x, false) : x;
    const centre = st.k === 3 ? 4 : 0;
    const x0 = xHasX0 ? lanes.data.slice(centre * vec + cx * 8 + XB - 1, centre * vec + cx * 8) : lanes.data.slice(centre * vec + XB - 1, centre * vec);
    const ops = st.k === 3 ? windowOperands(lanes.data, vec, 0, cx, 3) : lanes.data.slice(cx * 8 - 1, 0);
    if (st.k === 3 && xHasX0) for (let l = 0; l < 9; l++) if (l !== centre) m.unused(lanes.data.slice(l * vec + cx * 8 + XB - 1, l * vec + cx * 8), 'X0 travels with the centre cell only');
    // The first layer's vector is X0 itself: its operands are the Y part; Cb, Cr ride with the centre cell.
    if (st.k === 3 && !xHasX0 && NP > 1) for (let l = 0; l < 9; l++) if (l !== centre) m.unused(lanes.data.slice(l * vec + XB - 1, l * vec + X0_BITS), 'chroma travels with the centre cell only');
    // The last feature unit feeds the join, whose beat the gate conv reads in place for its whole
    // cell (baked weights): its FIFO head is held that long.
    const feedsJoin = l === cfg.feat_c.length - 1;
    x = convUnit(st, stageConstants(net, st), ops, x0, lanes, feedsJoin && !loaded ? stages[si + 1].cycles : 0);
    cx = cfg.feat_c[l];
    xHasX0 = true;
  }
  // Without feature layers the GRU input is X0 itself (F = its Y part, the low 32 bits).
  const xVecBits = xHasX0 ? cx * 8 + XB : XB;

  // ---- ConvGRU: join with the hidden state ----------------------------------------------------
  m.unused(hin.userSig!, 'the hidden-state stream is framed by the video stream: one beat per covered cell, raster order');
  m.unused(hin.lastSig!, 'the hidden-state stream is framed by the video stream: one beat per covered cell, raster order');
  const hData = m.wire('hidden_in_data', mux(hReset, lit(0, hc * 8), hin.data));
  const hValid = m.wire('hidden_in_valid', hReset.or(hin.valid));
  // No registers in the join (registered false): both sources (feat's FIFO head, the hidden-state
  // input) hold their beats, and the gate conv reads the joined beat in place.
  const join = m.instantiate('u_join', buildAxisJoin({ widths: [xVecBits, hc * 8], registered: false }).module); // no clock, no reset
  connectStream(m, x, instSink(join, 's_axis_0'));
  const jh = instSink(join, 's_axis_1');
  jh.driveData(hData);
  jh.driveValid(hValid);
  jh.driveLast(lit(0, 1));
  jh.driveUser(lit(0, 1));
  hin.driveReady(jh.readySig!.and(hReset.not()));
  const j = instSource(join);
  const F = j.data.slice(cx * 8 - 1, 0);
  const X0 = xHasX0 ? j.data.slice(cx * 8 + XB - 1, cx * 8) : j.data.slice(XB - 1, 0); // without feature layers F is X0's Y part
  const H = j.data.slice(xVecBits + hc * 8 - 1, xVecBits);

  // gate conv: operands [F, H]; out [PZ | PR | pass = F, X0, H]
  const gruQ = gruLanesPerStep(hc, plan);
  const gruHold = gruQ ? gruCyclesPerBeat({ lanes: hc, lanesPerStep: gruQ }) : 0;
  const gate = convUnit(stages[si++], stageConstants(net, stages[si - 1]), cat(H, F), cat(H, X0, F), j, gruHold);
  const gPZ = gate.data.slice(hc * 8 - 1, 0);
  const gPR = gate.data.slice(2 * hc * 8 - 1, hc * 8);
  const gPass = gate.data.slice(gate.width - 1, 2 * hc * 8); // [F | X0 | H]
  const gH = gPass.slice(gPass.width - 1, gPass.width - hc * 8);
  // RH: fields [PR | H], pass [PZ | gPass]; out [RH | PZ | F | X0 | H]
  // The candidate conv reads RH's output beat in place (baked weights) for its whole cell.
  const candSt = stages[si];
  const rhBeat = gruQ ? gruHold : 1;
  const rhDepth = loaded ? gruDepth(plan) : gruDepthHeld(plan, rhBeat, candSt.cycles);
  const rhU = block('u_rh', buildGruUpdate({ mode: 'rh', lanes: hc, passBits: hc * 8 + gPass.width, credit: true, creditDepth: rhDepth, lanesPerStep: gruQ }).module);
  const rhIn = instSink(rhU);
  rhIn.driveData(cat(gPass, gPZ, gH, gPR));
  rhIn.driveValid(gate.valid);
  rhIn.driveLast(gate.lastSig!);
  rhIn.driveUser(gate.userSig!);
  gate.driveReady(rhIn.readySig!);
  const rh = instSource(rhU);
  const rRH = rh.data.slice(hc * 8 - 1, 0);
  const rPZ = rh.data.slice(2 * hc * 8 - 1, hc * 8);
  const rF = rh.data.slice(2 * hc * 8 + cx * 8 - 1, 2 * hc * 8);
  const rRest = rh.data.slice(rh.width - 1, 2 * hc * 8 + cx * 8); // [X0 | H]
  const rH = rRest.slice(rRest.width - 1, rRest.width - hc * 8);
  const rX0 = rRest.slice(XB - 1, 0);
  // candidate conv: operands [F, RH]; out [PN | pass = PZ, H, X0]
  const cand = convUnit(stages[si++], stageConstants(net, stages[si - 1]), cat(rRH, rF), cat(rX0, rH, rPZ), rh, gruHold);
  const cPN = cand.data.slice(hc * 8 - 1, 0);
  const cPZ = cand.data.slice(2 * hc * 8 - 1, hc * 8);
  const cH = cand.data.slice(3 * hc * 8 - 1, 2 * hc * 8);
  const cX0 = cand.data.slice(3 * hc * 8 + XB - 1, 3 * hc * 8);
  // update: fields [PZ | PN | H], pass X0; out [H' | X0]
  const upU = block('u_update', buildGruUpdate({ mode: 'update', lanes: hc, passBits: XB, credit: true, creditDepth: gruDepth(plan), lanesPerStep: gruQ }).module);
  const upIn = instSink(upU);
  upIn.driveData(cat(cX0, cH, cPN, cPZ));
  upIn.driveValid(cand.valid);
  upIn.driveLast(cand.lastSig!);
  upIn.driveUser(cand.userSig!);
  cand.driveReady(upIn.readySig!);

  // ---- fork: H' to DRAM (owned cells), [H' | X0] to the head ----------------------------------
  const fork = block('u_fork', buildAxisFork({ width: hc * 8 + XB, outputs: 2 }).module);
  connectStream(m, instSource(upU), instSink(fork));
  const crop = block('u_hidden_crop', buildCellCrop({ width: hc * 8, colBits: CB }));
  crop.connect('cfg_own_lo', ownLo).connect('cfg_own_hi', ownHi);
  const f0 = instSource(fork, 'm_axis_0');
  const cropIn = instSink(crop);
  m.unused(f0.data.slice(hc * 8 + XB - 1, hc * 8), 'the DRAM copy of the state needs H only');
  cropIn.driveData(f0.data.slice(hc * 8 - 1, 0));
  cropIn.driveValid(f0.valid);
  cropIn.driveLast(f0.lastSig!);
  cropIn.driveUser(f0.userSig!);
  f0.driveReady(cropIn.readySig!);
  connectStream(m, instSource(crop), hout);

  // ---- head: 3x3 window over [H' | X0] (the skip always needs the X0 neighbourhood) -----------
  const headSt = stages[si++];
  const hv = hc * 8 + XB;
  const win = lineBuffer('u_lb_head', instSource(fork, 'm_axis_1'), true);
  const headCin = headSt.cin; // hidden_c, or hidden_c + 4 when the head also reads X0
  const headOps = windowOperands(win.data, hv, 0, headCin, headSt.k);
  const x0Win = cat(...Array.from({ length: 9 }, (_, l) => win.data.slice(l * hv + hc * 8 + XB - 1, l * hv + hc * 8)).reverse());
  const flags = win.data.slice(9 * hv + 3, 9 * hv);
  const head = convUnit(headSt, stageConstants(net, headSt), headOps, cat(flags, x0Win), win);
  // A register slice between the head's output FIFO and skip_add's first adder stage (that path
  // was the worst reg-to-reg path of screen_top at tt once the reset net was split).
  const headSlice = block('u_head_slice', buildPipeSlice({ width: head.width }).module);
  connectStream(m, head, instSink(headSlice));
  // rgb888: skip_add also upscales the Cb and Cr planes of the X0 window (residual 0).
  const skip = block('u_skip_add', buildSkipAdd({ planes: NP }).module);
  connectStream(m, instSource(headSlice), instSink(skip));

  // ---- cells -> HR pixels of the owned columns --------------------------------------------------
  let ycc2rgb: ReturnType<typeof block> | undefined;
  const unpack = block('u_unpack', buildCellUnpack({ maxCells: S, dimBits: DIM_BITS, pixelBits: NP === 3 ? 24 : 8 }).module);
  unpack.connect('cfg_width_cells', cellsW.zext(DIM_BITS)).connect('cfg_own_lo', ownLo.zext(DIM_BITS)).connect('cfg_own_hi', ownHi.zext(DIM_BITS));
  connectStream(m, instSource(skip), instSink(unpack));
  if (NP === 3) {
    // HR {Cr, Cb, Y} -> RGB888 (same bit order as video in).
    const rgb = (ycc2rgb = block('u_ycc2rgb', buildYcbcrToRgb().module));
    connectStream(m, instSource(unpack), instSink(rgb));
    connectStream(m, instSource(rgb), vout);
  } else connectStream(m, instSource(unpack), vout);

  // ---- loaded weights: the daisy chain in stage order (= the image's order, weights_mem.ts) ----
  if (wl && wIn) {
    connectStream(m, wIn, instSink(wl, 's_axis_weights'));
    let link: StreamSource = instSource(wl, 'm_axis_weights');
    for (const u of units) {
      connectStream(m, link, instSink(u, 's_axis_w'));
      link = instSource(u, 'm_axis_w');
    }
    // Words past the last unit's share belong to an over-long image (err weights_len): discarded.
    link.driveReady(lit(1, 1));
    m.unused(link.data, 'words of an over-long weight image, past the last unit (flagged by u_wload)');
    m.unused(link.lastSig!, 'words of an over-long weight image, past the last unit (flagged by u_wload)');
    wl.connect('chain_busy', units.map((u) => instSource(u, 'm_axis_w').valid).reduce((a, b) => a.or(b)));
    wl.connect('units_loaded', units.map((u) => u.out('w_loaded')).reduce<Expr>((a, b) => a.and(b), lit(1, 1)));
    const vo = instSource(ycc2rgb ?? unpack);
    wl.connect('line_out', vo.valid.and(vout.readySig!).and(vo.lastSig!));
    wl.connect('frame_dropped', pack.out('err_cfg'));
    wl.connect('cfg_height', height);
    m.output('weights_loaded', 1, { doc: 'a complete weight image is loaded (weight_load.ts); frames are discarded (err no_weights) while low' }).set(wl.out('weights_loaded'));
  }
  return { module: m, plan };
}
