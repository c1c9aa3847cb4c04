// Frame timing of the layer pipeline (plan.ts): how many clock cycles a frame takes when the
// frame is cut into stripes (stripeJobs) and every stage runs concurrently.
//
// Per grid row of a stripe the pipeline is limited by the slowest of
//   - the stages: plan.cellCycles per covered cell (cell_pack emits a row's cells only during
//     the odd LR row, but a one-grid-row FIFO behind it keeps the stages fed meanwhile);
//   - video in: 4 LR px per covered cell at hw.pixelsPerBeat px per beat;
//   - video out: 9 HR px (beats) per *owned* cell; cell_unpack's two row banks let row i leave
//     while row i+1 is written, so output overlaps compute and only the larger one counts.
// Stripes run back to back: a stripe's zero-padded line buffers emit their bottom border rows
// and cell_unpack streams its last row before the next stripe starts (the fill/drain term).
import { stripeJobs, type EnginePlan } from './plan.ts';
import type { HwConfig } from './config.ts';

/** HR pixels (= video-out beats, 1 px per beat) per grid cell. */
export const OUT_BEATS_PER_CELL = 9;
/** LR pixels per grid cell. */
export const IN_PX_PER_CELL = 4;

/**
 * Register latency through one stripe's pipeline that the row terms do not cover, in cycles:
 * cell_pack, 5 conv_units (products, adder tree, accumulator, requant: ~10 each), the GRU
 * elementwise steps, joins/forks, skip_add and cell_unpack. An ESTIMATE from the blocks'
 * documented pipelines; the lead calibrates it against Verilator (test/designs/profile.test.ts
 * pins the formula that uses it).
 */
export const STRIPE_PIPELINE_LATENCY = 80;

/** A profile input that cannot be scheduled (exit 2, no stack trace). */
export class ScheduleInputError extends Error {
  readonly exitCode = 2;
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ScheduleInputError';
  }
}

export type Bound = 'stages' | 'video_in' | 'video_out';

export interface RowTiming {
  /** covered cells x plan.cellCycles. */
  stageCycles: number;
  /** Video-in beats of one grid row (2 LR rows of the stripe's covered columns). */
  videoInBeats: number;
  /** Video-out beats of one grid row (owned cells only). */
  videoOutBeats: number;
  /** Cycles per grid row: the largest of the three sides. */
  cycles: number;
  bound: Bound;
}

/** Cycles of one grid row of a stripe covering `cells` cells, of which `owned` are output. */
export function rowTiming(cells: number, owned: number, plan: EnginePlan, hw: HwConfig): RowTiming {
  const beatsPerLrRow = (2 * cells) / hw.pixelsPerBeat;
  const stageCycles = cells * plan.cellCycles;
  const videoInBeats = 2 * beatsPerLrRow;
  const videoOutBeats = owned * OUT_BEATS_PER_CELL;
  const cycles = Math.max(stageCycles, videoInBeats, videoOutBeats);
  const bound: Bound = cycles === stageCycles ? 'stages' : cycles === videoOutBeats ? 'video_out' : 'video_in';
  return { stageCycles, videoInBeats, videoOutBeats, cycles, bound };
}

/**
 * Per-stripe fill/drain, in cycles: after the stripe's last input row each of the plan.halo
 * zero-padded 3x3 line buffers emits one more (virtual) grid row at the stage rate, cell_unpack
 * then streams out the last grid row (9 beats per owned cell), plus STRIPE_PIPELINE_LATENCY.
 */
export function stripeFillCycles(cells: number, owned: number, plan: EnginePlan): number {
  return plan.halo * cells * plan.cellCycles + owned * OUT_BEATS_PER_CELL + STRIPE_PIPELINE_LATENCY;
}

export interface StripeTiming {
  first: number;
  cells: number;
  owned: number;
  row: RowTiming;
  fillCycles: number;
  /** gridH x row.cycles + fillCycles. */
  cycles: number;
}

export interface FrameTiming {
  gridW: number;
  gridH: number;
  stripes: StripeTiming[];
  /** Cells computed per grid row over all stripes (owned + halo). */
  coveredCellsPerRow: number;
  cyclesPerFrame: number;
  fillCyclesPerFrame: number;
  /** What limits the rows of the stripes that take most of the frame's cycles. */
  bound: Bound;
}

/** Cut the frame into stripes; a stripe too narrow to own a cell is a user error (exit 2). */
export function frameStripes(plan: EnginePlan, hw: HwConfig): ReturnType<typeof stripeJobs> {
  const gridW = hw.lrWidth / 2;
  if (gridW > plan.stripeCells && plan.ownedCells < 1) {
    throw new ScheduleInputError(
      'E_STRIPE_TOO_NARROW',
      `stripeCells = ${plan.stripeCells} leaves no owned cells: the network's halo is ${plan.halo} cells on each side (one per 3x3 stage), so a ${gridW}-cell-wide frame needs stripeCells >= ${2 * plan.halo + 1}`,
    );
  }
  return stripeJobs(gridW, plan);
}

export function frameTiming(plan: EnginePlan, hw: HwConfig): FrameTiming {
  const gridW = hw.lrWidth / 2;
  const gridH = hw.lrHeight / 2;
  const stripes = frameStripes(plan, hw).map((j): StripeTiming => {
    const owned = j.ownHi - j.ownLo;
    const row = rowTiming(j.cells, owned, plan, hw);
    const fillCycles = stripeFillCycles(j.cells, owned, plan);
    return { first: j.first, cells: j.cells, owned, row, fillCycles, cycles: gridH * row.cycles + fillCycles };
  });
  const share = new Map<Bound, number>();
  for (const s of stripes) share.set(s.row.bound, (share.get(s.row.bound) ?? 0) + s.cycles);
  const bound = [...share].sort((a, b) => b[1] - a[1])[0][0];
  return {
    gridW,
    gridH,
    stripes,
    coveredCellsPerRow: stripes.reduce((a, s) => a + s.cells, 0),
    cyclesPerFrame: stripes.reduce((a, s) => a + s.cycles, 0),
    fillCyclesPerFrame: stripes.reduce((a, s) => a + s.fillCycles, 0),
    bound,
  };
}
