// Learned linear baseline: every 2x2 LR cell maps to a 3x3 HR block, each of the 9
// HR luma samples a least-squares-fitted linear combination of the 6x6 LR luma
// window centred on the cell (81 MACs per LR pixel). Fitted by fit-linear.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelInputError, E } from '../errors.ts';
import type { Plane } from '../image.ts';
import { lumaFloat } from '../color.ts';
import { requireMultiple } from '../io/frames.ts';
import { upscale15 } from '../resample/scale.ts';
import { withLuma, type Upscaler } from '../protocol.ts';

export const TAPS = 6;
export const BLOCK = 3;
/** Offset of the window's first row/column from the cell's first LR pixel. */
export const WINDOW_OFFSET = -2;

export interface LinearWeights {
  name: string;
  taps: number;
  block: number;
  /** weights[o][k]: HR output o = by*3+bx of the block, LR tap k = ty*6+tx of the window. */
  weights: number[][];
  fit?: Record<string, unknown>;
}

export const DEFAULT_LINEAR_WEIGHTS = fileURLToPath(new URL('../../weights/linear_6x6.json', import.meta.url));

export function loadLinearWeights(path = DEFAULT_LINEAR_WEIGHTS): LinearWeights {
  let w: LinearWeights;
  try {
    w = JSON.parse(readFileSync(path, 'utf8')) as LinearWeights;
  } catch (e) {
    throw new ModelInputError(E.WEIGHTS, `cannot load linear-filter weights ${path}: ${(e as Error).message}`);
  }
  const ok =
    w.taps === TAPS && w.block === BLOCK && Array.isArray(w.weights) && w.weights.length === BLOCK * BLOCK &&
    w.weights.every((r) => Array.isArray(r) && r.length === TAPS * TAPS && r.every((v) => Number.isFinite(v)));
  if (!ok) throw new ModelInputError(E.WEIGHTS, `${path}: expected taps=${TAPS}, block=${BLOCK} and a 9x36 array of finite 'weights'`);
  return w;
}

/**
 * Gathers the 6x6 window (edge pixels replicated) of cell (cy, cx) into `win`.
 * Shared by the fitting and the application so both see the same taps.
 */
export function gatherWindow(lr: Plane, cy: number, cx: number, win: Float64Array): void {
  const { width: w, height: h, data } = lr;
  let k = 0;
  for (let ty = 0; ty < TAPS; ty++) {
    let y = 2 * cy + WINDOW_OFFSET + ty;
    y = y < 0 ? 0 : y >= h ? h - 1 : y;
    for (let tx = 0; tx < TAPS; tx++) {
      let x = 2 * cx + WINDOW_OFFSET + tx;
      x = x < 0 ? 0 : x >= w ? w - 1 : x;
      win[k++] = data[y * w + x];
    }
  }
}

/** Apply the filter to an LR luma plane (even sizes) → HR luma, clipped to 0..255. */
export function applyLinear(lr: Plane, lw: LinearWeights): Plane {
  requireMultiple(lr, 2, `LR luma plane`, 'the 2x2-cell linear filter');
  const W = (lr.width * 3) / 2, H = (lr.height * 3) / 2;
  const out = new Float64Array(W * H);
  const win = new Float64Array(TAPS * TAPS);
  const flat = Float64Array.from(lw.weights.flat());
  for (let cy = 0; cy < lr.height / 2; cy++) {
    for (let cx = 0; cx < lr.width / 2; cx++) {
      gatherWindow(lr, cy, cx, win);
      for (let o = 0; o < 9; o++) {
        let s = 0;
        for (let k = 0, base = o * 36; k < 36; k++) s += flat[base + k] * win[k];
        out[(3 * cy + ((o / 3) | 0)) * W + 3 * cx + (o % 3)] = s < 0 ? 0 : s > 255 ? 255 : s;
      }
    }
  }
  return { width: W, height: H, data: out };
}

/** MACs per LR pixel: 9 outputs x 36 taps per 2x2 LR cell. */
export const LINEAR_MACS = (BLOCK * BLOCK * TAPS * TAPS) / 4;

export function linearUpscaler(lw: LinearWeights = loadLinearWeights()): Upscaler {
  return {
    name: 'linear',
    reset() {},
    upscale(lr) {
      const y = applyLinear(lumaFloat(lr), lw);
      return { y, rgb: withLuma(y, upscale15(lr, 'bicubic', 'LR frame')) };
    },
  };
}
