// Whole-frame x1.5 upscaling the way the chip does it: luma through the bit-exact
// network (state carried frame to frame), chroma through the same fixed integer
// "bilinear x1.5" as the network's skip path (docs/fixed-point.md 4.5), all on
// integer BT.601 YCbCr. Used by `screen upscale`.
import { ModelInputError, E } from '../errors.ts';
import type { Image } from '../image.ts';
import { rgbToYcbcrInt, ycbcrIntToRgb } from '../color.ts';
import { chromaSize, type YuvFrame } from '../io/y4m.ts';
import { skipUpscale } from './skip.ts';

export interface LumaNet {
  run(y8: Uint8Array, w: number, h: number): Uint8Array;
  reset(): void;
}

function upPlane(p: Uint8Array, w: number, h: number, what: string): Uint8Array {
  if (w % 2 || h % 2) throw new ModelInputError(E.ODD_SIZE, `${what} is ${w}x${h}; x1.5 needs even width and height`);
  return skipUpscale(p, w, h);
}

export function upscaleYuvFrame(net: LumaNet, f: YuvFrame, where = 'y4m frame'): YuvFrame {
  if (f.width % 2 || f.height % 2) throw new ModelInputError(E.ODD_SIZE, `${where} is ${f.width}x${f.height}; x1.5 needs even width and height`);
  const W = (f.width * 3) / 2, H = (f.height * 3) / 2;
  const { cw, ch } = chromaSize(f.width, f.height, f.chroma);
  const hint = f.chroma === '420' ? ' (4:2:0 chroma planes are half size, so the frame must be a multiple of 4)' : '';
  const y = net.run(f.y, f.width, f.height);
  const u = upPlane(f.u, cw, ch, `${where} chroma plane${hint}`);
  const v = upPlane(f.v, cw, ch, `${where} chroma plane${hint}`);
  return { width: W, height: H, chroma: f.chroma, y, u, v };
}

export function upscaleRgbFrame(net: LumaNet, img: Image, where = 'frame'): Image {
  if (img.width % 2 || img.height % 2) throw new ModelInputError(E.ODD_SIZE, `${where} is ${img.width}x${img.height}; x1.5 needs even width and height`);
  const { y, cb, cr } = rgbToYcbcrInt(img);
  const W = (img.width * 3) / 2, H = (img.height * 3) / 2;
  return ycbcrIntToRgb(W, H, net.run(y, img.width, img.height), skipUpscale(cb, img.width, img.height), skipUpscale(cr, img.width, img.height));
}
