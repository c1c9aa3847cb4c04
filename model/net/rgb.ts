// The RGB888 golden model of the accelerator with video = 'rgb888' (docs/fixed-point.md
// section "RGB888 video"): integer BT.601 RGB -> YCbCr per LR pixel (model/color.ts), the
// fixed-point network on Y (recurrent, as FixedNet), the integer bilinear x1.5 skip on Cb and
// Cr (model/net/skip.ts, residual 0), and integer YCbCr -> RGB per HR pixel.
import type { Image } from '../image.ts';
import { rgbToYcbcrInt, ycbcrIntToRgb } from '../color.ts';
import { ModelInputError, E } from '../errors.ts';
import type { FixedNet } from './fixed.ts';
import { skipUpscale } from './skip.ts';

export interface RgbUpscaled {
  /** HR RGB (interleaved, 3 channels). */
  rgb: Image;
  /** HR planes before the colour conversion: Y from the network, Cb and Cr from the skip. */
  y: Uint8Array;
  cb: Uint8Array;
  cr: Uint8Array;
}

/** One LR RGB frame through `net` (its recurrent state carries over, as FixedNet.run). */
export function upscaleRgbFixed(net: FixedNet, lr: Image, trace?: Record<string, Int32Array>): RgbUpscaled {
  if (lr.channels !== 3) throw new ModelInputError(E.SIZE_MISMATCH, `upscaleRgbFixed: the LR frame has ${lr.channels} channel(s), expected 3 (RGB)`);
  const { width: w, height: h } = lr;
  const p = rgbToYcbcrInt(lr);
  const y = net.run(p.y, w, h, trace);
  const cb = skipUpscale(p.cb, w, h);
  const cr = skipUpscale(p.cr, w, h);
  return { rgb: ycbcrIntToRgb((3 * w) / 2, (3 * h) / 2, y, cb, cr), y, cb, cr };
}
