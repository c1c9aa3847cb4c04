// The typed image every golden-model function passes around: interleaved 8-bit
// samples, row-major, `channels` per pixel (1 = luma/gray, 3 = RGB).
import { ModelInputError, E } from './errors.ts';

export interface Image {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export function newImage(width: number, height: number, channels: number): Image {
  return { width, height, channels, data: new Uint8Array(width * height * channels) };
}

/** Copy of the rectangle [x, x+w) x [y, y+h); throws if it leaves the image. */
export function crop(img: Image, x: number, y: number, w: number, h: number): Image {
  if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > img.width || y + h > img.height) {
    throw new ModelInputError(E.ODD_SIZE, `crop ${w}x${h}+${x}+${y} does not fit in a ${img.width}x${img.height} image`);
  }
  const out = newImage(w, h, img.channels);
  const c = img.channels;
  for (let r = 0; r < h; r++) {
    const src = ((y + r) * img.width + x) * c;
    out.data.set(img.data.subarray(src, src + w * c), r * w * c);
  }
  return out;
}

/** One channel of an image as a 1-channel image. */
export function channel(img: Image, ch: number): Image {
  const out = newImage(img.width, img.height, 1);
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) out.data[i] = img.data[i * img.channels + ch];
  return out;
}

/** Gray → RGB (replicated) or RGB as is; other channel counts are rejected. */
export function toRgb(img: Image): Image {
  if (img.channels === 3) return img;
  if (img.channels !== 1) throw new ModelInputError(E.FORMAT, `cannot convert a ${img.channels}-channel image to RGB`);
  const out = newImage(img.width, img.height, 3);
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) out.data[3 * i] = out.data[3 * i + 1] = out.data[3 * i + 2] = img.data[i];
  return out;
}

/** Float plane of one channel (e.g. luma) with explicit size. */
export interface Plane {
  width: number;
  height: number;
  data: Float64Array;
}

export function sameSize(a: { width: number; height: number }, b: { width: number; height: number }): boolean {
  return a.width === b.width && a.height === b.height;
}
