// Bit-exact reference model of the line buffer: KxK windows with replicate or zero borders and
// optional border flags (README.md).
import { checkUnsigned, packLanes } from '../bits.ts';

export type Border = 'replicate' | 'zero';

export interface LineBufferParams {
  /** Window size (odd). */
  k: number;
  /** Largest supported line length in pixels. */
  maxWidth: number;
  pixelBits: number;
  /** Pixels outside the frame: 'replicate' (nearest edge pixel, default) or 'zero'. */
  border?: Border;
  /** Append the 4 border flag bits above the window (default false). */
  flags?: boolean;
}

/** A pixel (or a whole cell of channels): a number, or a bigint when wider than 53 bits. */
export type Pixel = number | bigint;

export interface Frame<T extends Pixel = number> {
  width: number;
  height: number;
  /** Row-major, width*height unsigned pixels. */
  pixels: ArrayLike<T>;
}

/** Where the window centre lies relative to the frame border. */
export interface BorderFlags {
  top: boolean;
  bottom: boolean;
  left: boolean;
  right: boolean;
}

/** An output beat: the KxK window, row-major (index dy*K+dx, dy=0 the top row). */
export interface WindowBeat<T extends Pixel = number> {
  window: T[];
  /** Start of frame: first window of a frame. */
  user: boolean;
  /** End of line: last window of a row. */
  last: boolean;
  flags: BorderFlags;
}

/** Input beats of a frame in AXI4-Stream video order: tuser on pixel (0,0), tlast on x = width-1. */
export function frameToBeats<T extends Pixel>(f: Frame<T>): { data: T; user: boolean; last: boolean }[] {
  const out: { data: T; user: boolean; last: boolean }[] = [];
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++) out.push({ data: f.pixels[y * f.width + x], user: x === 0 && y === 0, last: x === f.width - 1 });
  return out;
}

/**
 * Window centred on (y, x). 'replicate': coordinates clamped into the frame; 'zero': pixels
 * outside the frame are 0 (of the pixels' type).
 */
export function windowAt<T extends Pixel>(f: Frame<T>, k: number, y: number, x: number, border: Border = 'replicate'): T[] {
  const r = (k - 1) / 2;
  const zero = (typeof f.pixels[0] === 'bigint' ? 0n : 0) as T;
  const w: T[] = [];
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const yy = y + dy;
      const xx = x + dx;
      const inside = yy >= 0 && yy < f.height && xx >= 0 && xx < f.width;
      if (border === 'zero') w.push(inside ? f.pixels[yy * f.width + xx] : zero);
      else w.push(f.pixels[Math.min(f.height - 1, Math.max(0, yy)) * f.width + Math.min(f.width - 1, Math.max(0, xx))]);
    }
  }
  return w;
}

export function borderFlagsAt(f: Frame<Pixel>, y: number, x: number): BorderFlags {
  return { top: y === 0, bottom: y === f.height - 1, left: x === 0, right: x === f.width - 1 };
}

/** m_axis_tdata of a beat: lane i in bits [P*i+P-1 : P*i], then flags top, bottom, left, right (with p.flags). */
export function windowBeatData(b: WindowBeat<Pixel>, p: LineBufferParams): bigint {
  const data = packLanes(b.window, p.pixelBits);
  if (!p.flags) return data;
  const f = b.flags;
  const flagBits = BigInt((f.top ? 1 : 0) | (f.bottom ? 2 : 0) | (f.left ? 4 : 0) | (f.right ? 8 : 0));
  return data | (flagBits << BigInt(p.k * p.k * p.pixelBits));
}

/** All output beats for a sequence of frames (one window per input pixel). */
export function lineBufferModel<T extends Pixel = number>(p: LineBufferParams, frames: readonly Frame<T>[]): WindowBeat<T>[] {
  const out: WindowBeat<T>[] = [];
  frames.forEach((f, fi) => {
    if (f.width < 1 || f.width > p.maxWidth) throw new RangeError(`line_buffer model frame ${fi}: width ${f.width} outside [1, maxWidth=${p.maxWidth}]`);
    if (f.height < 1) throw new RangeError(`line_buffer model frame ${fi}: height ${f.height} < 1`);
    if (f.pixels.length !== f.width * f.height) throw new RangeError(`line_buffer model frame ${fi}: ${f.pixels.length} pixels for ${f.width}x${f.height}`);
    for (let i = 0; i < f.pixels.length; i++) checkUnsigned(f.pixels[i], p.pixelBits, `line_buffer model frame ${fi} pixel ${i}`);
    for (let y = 0; y < f.height; y++)
      for (let x = 0; x < f.width; x++)
        out.push({ window: windowAt(f, p.k, y, x, p.border), user: x === 0 && y === 0, last: x === f.width - 1, flags: borderFlagsAt(f, y, x) });
  });
  return out;
}
