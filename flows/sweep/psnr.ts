// Quality of a swept config: the measured Y-PSNR of a trained network whose knobs equal the
// config's, from an evaluation results file. Nothing is estimated: no match or no measurement
// leaves the PSNR empty.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { netKnobs, netParams } from '../../generators/designs/upscaler/config.ts';
import type { NetConfig } from '../../model/net/weights.ts';
import { REPO_ROOT } from '../paths.ts';
import { FlowError } from '../errors.ts';

export const WEIGHTS_DIR = join(REPO_ROOT, 'weights');
/** Written by the golden-model area if it benchmarks quality; read when present. */
export const DEFAULT_QUALITY_FILE = join(REPO_ROOT, 'bench', 'results', 'quality.json');

export interface TrainedNet {
  /** Weights file name without .json (eval's `weights` entries name the file). */
  name: string;
  path: string;
  net: NetConfig;
}

export interface PsnrEntry {
  psnr_y_db: number;
  source: string;
}

/** Recurrent networks in weights/ (single-frame ablations run other hardware: no hidden state). */
export function trainedNets(dir = WEIGHTS_DIR): TrainedNet[] {
  if (!existsSync(dir)) return [];
  const out: TrainedNet[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const path = join(dir, f);
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // not ours to judge; `screen eval` reports broken weights
    }
    if (doc.format !== 'screen-crnn-weights' || doc.single_frame === true || !doc.config) continue;
    try {
      out.push({ name: f.replace(/\.json$/, ''), path, net: netKnobs(doc.config as Record<string, unknown>) });
    } catch {
      continue; // knobs outside the hardware ranges: no config of the sweep can match it
    }
  }
  return out;
}

/** Same hardware-relevant knobs (every key of netParams, lists compared by value). */
export function sameNetwork(a: NetConfig, b: NetConfig): boolean {
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  return Object.keys(netParams.specs).every((k) => JSON.stringify(ra[k]) === JSON.stringify(rb[k]));
}

/**
 * PSNR per weights name from results files. Two formats:
 *  - `screen eval --json` output: mean.psnr_y.fixed (the bit-exact fixed-point network, what the
 *    chip computes) for the file named in weights.fixed (likewise single_frame);
 *  - a plain map { "<weights name>": <mean fixed Y-PSNR dB> }.
 */
export function readPsnrFile(path: string): Map<string, PsnrEntry> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FlowError('E_SWEEP_PSNR', `cannot read PSNR results ${path}: ${(e as Error).message}`, 2);
  }
  const out = new Map<string, PsnrEntry>();
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new FlowError('E_SWEEP_PSNR', `${path}: expected a JSON object ('screen eval --json' output or { "<weights name>": dB })`, 2);
  const d = doc as Record<string, unknown>;
  const mean = (d.mean as { psnr_y?: Record<string, unknown> } | undefined)?.psnr_y;
  const weights = d.weights as Record<string, unknown> | undefined;
  if (mean && weights) {
    for (const m of ['fixed', 'single_frame']) {
      const w = weights[m];
      const v = mean[m];
      if (typeof w === 'string' && typeof v === 'number' && Number.isFinite(v)) out.set(basename(w).replace(/\.json$/, ''), { psnr_y_db: v, source: `${path} (mean.psnr_y.${m})` });
    }
    return out;
  }
  const bad: string[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'number' && Number.isFinite(v)) out.set(k, { psnr_y_db: v, source: path });
    else bad.push(k);
  }
  if (bad.length) throw new FlowError('E_SWEEP_PSNR', `${path}: entries ${bad.map((b) => `'${b}'`).join(', ')} are not numbers; expected 'screen eval --json' output or { "<weights name>": dB }`, 2);
  return out;
}

/** Merge several files; a later file wins for the same weights name. */
export function readPsnrFiles(paths: string[]): Map<string, PsnrEntry> {
  const all = new Map<string, PsnrEntry>();
  for (const p of paths) for (const [k, v] of readPsnrFile(p)) all.set(k, v);
  return all;
}

export interface QualityMatch {
  /** Trained networks with exactly this config's knobs. */
  weights: string[];
  psnr: (PsnrEntry & { weights: string }) | null;
}

/** Weights matching a config and the best measured PSNR among them (null when none measured). */
export function matchQuality(net: NetConfig, nets: TrainedNet[], psnr: Map<string, PsnrEntry>): QualityMatch {
  const weights = nets.filter((t) => sameNetwork(t.net, net)).map((t) => t.name);
  let best: (PsnrEntry & { weights: string }) | null = null;
  for (const w of weights) {
    const e = psnr.get(w);
    if (e && (!best || e.psnr_y_db > best.psnr_y_db)) best = { ...e, weights: w };
  }
  return { weights, psnr: best };
}
