// One synthesis job of the sweep = the MAC array for (rows, cols, quant_bits) at (corner, clock).
// Its result (the `screen synth --json` report) is cached under build/sweep-cache/ by a hash of
// those knobs, so repeated or overlapping sweeps reuse it.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import type { Corner } from '../pdk.ts';
import { FlowError } from '../errors.ts';

export const DEFAULT_CACHE_DIR = join(REPO_ROOT, 'build', 'sweep-cache');

/** Bump when the synth command line or what a cached report must contain changes. */
const CACHE_SCHEMA = 1;

export interface SynthJob {
  rows: number;
  cols: number;
  quant_bits: number;
  corner: Corner;
  clock_mhz: number;
}

/** What the sweep keeps from a synth report. */
export interface SynthRecord {
  area_mm2: number;
  fmax_mhz: number;
  fmax_reg2reg_mhz: number | null;
  worst_slack_ns: number;
  flops: number;
  cells: number;
  power_mw: number;
  top: string;
  synth_seconds: number;
}

export function jobKey(j: SynthJob): string {
  const h = createHash('sha256')
    .update(JSON.stringify({ schema: CACHE_SCHEMA, design: 'mac-array', pipeline: 1, rows: j.rows, cols: j.cols, quant_bits: j.quant_bits, corner: j.corner, clock_mhz: j.clock_mhz }))
    .digest('hex');
  return h.slice(0, 12);
}

/** File name of a job's JSON: readable knobs + the hash (the hash alone decides identity). */
export function jobFileName(j: SynthJob): string {
  return `mac-array-r${j.rows}c${j.cols}-w${j.quant_bits}-${j.corner}-${j.clock_mhz}MHz-${jobKey(j)}.json`;
}

/** The `screen synth` arguments for a job (without the program; --out is the work dir). */
export function synthArgs(j: SynthJob, workDir: string): string[] {
  return [
    'synth', '--design', 'mac-array', '--rows', String(j.rows), '--cols', String(j.cols), '--quant-bits', String(j.quant_bits),
    '--corner', j.corner, '--clock-mhz', String(j.clock_mhz), '--allow-violations', '--out', workDir, '--json',
  ];
}

/** Unique jobs of a set of (rows, cols, quant_bits), in first-seen order. */
export function uniqueJobs(points: { rows: number; cols: number; quant_bits: number }[], corner: Corner, clock_mhz: number): SynthJob[] {
  const seen = new Map<string, SynthJob>();
  for (const p of points) {
    const j: SynthJob = { rows: p.rows, cols: p.cols, quant_bits: p.quant_bits, corner, clock_mhz };
    const k = jobKey(j);
    if (!seen.has(k)) seen.set(k, j);
  }
  return [...seen.values()];
}

/**
 * Check that a synth report is the result of this job and pull out the numbers the sweep uses.
 * Returns a message instead when it is not (wrong knobs, missing fields, an error document).
 */
export function recordFromReport(j: SynthJob, doc: unknown, where: string): SynthRecord | string {
  if (!doc || typeof doc !== 'object') return `${where}: not a JSON object`;
  const r = doc as Record<string, unknown>;
  if (r.error) return `${where}: holds an error, not a synth report: ${JSON.stringify(r.error).slice(0, 300)}`;
  const cfg = (r.config ?? {}) as Record<string, unknown>;
  const want: [string, unknown, unknown][] = [
    ['design', r.design, 'mac-array'],
    ['config.rows', cfg.rows, j.rows],
    ['config.cols', cfg.cols, j.cols],
    ['config.weightBits', cfg.weightBits, j.quant_bits],
    ['corner', r.corner, j.corner],
    ['clock_mhz', r.clock_mhz, j.clock_mhz],
  ];
  const wrong = want.filter(([, got, exp]) => got !== exp).map(([k, got, exp]) => `${k} is ${JSON.stringify(got)}, expected ${JSON.stringify(exp)}`);
  if (wrong.length) return `${where}: not the report of mac-array ${j.rows}x${j.cols} w${j.quant_bits} ${j.corner} ${j.clock_mhz} MHz (${wrong.join('; ')})`;
  const num = (k: string) => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? (r[k] as number) : NaN);
  const missing = ['area_mm2', 'fmax_mhz', 'worst_slack_ns', 'flops', 'cells', 'power_mw', 'synth_seconds'].filter((k) => Number.isNaN(num(k)));
  if (missing.length) return `${where}: synth report lacks numeric ${missing.join(', ')}`;
  return {
    area_mm2: num('area_mm2'),
    fmax_mhz: num('fmax_mhz'),
    fmax_reg2reg_mhz: typeof r.fmax_reg2reg_mhz === 'number' ? r.fmax_reg2reg_mhz : null,
    worst_slack_ns: num('worst_slack_ns'),
    flops: num('flops'),
    cells: num('cells'),
    power_mw: num('power_mw'),
    top: String(r.top ?? ''),
    synth_seconds: num('synth_seconds'),
  };
}

/** Read a job's report from a directory of job JSONs; null when absent, FlowError when corrupt. */
export function readJobFile(dir: string, j: SynthJob): SynthRecord | null {
  const path = join(dir, jobFileName(j));
  if (!existsSync(path)) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FlowError('E_SWEEP_RESULT', `${path}: not valid JSON (${(e as Error).message}); delete it to rerun the job`, 2);
  }
  const rec = recordFromReport(j, doc, path);
  if (typeof rec === 'string') throw new FlowError('E_SWEEP_RESULT', `${rec}; delete it to rerun the job`, 2);
  return rec;
}

/** Store a report (the synth command's stdout) atomically, so a killed sweep leaves no half file. */
export function writeJobFile(dir: string, j: SynthJob, reportJson: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, jobFileName(j));
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, reportJson);
  renameSync(tmp, path);
  return path;
}
