// The project's named resamplers (all Pillow-exact, see pillow.ts).
import { ModelInputError, E } from '../errors.ts';
import type { Image } from '../image.ts';
import { BICUBIC, BILINEAR, resizePillow } from './pillow.ts';

export const bicubicResize = (img: Image, w: number, h: number) => resizePillow(img, w, h, BICUBIC);
export const bilinearResize = (img: Image, w: number, h: number) => resizePillow(img, w, h, BILINEAR);

/** Output size of scaling by num/den; the input must divide exactly. */
export function scaledSize(width: number, height: number, num: number, den: number, where: string): { width: number; height: number } {
  if ((width * num) % den !== 0 || (height * num) % den !== 0) {
    throw new ModelInputError(E.ODD_SIZE, `${where}: ${width}x${height} scaled by ${num}/${den} is not a whole number of pixels`);
  }
  return { width: (width * num) / den, height: (height * num) / den };
}

/** x1.5 upscale (720p → 1080p): needs even sizes. */
export function upscale15(img: Image, method: 'bilinear' | 'bicubic', where = 'image'): Image {
  const s = scaledSize(img.width, img.height, 3, 2, where);
  return method === 'bicubic' ? bicubicResize(img, s.width, s.height) : bilinearResize(img, s.width, s.height);
}

/** Antialiased bicubic ÷1.5 (Pillow BICUBIC): needs sizes that are multiples of 3. */
export function downscale15(img: Image, where = 'image'): Image {
  const s = scaledSize(img.width, img.height, 2, 3, where);
  return bicubicResize(img, s.width, s.height);
}
