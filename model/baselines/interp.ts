// Classical x1.5 interpolators (Pillow-exact bilinear and bicubic) as Upscalers.
import type { Upscaler } from '../protocol.ts';
import { fromRgb } from '../protocol.ts';
import { upscale15 } from '../resample/scale.ts';

export function interpUpscaler(method: 'bilinear' | 'bicubic'): Upscaler {
  return { name: method, reset() {}, upscale: (lr) => fromRgb(upscale15(lr, method, 'LR frame')) };
}

/** Multiply-accumulates per LR pixel of each x1.5 interpolator (separable taps x 2.25 HR px/LR px). */
export const INTERP_MACS = { bilinear: 9, bicubic: 36 } as const;
