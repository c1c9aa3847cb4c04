// Die and core size for place and route: core = synthesised cell area /
// utilisation, square-ish, snapped to the Sky130 hd site grid, plus a margin
// for the power ring; checked against the chip's area budget.
import { FlowError } from '../errors.ts';

/** sky130_fd_sc_hd unithd site. */
export const SITE_W_UM = 0.46;
export const SITE_H_UM = 2.72;
/** The whole chip's core budget (screen-hdl target: ≤ 2 mm²). */
export const AREA_BUDGET_MM2 = 2;

/** Extra core area per µm² of memory macro: keep-out halo and routing channels around each macro. */
export const MACRO_HALO_FACTOR = 0.2;

export interface FloorplanOptions {
  cellAreaUm2: number;
  /** Memory macros placed in the core (µm²): they take macro area x (1 + MACRO_HALO_FACTOR), outside the utilisation. */
  macroAreaUm2?: number;
  /** Core utilisation, 0..1 (fraction of the core covered by standard cells). */
  utilization: number;
  /** Core width / height. */
  aspect?: number;
  marginUm?: number;
  budgetMm2?: number;
}

export interface Floorplan {
  /** x0 y0 x1 y1 in µm. */
  die: [number, number, number, number];
  core: [number, number, number, number];
  coreAreaUm2: number;
  /** Core area reserved for memory macros and their halos, µm². */
  macroReserveUm2: number;
  dieAreaMm2: number;
  utilization: number;
  marginUm: number;
  budgetMm2: number;
}

const snapUp = (x: number, step: number) => Math.ceil(x / step - 1e-9) * step;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function planFloorplan(o: FloorplanOptions): Floorplan {
  if (!(o.cellAreaUm2 > 0)) throw new FlowError('E_FLOORPLAN', `cell area must be > 0 µm², got ${o.cellAreaUm2}`);
  if (!(o.utilization > 0 && o.utilization <= 0.9)) throw new FlowError('E_FLOORPLAN', `utilisation must be in (0, 0.9], got ${o.utilization}`);
  const aspect = o.aspect ?? 1;
  const margin = snapUp(o.marginUm ?? 10, SITE_H_UM);
  const budget = o.budgetMm2 ?? AREA_BUDGET_MM2;
  const macroReserve = (o.macroAreaUm2 ?? 0) * (1 + MACRO_HALO_FACTOR);
  const coreArea = o.cellAreaUm2 / o.utilization + macroReserve;
  const w = snapUp(Math.sqrt(coreArea * aspect), SITE_W_UM);
  const h = snapUp(coreArea / w, SITE_H_UM);
  // The margin is a multiple of both grids' LCM-free choice: snap the die edge too.
  const mx = snapUp(margin, SITE_W_UM);
  const core: Floorplan['core'] = [r3(mx), r3(margin), r3(mx + w), r3(margin + h)];
  const die: Floorplan['die'] = [0, 0, r3(2 * mx + w), r3(2 * margin + h)];
  const dieAreaMm2 = (die[2] * die[3]) / 1e6;
  const fp = { die, core, coreAreaUm2: r3(w * h), macroReserveUm2: r3(macroReserve), dieAreaMm2: Math.round(dieAreaMm2 * 1e6) / 1e6, utilization: o.utilization, marginUm: margin, budgetMm2: budget };
  if (dieAreaMm2 > budget) {
    throw new FlowError(
      'E_OVER_BUDGET',
      `die ${fp.dieAreaMm2} mm² (${o.cellAreaUm2.toFixed(0)} µm² of cells at ${(o.utilization * 100).toFixed(0)} % utilisation` +
        `${macroReserve ? ` + ${macroReserve.toFixed(0)} µm² for memory macros and halos` : ''}) exceeds the ${budget} mm² budget` +
        `; the cells alone need ${(o.cellAreaUm2 / (budget * 1e6 - macroReserve)).toFixed(2)} utilisation of a ${budget} mm² core`,
      1,
    );
  }
  return fp;
}
