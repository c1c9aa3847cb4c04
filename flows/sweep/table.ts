// One row per swept config: the profiler's throughput and memory, the synthesised array's area
// and fmax, and the measured PSNR when known. Area is the MAC array + on-chip memory ESTIMATE.
import type { Profile } from '../../generators/designs/upscaler/profile.ts';
import type { SweepConfig } from './grid.ts';
import type { SynthRecord } from './cache.ts';
import type { QualityMatch } from './psnr.ts';

/** SRAM density for on-chip memory (OpenRAM sky130 2 KB macro ≈ 0.158 mm² ≈ 10 µm²/bit, REFERENCE.md). */
export const SRAM_UM2_PER_BIT = 10;

export const AREA_LABEL =
  `array + memory estimate, not full-chip: synthesised MAC-array cell area (Yosys, sky130 hd) + on-chip memory bits x ${SRAM_UM2_PER_BIT} µm²/bit (SRAM); ` +
  'no control, GRU vector unit, DMA, I/O, clock tree or routing overhead';

export type SynthSource = 'synth' | 'cache' | 'merge';

export interface SweepRow {
  id: string;
  rows: number;
  cols: number;
  stripe: number;
  quant_bits: number;
  hidden_c: number;
  n_gcr: number;
  macs_per_lr_pixel: number;
  cycles_per_frame: number;
  /** At the target clock (the schedule's throughput). */
  fps: number;
  utilisation: number;
  meets_fps: boolean;
  onchip_memory_bits: number;
  dram_gb_per_s: number;
  array_area_mm2: number | null;
  memory_area_mm2: number;
  total_area_mm2: number | null;
  fmax_mhz: number | null;
  meets_clock: boolean | null;
  /** fps when the clock is limited to the array's fmax (= fps when fmax >= clock). */
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

export function buildRow(c: SweepConfig, p: Profile, synth: { record: SynthRecord; source: SynthSource } | null, synthError: string | null, q: QualityMatch): SweepRow {
  const mem = (p.onchip_memory_bits * SRAM_UM2_PER_BIT) / 1e6;
  const rec = synth?.record ?? null;
  const clock = c.hw.clockMhz;
  return {
    id: c.id,
    rows: c.rows,
    cols: c.cols,
    stripe: c.stripe,
    quant_bits: c.quant_bits,
    hidden_c: c.hidden_c,
    n_gcr: c.n_gcr,
    macs_per_lr_pixel: p.macs_per_lr_pixel,
    cycles_per_frame: p.cycles_per_frame,
    fps: r2(p.fps),
    utilisation: r4(p.utilisation),
    meets_fps: p.meets_target,
    onchip_memory_bits: p.onchip_memory_bits,
    dram_gb_per_s: r4(p.dram_gb_per_s),
    array_area_mm2: rec ? r4(rec.area_mm2) : null,
    memory_area_mm2: r4(mem),
    total_area_mm2: rec ? r4(rec.area_mm2 + mem) : null,
    fmax_mhz: rec ? rec.fmax_mhz : null,
    meets_clock: rec ? rec.fmax_mhz >= clock : null,
    fps_at_fmax: rec ? r2((p.fps * Math.min(clock, rec.fmax_mhz)) / clock) : null,
    array_power_mw: rec ? rec.power_mw : null,
    synth_source: synth?.source ?? null,
    synth_error: synthError,
    weights: q.weights.join(' '),
    psnr_y_db: q.psnr ? r4(q.psnr.psnr_y_db) : null,
    psnr_source: q.psnr ? `${q.psnr.weights}: ${q.psnr.source}` : '',
    pareto: false,
  };
}

export const CSV_COLUMNS: (keyof SweepRow)[] = [
  'id', 'rows', 'cols', 'stripe', 'quant_bits', 'hidden_c', 'n_gcr', 'macs_per_lr_pixel', 'cycles_per_frame', 'fps', 'utilisation', 'meets_fps',
  'onchip_memory_bits', 'dram_gb_per_s', 'array_area_mm2', 'memory_area_mm2', 'total_area_mm2', 'fmax_mhz', 'meets_clock', 'fps_at_fmax',
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
