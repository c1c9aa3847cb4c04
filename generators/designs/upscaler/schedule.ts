// The conv engine's schedule, derived from the network config and the hardware config.
// Profiler, docs and (later) the RTL sequencer all read this one description.
//
// Dataflow (output-stationary): the rows x cols MAC array computes, in one *pass*, `rows`
// output channels for `cols` adjacent grid cells of one grid row; each cycle feeds one
// reduction index (input channel, ky, kx): weights enter along rows, activations along
// columns. A pass therefore takes cin*k*k cycles (+ passOverhead for the accumulator
// hand-off) and a layer over c cells takes ceil(cout/rows) * ceil(c/cols) passes.
//
// Tiling: the frame is cut into vertical stripes of `stripeCells` grid cells; each stripe is
// processed top to bottom with every layer fused row by row through line buffers. A layer
// whose consumers have 3x3 kernels must be computed on extra *halo* cells on both sides, so
// the stripe's output is exact (identical to whole-frame processing, zero padding only at
// the frame border). Halo cells outside the frame are not computed: they are the padding.
import { layerTable, type NetConfig } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';

export interface EnginePass {
  /** e.g. 'feat0', 'gru0.zr', 'gru0.n', 'head'. */
  name: string;
  /** Network layers computed by this pass. */
  layers: string[];
  cin: number;
  /** Kernel size as the engine sees it (a stride-3 deconv head becomes a k_eff conv with 9 outputs). */
  k: number;
  cout: number;
  /** MACs per grid cell the network really needs (deconv: cin*k*k of the true kernel). */
  usefulMacsPerCell: number;
  /** Extra cells computed on each side of a stripe. */
  halo: number;
}

export interface VectorOp {
  name: string;
  /** Elementwise operations per grid cell. */
  opsPerCell: number;
  halo: number;
}

export interface Schedule {
  passes: EnginePass[];
  vectorOps: VectorOp[];
  /** Halo (cells) of the network input X0 and of each GRU's old hidden state read from DRAM. */
  inputHalo: number;
  hiddenHalo: number[];
  gridW: number;
  gridH: number;
  stripes: { first: number; cells: number }[];
}

const half = (k: number) => (k - 1) >> 1;

/** Passes in execution order with their halos (computed back to front from the head). */
export function buildSchedule(net: NetConfig, hw: HwConfig): Schedule {
  const table = layerTable(net);
  const passes: EnginePass[] = [];
  const vectorOps: VectorOp[] = [];
  const hiddenHalo: number[] = new Array(net.n_gcr).fill(0);
  const hc = net.hidden_c;

  // Head: pixelshuffle = conv k -> 9 ch; deconv (stride 3, kernel k, padding (k-3)/2) = each HR
  // output depends on the cells within ceil(p/3) on either side, so k_eff = 1 + 2*ceil(p/3).
  const head = table[table.length - 1];
  const headK = head.kind === 'deconv' ? 1 + 2 * Math.ceil((head.k - 3) / 2 / 3) : head.k;
  const headUseful = head.kind === 'deconv' ? head.cin * head.k * head.k : head.cin * head.cout * head.k * head.k;
  const back: EnginePass[] = [{ name: 'head', layers: ['head'], cin: head.cin, k: headK, cout: 9, usefulMacsPerCell: headUseful, halo: 0 }];
  let need = half(headK); // halo needed on the head's input

  for (let g = net.n_gcr - 1; g >= 0; g--) {
    const cin = table.find((l) => l.name === `gru${g}.z`)!.cin;
    const cr = half(net.cand_k);
    const gr = half(net.gate_k);
    back.push({ name: `gru${g}.n`, layers: [`gru${g}.n`], cin, k: net.cand_k, cout: hc, usefulMacsPerCell: cin * hc * net.cand_k ** 2, halo: need });
    // z and r share one pass (same input [x, H]); r is needed cr cells further out for R*H.
    back.push({ name: `gru${g}.zr`, layers: [`gru${g}.z`, `gru${g}.r`], cin, k: net.gate_k, cout: 2 * hc, usefulMacsPerCell: 2 * cin * hc * net.gate_k ** 2, halo: need + cr });
    vectorOps.unshift(
      { name: `gru${g}.rh`, opsPerCell: hc, halo: need + cr },
      { name: `gru${g}.update`, opsPerCell: hc, halo: need },
    );
    hiddenHalo[g] = need + cr + gr;
    need = need + cr + gr;
  }
  for (let i = net.feat_c.length - 1; i >= 0; i--) {
    const L = table[i];
    back.push({ name: L.name, layers: [L.name], cin: L.cin, k: L.k, cout: L.cout, usefulMacsPerCell: L.cin * L.cout * L.k * L.k, halo: need });
    need += half(L.k);
  }
  passes.push(...back.reverse());

  const gridW = hw.lrWidth / 2;
  const gridH = hw.lrHeight / 2;
  const stripes: Schedule['stripes'] = [];
  for (let first = 0; first < gridW; first += hw.stripeCells) stripes.push({ first, cells: Math.min(hw.stripeCells, gridW - first) });
  return { passes, vectorOps, inputHalo: need, hiddenHalo, gridW, gridH, stripes };
}

/** Cells a layer with halo h computes for a stripe (clipped at the frame edges). */
export function computedCells(s: { first: number; cells: number }, halo: number, gridW: number): number {
  return Math.min(gridW, s.first + s.cells + halo) - Math.max(0, s.first - halo);
}

export function passCycles(p: EnginePass, cells: number, hw: HwConfig): number {
  const passesNeeded = Math.ceil(p.cout / hw.rows) * Math.ceil(cells / hw.cols);
  return passesNeeded * (p.cin * p.k * p.k + hw.passOverhead);
}

export interface PassCost {
  name: string;
  cyclesPerFrame: number;
  usefulMacsPerFrame: number;
  /** useful MACs / (cycles * rows * cols) for this pass alone. */
  utilisation: number;
}

export interface CycleReport {
  cyclesPerFrame: number;
  macCyclesPerFrame: number;
  vectorCyclesPerFrame: number;
  usefulMacsPerFrame: number;
  utilisation: number;
  perPass: PassCost[];
}

/** Cycles per frame: every stripe, every grid row, every pass, then the vector ops (serial). */
export function frameCycles(sched: Schedule, hw: HwConfig): CycleReport {
  const perPass: PassCost[] = sched.passes.map((p) => {
    let cyc = 0;
    for (const s of sched.stripes) cyc += passCycles(p, computedCells(s, p.halo, sched.gridW), hw);
    cyc *= sched.gridH;
    const useful = p.usefulMacsPerCell * sched.gridW * sched.gridH;
    return { name: p.name, cyclesPerFrame: cyc, usefulMacsPerFrame: useful, utilisation: useful / (cyc * hw.rows * hw.cols) };
  });
  let vec = 0;
  for (const v of sched.vectorOps) for (const s of sched.stripes) vec += Math.ceil((computedCells(s, v.halo, sched.gridW) * v.opsPerCell) / hw.vecLanes);
  vec *= sched.gridH;
  const mac = perPass.reduce((a, p) => a + p.cyclesPerFrame, 0);
  const useful = perPass.reduce((a, p) => a + p.usefulMacsPerFrame, 0);
  const total = mac + vec;
  return { cyclesPerFrame: total, macCyclesPerFrame: mac, vectorCyclesPerFrame: vec, usefulMacsPerFrame: useful, utilisation: useful / (total * hw.rows * hw.cols), perPass };
}
