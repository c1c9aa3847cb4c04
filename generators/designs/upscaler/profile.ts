// The hardware profiler: what a config costs in MACs, cycles, memory and DRAM traffic, and
// whether it meets the frame rate. All numbers come from the schedule (schedule.ts).
import { layerTable, type NetConfig } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';
import { buildSchedule, frameCycles, type CycleReport } from './schedule.ts';
import { onChipBuffers, dramTraffic, UM2_PER_BIT, type Buffer, type DramTraffic } from './memory.ts';

export interface LayerProfile {
  name: string;
  kind: string;
  cin: number;
  cout: number;
  k: number;
  macs_per_cell: number;
  macs_per_lr_pixel: number;
  params: number;
}

export interface Profile {
  config: { net: NetConfig; hw: HwConfig };
  layers: LayerProfile[];
  macs_per_lr_pixel: number;
  params: number;
  macs_per_frame: number;
  cycles_per_frame: number;
  mac_cycles_per_frame: number;
  vector_cycles_per_frame: number;
  utilisation: number;
  passes: CycleReport['perPass'];
  fps: number;
  target_fps: number;
  meets_target: boolean;
  /** MACs per LR px the array can afford at target_fps and 100% utilisation. */
  budget_macs_per_lr_pixel: number;
  stripes: number;
  halo_cells: number;
  onchip_memory_bits: number;
  onchip_memory_mm2: { flipflop: number; sram: number };
  buffers: Buffer[];
  dram_bytes_per_frame: number;
  dram: DramTraffic;
  dram_gb_per_s: number;
  verdict: string;
}

export function profileUpscaler(net: NetConfig, hw: HwConfig, targetFps = 30): Profile {
  const layers: LayerProfile[] = layerTable(net).map((l) => {
    const macs = l.cin * l.cout * l.k * l.k;
    return { name: l.name, kind: l.kind, cin: l.cin, cout: l.cout, k: l.k, macs_per_cell: macs, macs_per_lr_pixel: macs / 4, params: macs + l.cout };
  });
  const macsPerCell = layers.reduce((a, l) => a + l.macs_per_cell, 0);
  const sched = buildSchedule(net, hw);
  const cyc = frameCycles(sched, hw);
  const buffers = onChipBuffers(net, hw, sched);
  const bits = buffers.reduce((a, b) => a + b.bits, 0);
  const dram = dramTraffic(net, hw, sched);
  const hz = hw.clockMhz * 1e6;
  const fps = hz / cyc.cyclesPerFrame;
  const lrPx = hw.lrWidth * hw.lrHeight;
  const budget = (hw.rows * hw.cols * hz) / (lrPx * targetFps);
  const meets = fps >= targetFps;
  const mpp = macsPerCell / 4;
  const verdict = meets
    ? `meets ${targetFps} fps: ${fps.toFixed(1)} fps at ${hw.clockMhz} MHz (${mpp} MACs/LR px of a ${budget.toFixed(0)} budget, ${(cyc.utilisation * 100).toFixed(1)}% MAC utilisation)`
    : `CANNOT meet ${targetFps} fps: only ${fps.toFixed(1)} fps at ${hw.clockMhz} MHz (${mpp} MACs/LR px against a ${budget.toFixed(0)} budget at 100% utilisation; the schedule reaches ${(cyc.utilisation * 100).toFixed(1)}%)`;
  return {
    config: { net, hw },
    layers,
    macs_per_lr_pixel: mpp,
    params: layers.reduce((a, l) => a + l.params, 0),
    macs_per_frame: cyc.usefulMacsPerFrame,
    cycles_per_frame: cyc.cyclesPerFrame,
    mac_cycles_per_frame: cyc.macCyclesPerFrame,
    vector_cycles_per_frame: cyc.vectorCyclesPerFrame,
    utilisation: cyc.utilisation,
    passes: cyc.perPass,
    fps,
    target_fps: targetFps,
    meets_target: meets,
    budget_macs_per_lr_pixel: budget,
    stripes: sched.stripes.length,
    halo_cells: sched.inputHalo,
    onchip_memory_bits: bits,
    onchip_memory_mm2: { flipflop: (bits * UM2_PER_BIT.flipflop) / 1e6, sram: (bits * UM2_PER_BIT.sram) / 1e6 },
    buffers,
    dram_bytes_per_frame: dram.totalBytes,
    dram,
    dram_gb_per_s: (dram.totalBytes * fps) / 1e9,
    verdict,
  };
}
