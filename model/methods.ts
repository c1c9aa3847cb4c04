// The named upscalers `screen eval` can score, built from whatever weights exist.
import { existsSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { ModelInputError, E } from './errors.ts';
import type { Upscaler } from './protocol.ts';
import { INTERP_MACS, interpUpscaler } from './baselines/interp.ts';
import { loadNetWeights } from './net/weights.ts';
import { DEFAULT_NET_WEIGHTS, findSingleFrameWeights, fixedUpscaler, floatUpscaler } from './net/upscaler.ts';
import { DEFAULT_LINEAR_WEIGHTS, LINEAR_MACS, linearUpscaler, loadLinearWeights } from './baselines/linear.ts';

export const METHOD_NAMES = ['bilinear', 'bicubic', 'linear', 'float', 'fixed', 'single_frame'] as const;

export interface MethodInfo {
  macs: Record<string, number>;
  params: Record<string, number>;
  weights: Record<string, string>;
}

export interface MethodOptions {
  wanted?: string[];
  linearWeights?: string;
  netWeights?: string;
  singleWeights?: string;
  log?: (s: string) => void;
}

/** Paths in reports relative to the working directory when inside it (stable across checkouts). */
const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
};

export function buildMethods(opt: MethodOptions): { methods: Upscaler[]; info: MethodInfo } {
  const wanted = opt.wanted;
  for (const w of wanted ?? []) {
    if (!(METHOD_NAMES as readonly string[]).includes(w)) throw new ModelInputError(E.FORMAT, `unknown method '${w}'; known: ${METHOD_NAMES.join(', ')}`);
  }
  const want = (n: string) => !wanted || wanted.includes(n);
  const methods: Upscaler[] = [];
  const info: MethodInfo = { macs: {}, params: {}, weights: {} };
  for (const m of ['bilinear', 'bicubic'] as const) {
    if (!want(m)) continue;
    methods.push(interpUpscaler(m));
    info.macs[m] = INTERP_MACS[m];
    info.params[m] = 0;
  }
  if (want('linear')) {
    const path = opt.linearWeights ?? DEFAULT_LINEAR_WEIGHTS;
    if (existsSync(path) || opt.linearWeights || wanted) {
      methods.push(linearUpscaler(loadLinearWeights(path)));
      info.macs.linear = LINEAR_MACS;
      info.params.linear = 9 * 36;
      info.weights.linear = shown(path);
    } else opt.log?.(`note: no linear weights at ${path}; 'linear' skipped`);
  }
  // Network methods: present only when their weights exist (or were asked for by path).
  if (want('float') || want('fixed')) {
    const path = opt.netWeights ?? DEFAULT_NET_WEIGHTS;
    if (existsSync(path) || opt.netWeights || wanted) {
      const net = loadNetWeights(path);
      for (const m of ['float', 'fixed'] as const) {
        if (!want(m)) continue;
        methods.push(m === 'float' ? floatUpscaler(net) : fixedUpscaler(net));
        info.macs[m] = net.macsPerLrPx;
        info.params[m] = net.params;
        info.weights[m] = shown(path);
      }
    } else opt.log?.(`note: no network weights at ${path}; 'float' and 'fixed' skipped`);
  }
  if (want('single_frame')) {
    const path = opt.singleWeights ?? findSingleFrameWeights(opt.netWeights ?? DEFAULT_NET_WEIGHTS);
    if (path) {
      const net = loadNetWeights(path);
      if (!net.singleFrame) throw new ModelInputError(E.WEIGHTS, `${path} is not a single-frame network (single_frame is not true)`);
      methods.push(fixedUpscaler(net, 'single_frame', true));
      info.macs.single_frame = net.macsPerLrPx;
      info.params.single_frame = net.params;
      info.weights.single_frame = shown(path);
    } else if (wanted) throw new ModelInputError(E.MISSING, `no single-frame network weights (a weights/*.json with "single_frame": true); pass --single-weights`);
    else opt.log?.(`note: no single-frame network weights in weights/; 'single_frame' skipped`);
  }
  if (methods.length === 0) throw new ModelInputError(E.FORMAT, `no method to evaluate`);
  return { methods, info };
}
