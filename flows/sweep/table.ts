// One row per swept config: the profiler's throughput, memory and DRAM traffic, the MAC area and
// fmax from a synthesised reference array scaled to the engine's MAC count, and the measured
// PSNR when known. Area is the MACs + on-chip memory ESTIMATE.
import type { Profile } from '../../generators/designs/upscaler/profile.ts';
import { UM2_PER_BIT } from '../../generators/designs/upscaler/memory.ts';
import type { SweepConfig } from './grid.ts';
import type { SynthRecord } from './cache.ts';
import type { QualityMatch } from './psnr.ts';

/** SRAM density for on-chip RAMs (OpenRAM sky130 2 KB macro ≈ 0.158 mm² ≈ 10 µm²/bit, REFERENCE.md). */
export const SRAM_UM2_PER_BIT = UM2_PER_BIT.sram;

export const AREA_LABEL =
  'MACs + memory estimate, not full-chip: the engine\'s MAC count x the per-MAC cell area of a synthesised reference MAC array (Yosys, sky130 hd) + ' +
  `on-chip RAM bits x ${UM2_PER_BIT.sram} µm²/bit (SRAM) + register bits x ${UM2_PER_BIT.flops} µm²/bit (flip-flops); ` +
  'no weight ROMs, adder-tree/requant/control logic, DMA, I/O, clock tree or routing overhead';

export type SynthSource = 'synth' | 'cache' | 'merge';

export interface SweepRow {
  id: string;
  cell_cycles: number;
  stripe: number;
  quant_bits: number;
  hidden_c: number;
  n_gcr: number;
  macs_per_lr_pixel: number;
  /** MACs built (sum of the stages' cpar x P). */
  macs: number;
  cycles_per_frame: number;
  /** At the target clock. */
  fps: number;
  utilisation: number;
  meets_fps: boolean;
  /** What limits the pipeline: stages | video_in | video_out. */
  bound: string;
  halo_overhead: number;
  onchip_memory_bits: number;
  dram_mb_per_frame: number;
  dram_gb_per_s: number;
  /** The synthesised reference array, e.g. "8x8". */
  array_ref: string;
  array_area_mm2: number | null;
  memory_area_mm2: number;
  total_area_mm2: number | null;
  fmax_mhz: number | null;
  meets_clock: boolean | null;
  /** fps when the clock is limited to the reference array's fmax (= fps when fmax >= clock). */
  fps_at_fmax: number | null;
  array_power_mw: number | null;
  synth_source: SynthSource | null;
  synth_error: string | null;
  weights: string;
  psnr_y_db: number | null;
  psnr_source: string;
  pareto: boolean;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** `ref` is the reference array's size (rows x cols MACs); its area and power scale by p.macs / ref. */
export function buildRow(c: SweepConfig, p: Profile, ref: { rows: number; cols: number }, synth: { record: SynthRecord; source: SynthSource } | null, synthError: string | null, q: QualityMatch): SweepRow {
  const mem = p.onchip_memory.area_mm2;
  const rec = synth?.record ?? null;
  const clock = c.hw.clockMhz;
  const scale = p.macs / (ref.rows * ref.cols);
  const array = rec ? rec.area_mm2 * scale : null;
  return {
    id: c.id,
    cell_cycles: c.cell_cycles,
    stripe: c.stripe,
    quant_bits: c.quant_bits,
    hidden_c: c.hidden_c,
    n_gcr: c.n_gcr,
    macs_per_lr_pixel: p.macs_per_lr_pixel,
    macs: p.macs,
    cycles_per_frame: p.cycles_per_frame,
    fps: r2(p.fps),
    utilisation: r4(p.utilisation),
    meets_fps: p.meets_target,
    bound: p.bound,
    halo_overhead: r4(p.halo_overhead),
    onchip_memory_bits: p.onchip_memory_bits,
    dram_mb_per_frame: r4(p.dram_bytes_per_frame / 1e6),
    dram_gb_per_s: r4(p.dram_gb_per_s),
    array_ref: `${ref.rows}x${ref.cols}`,
    array_area_mm2: array === null ? null : r4(array),
    memory_area_mm2: r4(mem),
    total_area_mm2: array === null ? null : r4(array + mem),
    fmax_mhz: rec ? rec.fmax_mhz : null,
    meets_clock: rec ? rec.fmax_mhz >= clock : null,
    fps_at_fmax: rec ? r2((p.fps * Math.min(clock, rec.fmax_mhz)) / clock) : null,
    array_power_mw: rec ? r4(rec.power_mw * scale) : null,
    synth_source: synth?.source ?? null,
    synth_error: synthError,
    weights: q.weights.join(' '),
    psnr_y_db: q.psnr ? r4(q.psnr.psnr_y_db) : null,
    psnr_source: q.psnr ? `${q.psnr.weights}: ${q.psnr.source}` : '',
    pareto: false,
  };
}

export const CSV_COLUMNS: (keyof SweepRow)[] = [
  'id', 'cell_cycles', 'stripe', 'quant_bits', 'hidden_c', 'n_gcr', 'macs_per_lr_pixel', 'macs', 'cycles_per_frame', 'fps', 'utilisation', 'meets_fps',
  'bound', 'halo_overhead', 'onchip_memory_bits', 'dram_mb_per_frame', 'dram_gb_per_s', 'array_ref', 'array_area_mm2', 'memory_area_mm2', 'total_area_mm2', 'fmax_mhz', 'meets_clock', 'fps_at_fmax',
  'array_power_mw', 'synth_source', 'weights', 'psnr_y_db', 'psnr_source', 'pareto', 'synth_error',
];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV; empty cells where a value is unknown. */
export function toCsv(rows: SweepRow[]): string {
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((k) => csvCell(r[k])).join(','))].join('\n') + '\n';
}
