// Runs Upscalers over frame sequences under the evaluation protocol and scores them:
// per frame Y-PSNR and Y-SSIM, per sequence the mean of those and the temporal error.
// All frames are fed to stateful (recurrent) methods; only every `scoreEvery`-th is scored.
import type { Image, Plane } from './image.ts';
import { lumaFloat } from './color.ts';
import { psnrPlane, ssimPlane, TemporalError } from './metrics.ts';
import { hrFromFrame, lrFromHr, type Upscaled, type Upscaler } from './protocol.ts';
import { readSequence, type Sequence } from './io/frames.ts';

export type Scores = Record<string, number | null>;

export interface FrameResult {
  index: number;
  path: string;
  psnr_y: Scores;
  ssim_y: Scores;
}

export interface SequenceResult {
  name: string;
  frames: number;
  psnr_y: Scores;
  ssim_y: Scores;
  temporal: Scores;
  per_frame: FrameResult[];
}

export interface EvalOptions {
  maxFrames?: number;
  scoreEvery?: number;
  log?: (msg: string) => void;
  /** Called for every scored frame (used by the HTML report to grab crops). */
  onScored?: (seq: string, index: number, hr: Image, outs: Record<string, Upscaled>) => void;
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function evaluateSequence(seq: Sequence, methods: Upscaler[], opt: EvalOptions = {}): SequenceResult {
  const every = opt.scoreEvery ?? 1;
  const psnr: Record<string, number[]> = {}, ssim: Record<string, number[]> = {};
  const temporal: Record<string, TemporalError> = {};
  for (const m of methods) {
    m.reset();
    psnr[m.name] = [];
    ssim[m.name] = [];
    temporal[m.name] = new TemporalError();
  }
  const perFrame: FrameResult[] = [];
  let scored = 0;
  const t0 = Date.now();
  const total = Math.min(seq.frames.length, opt.maxFrames ?? Infinity);
  for (const { path, index, image } of readSequence(seq, opt.maxFrames)) {
    const score = index % every === 0;
    const stateful = methods.filter((m) => m.stateful);
    if (!score && stateful.length === 0) continue;
    const hr = hrFromFrame(image, path);
    const lr = lrFromHr(hr, path);
    let gtY: Plane | undefined;
    const outs: Record<string, Upscaled> = {};
    const fr: FrameResult = { index, path, psnr_y: {}, ssim_y: {} };
    for (const m of score ? methods : stateful) {
      const out = m.upscale(lr);
      if (!score) continue;
      gtY ??= lumaFloat(hr);
      outs[m.name] = out;
      const p = psnrPlane(out.y, gtY);
      psnr[m.name].push(p);
      const q = ssimPlane(out.y, gtY);
      ssim[m.name].push(q);
      fr.ssim_y[m.name] = q;
      temporal[m.name].add(out.y, gtY);
      fr.psnr_y[m.name] = p;
    }
    if (!score) continue;
    scored++;
    perFrame.push(fr);
    opt.onScored?.(seq.name, index, hr, outs);
    opt.log?.(`  ${seq.name} frame ${index + 1}/${total}: ${methods.map((m) => `${m.name} ${fr.psnr_y[m.name]!.toFixed(2)}`).join(', ')} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const pick = (f: (name: string) => number | null) => Object.fromEntries(methods.map((m) => [m.name, f(m.name)]));
  return {
    name: seq.name,
    frames: scored,
    psnr_y: pick((n) => mean(psnr[n])),
    ssim_y: pick((n) => mean(ssim[n])),
    // Consecutive *scored* frames: with scoreEvery > 1 this measures changes over that stride.
    temporal: pick((n) => temporal[n].value()),
    per_frame: perFrame,
  };
}

/**
 * Dataset mean. PSNR and SSIM: mean over all scored frames pooled (as the
 * REFERENCE.md baselines are quoted); temporal: sequences weighted by their number
 * of frame pairs. null where no frame has a value.
 */
export function meanOver(results: SequenceResult[], key: 'psnr_y' | 'ssim_y' | 'temporal'): Scores {
  const names = new Set(results.flatMap((r) => Object.keys(r[key])));
  const out: Scores = {};
  for (const n of names) {
    if (key === 'temporal') {
      let s = 0, w = 0;
      for (const r of results) {
        const v = r.temporal[n];
        if (v === null || v === undefined) continue;
        s += v * (r.frames - 1);
        w += r.frames - 1;
      }
      out[n] = w === 0 ? null : s / w;
    } else {
      out[n] = mean(results.flatMap((r) => r.per_frame.map((f) => f[key][n]).filter((v): v is number => v !== null && v !== undefined)));
    }
  }
  return out;
}
