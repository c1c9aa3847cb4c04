// Network weights JSON (format "screen-crnn-weights", written by train/export.py):
// loading, validation against the layer table implied by the config, typed arrays.
import { readFileSync } from 'node:fs';
import { ModelInputError, E } from '../errors.ts';

export interface NetConfig {
  name: string;
  feat_c: number[];
  feat_k: number;
  n_gcr: number;
  hidden_c: number;
  gate_k: number;
  cand_k: number;
  head_k: number;
  upsample_mode: 'pixelshuffle' | 'deconv';
  deconv_k: number;
  quant_bits: number;
  res_gain: number;
  /** Head input is [H, X0] (hidden_c + 4 channels, both scale 2^-7; docs/fixed-point.md 4.4). Absent = false. */
  head_x0?: boolean;
  /** Weight bits of the head's X0 part (head_x0 only; >= quant_bits, same per-channel scale as the H part). Absent = quant_bits. */
  head_x0_bits?: number;
}

/** Weight bits of each input channel group of a layer: the head's X0 channels may be wider (head_x0_bits). */
export function headX0Bits(cfg: NetConfig): number {
  return cfg.head_x0 && cfg.head_x0_bits !== undefined ? cfg.head_x0_bits : cfg.quant_bits;
}

/** Channels of the network input X0 (space-to-depth 2x2 of the LR luma). */
export const X0_C = 4;

export type Role = 'feat' | 'gate' | 'cand' | 'head';

export interface LayerShape {
  name: string;
  role: Role;
  kind: 'conv' | 'deconv';
  cin: number;
  cout: number;
  k: number;
}

export interface FloatLayer extends LayerShape {
  /** [cout][cin][k][k] */
  w: Float64Array;
  b: Float64Array;
}

export interface FixedLayer extends LayerShape {
  w: Int32Array;
  bias: Float64Array;
  M: Int32Array;
  shift: Int32Array;
  lo: number;
  hi: number;
  accBits: number;
}

export interface NetWeights {
  path: string;
  name: string;
  config: NetConfig;
  singleFrame: boolean;
  quantBits: number;
  macsPerLrPx: number;
  params: number;
  sigmoid: Int32Array;
  tanh: Int32Array;
  featAlpha: number[];
  float: Map<string, FloatLayer>;
  fixed: Map<string, FixedLayer>;
  layers: LayerShape[];
}

/** Layers in execution order (mirrors train/netdef.py layer_table). */
export function layerTable(cfg: NetConfig): LayerShape[] {
  const out: LayerShape[] = [];
  let cin = 4;
  cfg.feat_c.forEach((c, i) => {
    out.push({ name: `feat${i}`, role: 'feat', kind: 'conv', cin, cout: c, k: cfg.feat_k });
    cin = c;
  });
  const hc = cfg.hidden_c;
  for (let g = 0; g < cfg.n_gcr; g++) {
    out.push({ name: `gru${g}.z`, role: 'gate', kind: 'conv', cin: cin + hc, cout: hc, k: cfg.gate_k });
    out.push({ name: `gru${g}.r`, role: 'gate', kind: 'conv', cin: cin + hc, cout: hc, k: cfg.gate_k });
    out.push({ name: `gru${g}.n`, role: 'cand', kind: 'conv', cin: cin + hc, cout: hc, k: cfg.cand_k });
    cin = hc;
  }
  const headCin = hc + (cfg.head_x0 ? X0_C : 0);
  if (cfg.upsample_mode === 'pixelshuffle') out.push({ name: 'head', role: 'head', kind: 'conv', cin: headCin, cout: 9, k: cfg.head_k });
  else out.push({ name: 'head', role: 'head', kind: 'deconv', cin: headCin, cout: 1, k: cfg.deconv_k });
  return out;
}

/** docs/fixed-point.md 4.3, evaluated in float64. */
export function sigmoidLut(): Int32Array {
  return Int32Array.from({ length: 256 }, (_, i) => Math.min(255, Math.max(0, Math.floor(256 / (1 + Math.exp(-(i - 128) / 16)) + 0.5))));
}
export function tanhLut(): Int32Array {
  return Int32Array.from({ length: 256 }, (_, i) => Math.max(-127, Math.min(127, Math.floor(128 * Math.tanh((i - 128) / 32) + 0.5))));
}

type Json = Record<string, unknown>;

export function loadNetWeights(path: string): NetWeights {
  let doc: Json;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModelInputError(missing ? E.MISSING : E.WEIGHTS, missing ? `network weights not found: ${path}` : `cannot read network weights ${path}: ${(e as Error).message}`);
  }
  return parseNetWeights(doc, path);
}

export function parseNetWeights(doc: Json, path: string): NetWeights {
  const bad = (msg: string): never => {
    throw new ModelInputError(E.WEIGHTS, `${path}: ${msg}`);
  };
  if (doc.format !== 'screen-crnn-weights') bad(`not a screen-crnn-weights file (format=${JSON.stringify(doc.format)})`);
  if (doc.version !== 1) bad(`unsupported weights version ${JSON.stringify(doc.version)} (expected 1)`);
  const cfg = doc.config as NetConfig;
  if (!cfg || !Array.isArray(cfg.feat_c)) bad('missing config.feat_c');
  for (const k of ['feat_k', 'gate_k', 'cand_k', 'head_k'] as const) if (cfg[k] !== 1 && cfg[k] !== 3) bad(`config.${k} must be 1 or 3, got ${cfg[k]}`);
  if (!(cfg.n_gcr >= 1) || !(cfg.hidden_c >= 1)) bad('config.n_gcr and config.hidden_c must be >= 1');
  if (cfg.upsample_mode !== 'pixelshuffle' && cfg.upsample_mode !== 'deconv') bad(`config.upsample_mode '${cfg.upsample_mode}'`);
  if (cfg.upsample_mode === 'deconv' && cfg.deconv_k !== 3 && cfg.deconv_k !== 5) bad(`config.deconv_k must be 3 or 5, got ${cfg.deconv_k}`);
  if (cfg.head_x0 !== undefined && typeof cfg.head_x0 !== 'boolean') bad(`config.head_x0 must be true or false, got ${JSON.stringify(cfg.head_x0)}`);
  if (cfg.head_x0_bits !== undefined) {
    if (!cfg.head_x0) bad(`config.head_x0_bits = ${cfg.head_x0_bits} needs config.head_x0 = true`);
    if (![4, 6, 8, 10, 12].includes(cfg.head_x0_bits) || cfg.head_x0_bits < cfg.quant_bits) bad(`config.head_x0_bits must be 4, 6, 8, 10 or 12 and >= quant_bits ${cfg.quant_bits}, got ${JSON.stringify(cfg.head_x0_bits)}`);
    if (cfg.upsample_mode !== 'pixelshuffle' && cfg.head_x0_bits !== cfg.quant_bits) bad(`config.head_x0_bits differs from quant_bits only for a pixelshuffle head`);
  }
  const table = layerTable(cfg);
  const luts = doc.luts as { sigmoid?: number[]; tanh?: number[] } | undefined;
  const sig = sigmoidLut(), tanh = tanhLut();
  for (const [name, want, got] of [['sigmoid', sig, luts?.sigmoid], ['tanh', tanh, luts?.tanh]] as const) {
    if (!Array.isArray(got) || got.length !== 256) bad(`luts.${name} must have 256 entries`);
    const i = want.findIndex((v, j) => v !== got![j]);
    if (i >= 0) bad(`luts.${name}[${i}] = ${got![i]} but docs/fixed-point.md 4.3 gives ${want[i]}`);
  }
  const fl = (doc.float as { layers?: Json[]; feat_alpha?: number[] }) ?? bad('missing float section');
  const fx = (doc.fixed as { layers?: Json[] }) ?? bad('missing fixed section');
  const floatMap = new Map<string, FloatLayer>(), fixedMap = new Map<string, FixedLayer>();
  const shapeOf = (L: Json, sec: string, i: number) => {
    const want = table[i];
    if (!want) bad(`${sec}.layers has ${i + 1}+ layers, the config implies ${table.length}`);
    if (L.name !== want.name || L.kind !== want.kind || L.cin !== want.cin || L.cout !== want.cout || L.k !== want.k) {
      bad(`${sec}.layers[${i}] is ${L.name} ${L.kind} ${L.cin}->${L.cout} k${L.k}; config implies ${want.name} ${want.kind} ${want.cin}->${want.cout} k${want.k}`);
    }
    return want;
  };
  const nums = (v: unknown, n: number, what: string, int: boolean): number[] => {
    if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!int || Number.isInteger(x)))) {
      bad(`${what} must be ${n} finite ${int ? 'integers' : 'numbers'} (got ${Array.isArray(v) ? v.length : typeof v})`);
    }
    return v as number[];
  };
  if (!Array.isArray(fl.layers) || fl.layers.length !== table.length) bad(`float.layers must list ${table.length} layers`);
  if (!Array.isArray(fx.layers) || fx.layers.length !== table.length) bad(`fixed.layers must list ${table.length} layers`);
  fl.layers!.forEach((L, i) => {
    const s = shapeOf(L, 'float', i);
    const nw = s.cout * s.cin * s.k * s.k;
    floatMap.set(s.name, { ...s, w: Float64Array.from(nums(L.w, nw, `float ${s.name}.w`, false)), b: Float64Array.from(nums(L.b, s.cout, `float ${s.name}.b`, false)) });
  });
  fx.layers!.forEach((L, i) => {
    const s = shapeOf(L, 'fixed', i);
    const nw = s.cout * s.cin * s.k * s.k;
    const w = Int32Array.from(nums(L.w, nw, `fixed ${s.name}.w`, true));
    // The head's X0 input channels (the last X0_C) may use head_x0_bits (fixed-point.md 3).
    const xBits = headX0Bits(cfg), wideFrom = s.role === 'head' && s.kind === 'conv' ? (s.cin - X0_C) * s.k * s.k : Infinity;
    const limit = (i: number) => (i % (s.cin * s.k * s.k) >= wideFrom ? xBits : cfg.quant_bits);
    const wi = w.findIndex((v, i) => Math.abs(v) > 2 ** (limit(i) - 1) - 1);
    if (wi >= 0) bad(`fixed ${s.name}.w[${wi}] = ${w[wi]} outside ±${2 ** (limit(wi) - 1) - 1} (${limit(wi)}-bit${limit(wi) !== cfg.quant_bits ? ', the head\'s X0 part' : ''})`);
    const M = Int32Array.from(nums(L.M, s.cout, `fixed ${s.name}.M`, true));
    const S = Int32Array.from(nums(L.shift, s.cout, `fixed ${s.name}.shift`, true));
    M.forEach((m, c) => (m < 1 << 14 || m >= 1 << 15) && bad(`fixed ${s.name}.M[${c}] = ${m} outside [2^14, 2^15)`));
    S.forEach((v, c) => (v < 1 || v > 46) && bad(`fixed ${s.name}.shift[${c}] = ${v} outside [1, 46]`));
    const lo = L.lo as number, hi = L.hi as number;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi) bad(`fixed ${s.name}: bad lo/hi ${lo}/${hi}`);
    fixedMap.set(s.name, { ...s, w, bias: Float64Array.from(nums(L.bias, s.cout, `fixed ${s.name}.bias`, true)), M, shift: S, lo, hi, accBits: Number(L.acc_bits) });
  });
  const alpha = fl.feat_alpha ?? [];
  if (alpha.length !== cfg.feat_c.length) bad(`float.feat_alpha has ${alpha.length} entries, expected ${cfg.feat_c.length}`);
  const prof = (doc.profile ?? {}) as { macs_per_lr_px?: number; params?: number };
  return {
    path,
    name: String(doc.name ?? cfg.name),
    config: cfg,
    singleFrame: Boolean(doc.single_frame),
    quantBits: cfg.quant_bits,
    macsPerLrPx: Number(prof.macs_per_lr_px ?? table.reduce((a, L) => a + L.cout * L.cin * L.k * L.k, 0) / 4),
    params: Number(prof.params ?? NaN),
    sigmoid: sig,
    tanh,
    featAlpha: alpha,
    float: floatMap,
    fixed: fixedMap,
    layers: table,
  };
}
