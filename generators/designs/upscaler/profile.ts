// The hardware profiler: what a config costs in MACs, cycles, memory and DRAM traffic, and
// whether it meets the frame rate. Stages come from the engine plan (plan.ts), cycles from the
// frame timing (schedule.ts), storage and traffic from memory.ts.
import { layerTable, type NetConfig } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';
import { buildPlan, type StageRole } from './plan.ts';
import { frameTiming, OUT_BEATS_PER_CELL, STRIPE_PIPELINE_LATENCY, type Bound } from './schedule.ts';
import { onChipBuffers, memoryTotals, dramTraffic, type Buffer, type DramTraffic, type MemoryTotals } from './memory.ts';

export interface StageProfile {
  name: string;
  role: StageRole;
  cin: number;
  cout: number;
  k: number;
  T: number;
  cpar: number;
  P: number;
  macs: number;
  cycles_per_cell: number;
  useful_macs_per_cell: number;
  /** useful MACs / (cycles_per_cell x macs): how well the stage's lanes fit its layer. */
  lane_utilisation: number;
  /** Over the frame: useful MACs / (cycles_per_frame x macs) (adds halo, rate and fill losses). */
  utilisation: number;
}

export interface Profile {
  config: { net: NetConfig; hw: HwConfig };
  stages: StageProfile[];
  /** Network MACs per LR pixel (useful MACs per cell / 4). */
  macs_per_lr_pixel: number;
  params: number;
  /** MACs built: sum of the stages' cpar x P. */
  macs: number;
  /** Useful (network) MACs per frame. */
  macs_per_frame: number;
  /** Cycles per cell of the slowest stage (plan.cellCycles). */
  cell_cycles: number;
  /** What limits the rows of the widest stripe. */
  bound: Bound;
  cycles_per_frame: number;
  fill_cycles_per_frame: number;
  stripe_pipeline_latency: number;
  utilisation: number;
  fps: number;
  target_fps: number;
  meets_target: boolean;
  /** MACs per LR px the built MACs can afford at target_fps and 100% utilisation. */
  budget_macs_per_lr_pixel: number;
  stripes: number;
  halo: number;
  owned_cells: number;
  /** Cells computed per grid row over all stripes / cells of a grid row - 1. */
  halo_overhead: number;
  onchip_memory_bits: number;
  onchip_memory: MemoryTotals;
  buffers: Buffer[];
  dram_bytes_per_frame: number;
  dram: DramTraffic;
  dram_gb_per_s: number;
  verdict: string;
}

const BOUND_TEXT: Record<Bound, string> = {
  stages: 'the stages (cell_cycles per covered cell)',
  video_in: 'video in (4 LR px per cell)',
  video_out: `video out (${OUT_BEATS_PER_CELL} HR px per owned cell at 1 px/beat: fewer cycles per cell than that buys MACs, not fps)`,
};

export function profileUpscaler(net: NetConfig, hw: HwConfig, targetFps = 30): Profile {
  const plan = buildPlan(net, hw);
  const t = frameTiming(plan, hw);
  const buffers = onChipBuffers(net, plan, hw.video, hw.weightSource);
  const mem = memoryTotals(buffers);
  const dram = dramTraffic(net, hw, t);
  const cellsPerFrame = t.gridW * t.gridH;
  const usefulPerCell = plan.stages.reduce((a, s) => a + s.usefulMacsPerCell, 0);
  const macsPerFrame = usefulPerCell * cellsPerFrame;
  const cycles = t.cyclesPerFrame;
  const stages: StageProfile[] = plan.stages.map((s) => ({
    name: s.name,
    role: s.role,
    cin: s.cin,
    cout: s.cout,
    k: s.k,
    T: s.T,
    cpar: s.cpar,
    P: s.P,
    macs: s.macs,
    cycles_per_cell: s.cycles,
    useful_macs_per_cell: s.usefulMacsPerCell,
    lane_utilisation: s.usefulMacsPerCell / (s.cycles * s.macs),
    utilisation: (s.usefulMacsPerCell * cellsPerFrame) / (cycles * s.macs),
  }));
  const hz = hw.clockMhz * 1e6;
  const fps = hz / cycles;
  const utilisation = macsPerFrame / (cycles * plan.macs);
  const budget = (plan.macs * hz) / (hw.lrWidth * hw.lrHeight * targetFps);
  const meets = fps >= targetFps;
  const mpp = usefulPerCell / 4;
  const why = `bound by ${BOUND_TEXT[t.bound]}`;
  const verdict = meets
    ? `meets ${targetFps} fps: ${fps.toFixed(1)} fps at ${hw.clockMhz} MHz with ${plan.macs} MACs (${mpp} MACs/LR px, ${(utilisation * 100).toFixed(1)}% utilisation); ${why}`
    : `CANNOT meet ${targetFps} fps: only ${fps.toFixed(1)} fps at ${hw.clockMhz} MHz with ${plan.macs} MACs at ${plan.cellCycles} cycles per cell (${mpp} MACs/LR px against a ${budget.toFixed(0)} budget at 100% utilisation); ${why}`;
  return {
    config: { net, hw },
    stages,
    macs_per_lr_pixel: mpp,
    params: layerTable(net).reduce((a, l) => a + l.cin * l.cout * l.k * l.k + l.cout, 0),
    macs: plan.macs,
    macs_per_frame: macsPerFrame,
    cell_cycles: plan.cellCycles,
    bound: t.bound,
    cycles_per_frame: cycles,
    fill_cycles_per_frame: t.fillCyclesPerFrame,
    stripe_pipeline_latency: STRIPE_PIPELINE_LATENCY,
    utilisation,
    fps,
    target_fps: targetFps,
    meets_target: meets,
    budget_macs_per_lr_pixel: budget,
    stripes: t.stripes.length,
    halo: plan.halo,
    owned_cells: plan.ownedCells,
    halo_overhead: t.coveredCellsPerRow / t.gridW - 1,
    onchip_memory_bits: mem.bits,
    onchip_memory: mem,
    buffers,
    dram_bytes_per_frame: dram.totalBytes,
    dram,
    dram_gb_per_s: (dram.totalBytes * fps) / 1e9,
    verdict,
  };
}
