// The evaluation protocol shared by every method and by the training side:
//   HR = real frame, centre-cropped to multiples of 6 (854x480 -> 852x480), so that
//        both HR and LR = HR/1.5 tile into 3x3 HR / 2x2 LR blocks;
//   LR = HR downscaled by 1.5 with Pillow-exact antialiased bicubic (-> 568x320);
//   each method upscales LR x1.5 back to the HR size; frames go in order so a
//   recurrent method carries its state through a sequence (reset between sequences).
import type { Image, Plane } from './image.ts';
import { crop } from './image.ts';
import { ModelInputError, E } from './errors.ts';
import { downscale15 } from './resample/scale.ts';
import { lumaFloat, ycbcrToRgbFloat, cbFloat, crFloat } from './color.ts';

export const SCALE_NUM = 3;
export const SCALE_DEN = 2;
/** HR sizes must be multiples of this (3x3 HR blocks, each from 2x2 LR pixels). */
export const HR_MULTIPLE = 6;

/** Smallest HR side the metrics accept (4-px shave each side, then an 11x11 SSIM window). */
export const MIN_HR_SIDE = 24;

/** Centre crop of a frame to the largest multiple-of-6 size. */
export function hrFromFrame(frame: Image, where = 'frame'): Image {
  if (frame.width < MIN_HR_SIDE || frame.height < MIN_HR_SIDE) {
    throw new ModelInputError(E.ODD_SIZE, `${where} is ${frame.width}x${frame.height}; evaluation needs at least ${MIN_HR_SIDE}x${MIN_HR_SIDE}`);
  }
  const w = frame.width - (frame.width % HR_MULTIPLE);
  const h = frame.height - (frame.height % HR_MULTIPLE);
  if (w === frame.width && h === frame.height) return frame;
  return crop(frame, (frame.width - w) >> 1, (frame.height - h) >> 1, w, h);
}

export const lrFromHr = (hr: Image, where = 'HR frame') => downscale15(hr, where);

/** What a method returns for one frame: the luma it predicts (0..255 float scale) and an RGB picture. */
export interface Upscaled {
  y: Plane;
  rgb: Image;
}

/** A x1.5 upscaler under evaluation. Stateful methods keep state across upscale() calls. */
export interface Upscaler {
  name: string;
  /** Start of a new sequence: forget recurrent state. */
  reset(): void;
  upscale(lr: Image): Upscaled;
  /** True for recurrent methods: they must see every frame in order, scored or not. */
  stateful?: boolean;
}

/** A method that predicts RGB directly: its luma is the float BT.601 Y of that RGB. */
export function fromRgb(rgb: Image): Upscaled {
  return { y: lumaFloat(rgb), rgb };
}

/**
 * RGB picture for a luma-only method: its Y with the chroma of `chromaSource`
 * (bicubic in practice), converted back with the float BT.601 inverse and rounded.
 */
export function withLuma(y: Plane, chromaSource: Image): Image {
  const n = y.width * y.height;
  const out = { width: y.width, height: y.height, channels: 3, data: new Uint8Array(n * 3) };
  const s = chromaSource.data;
  for (let i = 0; i < n; i++) {
    const r = s[3 * i], g = s[3 * i + 1], b = s[3 * i + 2];
    const [R, G, B] = ycbcrToRgbFloat(y.data[i], cbFloat(r, g, b), crFloat(r, g, b));
    out.data[3 * i] = Math.max(0, Math.min(255, Math.round(R)));
    out.data[3 * i + 1] = Math.max(0, Math.min(255, Math.round(G)));
    out.data[3 * i + 2] = Math.max(0, Math.min(255, Math.round(B)));
  }
  return out;
}
