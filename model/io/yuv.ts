// YuvFrame (y4m planes) <-> RGB Image with the hardware integer BT.601 transform.
// 4:2:0 chroma: 2x2 box average going down (centred siting, as C420jpeg), pixel
// replication going up; that is all the chip's colour path does with chroma.
import { rgbToYcbcrInt, ycbcrIntToRgb } from '../color.ts';
import type { Image } from '../image.ts';
import { chromaSize, type Chroma, type YuvFrame } from './y4m.ts';

export function downsampleChroma420(p: Uint8Array, width: number, height: number): Uint8Array {
  const { cw, ch } = chromaSize(width, height, '420');
  const out = new Uint8Array(cw * ch);
  for (let cy = 0; cy < ch; cy++) {
    const y0 = 2 * cy, y1 = Math.min(y0 + 1, height - 1);
    for (let cx = 0; cx < cw; cx++) {
      const x0 = 2 * cx, x1 = Math.min(x0 + 1, width - 1);
      out[cy * cw + cx] = (p[y0 * width + x0] + p[y0 * width + x1] + p[y1 * width + x0] + p[y1 * width + x1] + 2) >> 2;
    }
  }
  return out;
}

export function upsampleChroma420(p: Uint8Array, width: number, height: number): Uint8Array {
  const { cw } = chromaSize(width, height, '420');
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = (y >> 1) * cw;
    for (let x = 0; x < width; x++) out[y * width + x] = p[row + (x >> 1)];
  }
  return out;
}

export function rgbToYuvFrame(img: Image, chroma: Chroma): YuvFrame {
  const { y, cb, cr } = rgbToYcbcrInt(img);
  const { width, height } = img;
  if (chroma === '444') return { width, height, chroma, y, u: cb, v: cr };
  return { width, height, chroma, y, u: downsampleChroma420(cb, width, height), v: downsampleChroma420(cr, width, height) };
}

export function yuvFrameToRgb(f: YuvFrame): Image {
  const u = f.chroma === '444' ? f.u : upsampleChroma420(f.u, f.width, f.height);
  const v = f.chroma === '444' ? f.v : upsampleChroma420(f.v, f.width, f.height);
  return ycbcrIntToRgb(f.width, f.height, f.y, u, v);
}
