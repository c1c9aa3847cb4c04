// The design-space sweep: profile every config of the grid (in-process, cheap), synthesise the
// reference MAC array once per weight width (worker processes, cached) for the area and fmax of
// one MAC, attach measured PSNR, and write the table (CSV + JSON) and the Pareto plot (SVG).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileUpscaler } from '../../generators/designs/upscaler/profile.ts';
import { FlowError } from '../errors.ts';
import { readJobFile, uniqueJobs, jobKey, type SynthJob, type SynthRecord } from './cache.ts';
import { expandGrid, synthPoints, type SweepGrid } from './grid.ts';
import { runSynthJobs } from './jobs.ts';
import { paretoFront } from './pareto.ts';
import { DEFAULT_QUALITY_FILE, matchQuality, readPsnrFiles, trainedNets, WEIGHTS_DIR, type PsnrEntry } from './psnr.ts';
import { renderPlot } from './svg.ts';
import { AREA_LABEL, buildRow, SRAM_UM2_PER_BIT, toCsv, type SweepRow, type SynthSource } from './table.ts';

export type SynthMode = 'synth' | 'no-synth' | 'merge';
export type ParetoOn = 'fps' | 'fps-at-fmax';

export interface SweepOptions {
  grid: SweepGrid;
  /** synth: run missing jobs (cache first); no-synth: cache only; merge: reports from mergeDir only. */
  mode: SynthMode;
  mergeDir?: string;
  parallel: number;
  cacheDir: string;
  /** Ignore cached reports and synthesise again (the new reports replace them). */
  fresh?: boolean;
  outDir: string;
  psnrFiles: string[];
  weightsDir?: string;
  qualityFile?: string;
  paretoOn: ParetoOn;
  log: (msg: string) => void;
}

export interface SweepResult {
  area_label: string;
  assumptions: string[];
  grid: SweepGrid;
  configs: number;
  synth: { mode: SynthMode; jobs: number; from_cache: number; ran: number; merged: number; failed: { job: SynthJob; error: string }[]; missing: number };
  pareto_on: ParetoOn;
  pareto: string[];
  /** The front among configs with a measured PSNR only. */
  pareto_measured_psnr: string[];
  rows: SweepRow[];
  psnr_sources: string[];
  outputs: { csv: string; json: string; svg: string };
}

/** A weights file embeds its network config; a train/configs/*.json file is the config itself. */
export function loadBaseNet(path: string): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new FlowError('E_SWEEP_NET', `cannot read network config ${path}: ${(e as Error).message}`, 2);
  }
  return doc.format === 'screen-crnn-weights' ? (doc.config as Record<string, unknown>) : doc;
}

export async function runSweep(o: SweepOptions): Promise<SweepResult> {
  const g = o.grid;
  const configs = expandGrid(g, loadBaseNet(g.base_net));
  o.log(`[sweep] ${configs.length} config(s): profiling ...`);
  const profiles = configs.map((c) => profileUpscaler(c.net, c.hw, g.target_fps));

  // Synthesis: the reference array once per distinct quant_bits (the MACs' weight width).
  const ref = { rows: g.array_rows, cols: g.array_cols };
  const jobs = uniqueJobs(synthPoints(g, configs), g.corner, g.clock_mhz);
  const got = new Map<string, { record: SynthRecord; source: SynthSource }>();
  const failed: { job: SynthJob; error: string }[] = [];
  let fromCache = 0;
  let merged = 0;
  let ran = 0;
  if (o.mode === 'merge') {
    const dir = o.mergeDir!;
    const missing: string[] = [];
    for (const j of jobs) {
      const rec = readJobFile(dir, j);
      if (rec) {
        got.set(jobKey(j), { record: rec, source: 'merge' });
        merged++;
      } else missing.push(`${j.rows}x${j.cols} w${j.quant_bits}`);
    }
    if (missing.length) throw new FlowError('E_SWEEP_MERGE', `--merge ${dir}: no synth report for ${missing.length} of ${jobs.length} job(s): ${missing.join(', ')} (run those make targets first)`, 2);
  } else {
    const todo: SynthJob[] = [];
    for (const j of jobs) {
      const rec = o.fresh ? null : readJobFile(o.cacheDir, j);
      if (rec) {
        got.set(jobKey(j), { record: rec, source: 'cache' });
        fromCache++;
      } else todo.push(j);
    }
    o.log(`[sweep] ${jobs.length} synth job(s): ${fromCache} cached, ${todo.length} ${o.mode === 'synth' ? `to run, ${o.parallel} at a time` : 'not run (--no-synth)'}`);
    if (o.mode === 'synth' && todo.length) {
      const outcomes = await runSynthJobs(todo, { parallel: o.parallel, resultDir: o.cacheDir, workRoot: join(o.cacheDir, 'work'), log: o.log });
      for (const r of outcomes) {
        if (r.record) {
          got.set(jobKey(r.job), { record: r.record, source: 'synth' });
          ran++;
        } else failed.push({ job: r.job, error: r.error ?? 'unknown failure' });
      }
    }
  }
  const missingSynth = jobs.filter((j) => !got.has(jobKey(j))).length;

  // Quality: measured PSNR of trained networks with the same knobs.
  const psnrFiles = [...o.psnrFiles];
  const quality = o.qualityFile ?? DEFAULT_QUALITY_FILE;
  let psnr = new Map<string, PsnrEntry>();
  if (!o.psnrFiles.length && existsSync(quality)) {
    try {
      psnr = readPsnrFiles([quality]);
      psnrFiles.push(quality);
    } catch (e) {
      o.log(`[sweep] note: ${quality} not used for PSNR: ${(e as Error).message}`);
    }
  } else psnr = readPsnrFiles(o.psnrFiles);
  const nets = trainedNets(o.weightsDir ?? WEIGHTS_DIR);

  const failedBy = new Map(failed.map((f) => [jobKey(f.job), f.error]));
  const rows = configs.map((c, i) => {
    const k = jobKey({ ...ref, quant_bits: c.quant_bits, corner: g.corner, clock_mhz: g.clock_mhz });
    return buildRow(c, profiles[i], ref, got.get(k) ?? null, failedBy.get(k) ?? null, matchQuality(c.net, nets, psnr));
  });

  // Pareto front over configs with a known area.
  const yOf = (r: SweepRow) => (o.paretoOn === 'fps' ? r.fps : r.fps_at_fmax!);
  const plotted = rows.filter((r) => r.total_area_mm2 !== null);
  for (const i of paretoFront(plotted.map((r) => ({ x: r.total_area_mm2!, y: yOf(r) })))) plotted[i].pareto = true;
  const byArea = (a: SweepRow, b: SweepRow) => a.total_area_mm2! - b.total_area_mm2! || a.id.localeCompare(b.id);
  const pareto = plotted.filter((r) => r.pareto).sort(byArea).map((r) => r.id);
  // The same front among configs whose quality was measured: what can be built with known PSNR.
  const measured = plotted.filter((r) => r.psnr_y_db !== null);
  const measuredFront = new Set(paretoFront(measured.map((r) => ({ x: r.total_area_mm2!, y: yOf(r) }))).map((i) => measured[i].id));
  const paretoMeasured = measured.filter((r) => measuredFront.has(r.id)).sort(byArea).map((r) => r.id);

  const assumptions = [
    `area = ${AREA_LABEL}`,
    `memory area density: SRAM ${SRAM_UM2_PER_BIT} µm²/bit (OpenRAM sky130 2 KB macro ≈ 0.158 mm²), flip-flops 20 µm²/bit; register sizes are estimates (screen profile marks them)`,
    `array area = the engine's MACs (sum of cpar x P over the stages) x the cell area per MAC of a ${g.array_rows}x${g.array_cols} DSL-generated weight-stationary MAC array (generators/blocks/mac_array, pipelined multiplier, int8 activations x quant_bits weights), ${g.corner} corner, ${g.clock_mhz} MHz target, no wire load; the conv_unit stages are not synthesised yet`,
    `fps = the layer-pipeline frame timing at ${g.clock_mhz} MHz (screen profile); fps_at_fmax = fps x min(clock, reference array fmax) / clock`,
    `pareto: minimum total area vs maximum ${o.paretoOn === 'fps' ? 'fps' : 'fps_at_fmax'}, over configs with a synthesised array`,
    'psnr_y_db: measured mean Y-PSNR of the fixed-point network of a weights/*.json with exactly these network knobs, from the PSNR files; empty when none',
  ];
  mkdirSync(o.outDir, { recursive: true });
  const outputs = { csv: join(o.outDir, 'sweep.csv'), json: join(o.outDir, 'sweep.json'), svg: join(o.outDir, 'pareto.svg') };
  const result: SweepResult = {
    area_label: AREA_LABEL,
    assumptions,
    grid: g,
    configs: configs.length,
    synth: { mode: o.mode, jobs: jobs.length, from_cache: fromCache, ran, merged, failed, missing: missingSynth },
    pareto_on: o.paretoOn,
    pareto,
    pareto_measured_psnr: paretoMeasured,
    rows,
    psnr_sources: psnrFiles,
    outputs,
  };
  writeFileSync(outputs.csv, toCsv(rows));
  writeFileSync(outputs.json, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(
    outputs.svg,
    renderPlot({
      title: `screen sweep: fps vs area (${plotted.length} of ${rows.length} configs with a synthesised reference array)`,
      subtitle: `area: MACs (per-MAC area of a ${g.array_rows}x${g.array_cols} array) + memory estimate, not full-chip; sky130 hd ${g.corner}, ${g.clock_mhz} MHz, ${g.lr_width}x${g.lr_height} in`,
      xLabel: 'MACs + on-chip memory area estimate (mm², not full-chip)',
      yLabel: o.paretoOn === 'fps' ? `frames per second at ${g.clock_mhz} MHz` : `frames per second at min(${g.clock_mhz} MHz, array fmax)`,
      targetY: g.target_fps,
      points: plotted.map((r) => ({ id: r.id, x: r.total_area_mm2!, y: yOf(r), psnr: r.psnr_y_db, front: r.pareto, missesClock: r.meets_clock === false, measuredFront: measuredFront.has(r.id) })),
    }),
  );
  o.log(`[sweep] wrote ${outputs.csv}, ${outputs.json}, ${outputs.svg}`);
  return result;
}
