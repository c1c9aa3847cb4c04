// The engine plan: how the accelerator maps the network onto hardware, derived from the
// network config and the hardware config. RTL generator (top.ts), profiler and docs all read
// this one description.
//
// Architecture (docs/architecture.md): a *layer pipeline* over grid cells. Every conv layer is
// its own stage with its own small dot-product array (cpar output channels x P taps per cycle,
// an adder tree and an accumulator per row); stages are connected by cell streams (one grid
// cell = one beat) and 3x3 layers read their input through a zero-padded line buffer over grid
// rows. All stages run concurrently, so the frame rate is set by the slowest stage: a stage
// needs ceil(cout/cpar) * ceil(T/P) cycles per cell (T = cin*k*k operands). The knob
// `cellCycles` is that target; each stage gets the fewest MACs that meet it.
//
// Tiling: the chip processes a *stripe* of the frame exactly as if it were a whole frame (zero
// padding at its edges) and keeps only the owned middle columns; the halo (cells computed on
// each side and thrown away) is the number of 3x3 layers on the path, so owned cells equal
// whole-frame processing. The hidden state of every cell the stripe covers is read from DRAM
// (previous frame); only owned cells are written back.
import { layerTable, type NetConfig } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';

export type StageRole = 'feat' | 'gate' | 'cand' | 'head';

export interface StagePlan {
  /** Layer(s) computed: 'feat0', 'gru0.zr' (z and r in one unit), 'gru0.n', 'head'. */
  name: string;
  role: StageRole;
  /** Kernel as the stage computes it (a deconv head becomes a k x k conv with 9 outputs). */
  k: number;
  cin: number;
  cout: number;
  /** Operands per output: cin * k * k. */
  T: number;
  /** Output channels per cycle (rows of the dot-product array). */
  cpar: number;
  /** Operands per cycle per row (columns). */
  P: number;
  /** MACs of this stage: cpar * P. */
  macs: number;
  /** Cycles per grid cell: ceil(cout / cpar) * ceil(T / P). */
  cycles: number;
  /** MACs per cell the network needs (deconv: the true kernel's taps only). */
  usefulMacsPerCell: number;
  /** Requantisers of the stage's conv_unit: the fewest that keep up, ceil(cpar / ceil(T/P)) (the
   * rows finish together once per ceil(T/P) cycles and share them; conv_unit README). */
  rqLanes: number;
}

export interface EnginePlan {
  stages: StagePlan[];
  /** Cycles per cell of the slowest stage: the pipeline's rate. */
  cellCycles: number;
  macs: number;
  /** Halo cells on each side of a stripe: the number of 3x3 stages on the path, at least 1 (the skip). */
  halo: number;
  /** Widest stripe in cells including halos (line-buffer depth). */
  stripeCells: number;
  /** Owned cells of an interior stripe: stripeCells - 2 * halo. */
  ownedCells: number;
}

/** Fewest MACs (cpar * P) that compute cout outputs of T operands within `budget` cycles. */
export function chooseLanes(T: number, cout: number, budget: number): { cpar: number; P: number; cycles: number } {
  let best: { cpar: number; P: number; cycles: number } | undefined;
  for (let cpar = 1; cpar <= cout; cpar++) {
    const cg = Math.ceil(cout / cpar);
    const groups = Math.floor(budget / cg);
    if (groups < 1) continue;
    const P = Math.ceil(T / Math.min(groups, T));
    const cycles = cg * Math.ceil(T / P);
    const better = !best || cpar * P < best.cpar * best.P || (cpar * P === best.cpar * best.P && cycles < best.cycles);
    if (better) best = { cpar, P, cycles };
  }
  if (!best) throw new Error(`chooseLanes: no lane split of ${cout} outputs fits ${budget} cycles`); // unreachable: cpar = cout, P = T gives 1 cycle
  return best;
}

/** Stage list in pipeline order with lanes chosen for hw.cellCycles. */
export function buildPlan(net: NetConfig, hw: HwConfig): EnginePlan {
  const table = layerTable(net);
  const stages: StagePlan[] = [];
  const add = (name: string, role: StageRole, cin: number, k: number, cout: number, useful: number) => {
    const T = cin * k * k;
    const l = chooseLanes(T, cout, hw.cellCycles);
    const rqLanes = Math.ceil(l.cpar / Math.ceil(T / l.P));
    stages.push({ name, role, k, cin, cout, T, cpar: l.cpar, P: l.P, macs: l.cpar * l.P, cycles: l.cycles, usefulMacsPerCell: useful, rqLanes });
  };
  for (const L of table) {
    if (L.role === 'feat') add(L.name, 'feat', L.cin, L.k, L.cout, L.cin * L.cout * L.k * L.k);
    else if (L.name.endsWith('.z')) {
      const g = L.name.slice(0, -2);
      add(`${g}.zr`, 'gate', L.cin, L.k, 2 * L.cout, 2 * L.cin * L.cout * L.k * L.k);
    } else if (L.name.endsWith('.n')) add(L.name, 'cand', L.cin, L.k, L.cout, L.cin * L.cout * L.k * L.k);
    else if (L.role === 'head') {
      if (L.kind === 'deconv') add('head', 'head', L.cin, headKernel(L.k), 9, L.cin * L.k * L.k);
      else add('head', 'head', L.cin, L.k, 9, L.cin * 9 * L.k * L.k);
    }
  }
  // Conv errors from a stripe's zero-padded edge move one cell inward per 3x3 stage; the bilinear
  // skip reads the exact X0 of the neighbouring cells (wrong only at the edge cell itself), so it
  // needs a halo of 1 even when no conv stage is 3x3.
  const halo = Math.max(1, stages.reduce((a, s) => a + ((s.k - 1) >> 1), 0));
  const cellCycles = Math.max(...stages.map((s) => s.cycles));
  return { stages, cellCycles, macs: stages.reduce((a, s) => a + s.macs, 0), halo, stripeCells: hw.stripeCells, ownedCells: hw.stripeCells - 2 * halo };
}

/** A stride-3 deconv with kernel K (padding (K-3)/2) reaches ceil(((K-3)/2)/3) cells each side. */
export function headKernel(deconvK: number): number {
  return 1 + 2 * Math.ceil((deconvK - 3) / 2 / 3);
}

export interface StripeJob {
  /** First cell column the stripe reads (including its left halo, clipped to the frame). */
  first: number;
  /** Cells the stripe covers (its width as a frame). */
  cells: number;
  /** Owned columns, relative to `first`: [ownLo, ownHi). */
  ownLo: number;
  ownHi: number;
}

/** Cut gridW cells into stripes of at most plan.stripeCells cells with plan.halo on each side. */
export function stripeJobs(gridW: number, plan: EnginePlan): StripeJob[] {
  const { halo, stripeCells } = plan;
  if (gridW <= stripeCells) return [{ first: 0, cells: gridW, ownLo: 0, ownHi: gridW }];
  if (plan.ownedCells < 1) throw new Error(`stripeCells = ${stripeCells} leaves no owned cells with a halo of ${halo} on each side`);
  const jobs: StripeJob[] = [];
  // Edge stripes need no halo on the frame side, so they own stripeCells - halo cells.
  for (let own = 0; own < gridW; ) {
    const first = Math.max(0, own - halo);
    const end = Math.min(gridW, first + stripeCells);
    const ownEnd = end === gridW ? gridW : end - halo;
    jobs.push({ first, cells: end - first, ownLo: own - first, ownHi: ownEnd - first });
    own = ownEnd;
  }
  return jobs;
}
