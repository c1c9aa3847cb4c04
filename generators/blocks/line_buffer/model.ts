// Bit-exact reference model of the line buffer: KxK windows with replicate borders (README.md).
import { checkUnsigned } from '../bits.ts';

export interface LineBufferParams {
  /** Window size (odd). */
  k: number;
  /** Largest supported line length in pixels. */
  maxWidth: number;
  pixelBits: number;
}

export interface Frame {
  width: number;
  height: number;
  /** Row-major, width*height unsigned pixels. */
  pixels: ArrayLike<number>;
}

/** An output beat: the KxK window, row-major (index dy*K+dx, dy=0 the top row). */
export interface WindowBeat {
  window: number[];
  /** Start of frame: first window of a frame. */
  user: boolean;
  /** End of line: last window of a row. */
  last: boolean;
}

/** Input beats of a frame in AXI4-Stream video order: tuser on pixel (0,0), tlast on x = width-1. */
export function frameToBeats(f: Frame): { data: number; user: boolean; last: boolean }[] {
  const out: { data: number; user: boolean; last: boolean }[] = [];
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x++) out.push({ data: f.pixels[y * f.width + x], user: x === 0 && y === 0, last: x === f.width - 1 });
  return out;
}

/** Window centred on (y, x) with coordinates clamped to the frame (replicate border). */
export function windowAt(f: Frame, k: number, y: number, x: number): number[] {
  const r = (k - 1) / 2;
  const w: number[] = [];
  for (let dy = -r; dy <= r; dy++) {
    const yy = Math.min(f.height - 1, Math.max(0, y + dy));
    for (let dx = -r; dx <= r; dx++) {
      const xx = Math.min(f.width - 1, Math.max(0, x + dx));
      w.push(f.pixels[yy * f.width + xx]);
    }
  }
  return w;
}

/** All output beats for a sequence of frames (one window per input pixel). */
export function lineBufferModel(p: LineBufferParams, frames: readonly Frame[]): WindowBeat[] {
  const out: WindowBeat[] = [];
  frames.forEach((f, fi) => {
    if (f.width < 1 || f.width > p.maxWidth) throw new RangeError(`line_buffer model frame ${fi}: width ${f.width} outside [1, maxWidth=${p.maxWidth}]`);
    if (f.height < 1) throw new RangeError(`line_buffer model frame ${fi}: height ${f.height} < 1`);
    if (f.pixels.length !== f.width * f.height) throw new RangeError(`line_buffer model frame ${fi}: ${f.pixels.length} pixels for ${f.width}x${f.height}`);
    for (let i = 0; i < f.pixels.length; i++) checkUnsigned(f.pixels[i], p.pixelBits, `line_buffer model frame ${fi} pixel ${i}`);
    for (let y = 0; y < f.height; y++)
      for (let x = 0; x < f.width; x++) out.push({ window: windowAt(f, p.k, y, x), user: x === 0 && y === 0, last: x === f.width - 1 });
  });
  return out;
}
