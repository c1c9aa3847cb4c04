// Bit-exact reference model of the bilinear x1.5 pre-upscaler block: the golden skip path
// (model/net/skip.ts, docs/fixed-point.md 4.5) applied to each channel, as HR output beats.
import type { Image } from '../../../model/image.ts';
import { skipUpscale } from '../../../model/net/skip.ts';

export interface BilinearX15ModelParams {
  /** Channels per pixel (1 = luma, 3 = RGB); each 8 bits, channel 0 in the low bits. */
  channels: number;
  /** Longest LR line the block accepts. */
  maxWidth: number;
}

/** One HR output beat: packed channels, tuser on HR pixel (0,0), tlast on the last pixel of an HR line. */
export interface HrBeat {
  data: bigint;
  user: boolean;
  last: boolean;
}

/** Throws a RangeError naming the frame and what is wrong when the block cannot take it. */
export function checkFrame(p: BilinearX15ModelParams, f: Image, index: number): void {
  const what = `bilinear_x15 model frame ${index} (${f.width}x${f.height}x${f.channels})`;
  if (f.channels !== p.channels) throw new RangeError(`${what}: has ${f.channels} channels, the block has ${p.channels}`);
  if (f.width < 2 || f.width % 2 || f.width > p.maxWidth) throw new RangeError(`${what}: width must be even and in [2, maxWidth=${p.maxWidth}]`);
  if (f.height < 2 || f.height % 2) throw new RangeError(`${what}: height must be even and >= 2`);
  if (f.data.length !== f.width * f.height * f.channels) throw new RangeError(`${what}: ${f.data.length} samples, expected ${f.width * f.height * f.channels}`);
}

/** The HR image (3w/2 x 3h/2, same channels) of one LR frame: skipUpscale per channel. */
export function upscaleFrame(f: Image): Image {
  const C = f.channels;
  const W = (f.width * 3) / 2, H = (f.height * 3) / 2;
  const out = new Uint8Array(W * H * C);
  const plane = new Uint8Array(f.width * f.height);
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < plane.length; i++) plane[i] = f.data[i * C + c];
    const hr = skipUpscale(plane, f.width, f.height);
    for (let i = 0; i < hr.length; i++) out[i * C + c] = hr[i];
  }
  return { width: W, height: H, channels: C, data: out };
}

/** Expected output beats for a sequence of LR frames streamed back to back. */
export function bilinearX15Model(p: BilinearX15ModelParams, frames: readonly Image[]): HrBeat[] {
  const out: HrBeat[] = [];
  frames.forEach((f, fi) => {
    checkFrame(p, f, fi);
    const hr = upscaleFrame(f);
    const C = hr.channels;
    for (let y = 0; y < hr.height; y++)
      for (let x = 0; x < hr.width; x++) {
        let data = 0n;
        for (let c = C - 1; c >= 0; c--) data = (data << 8n) | BigInt(hr.data[(y * hr.width + x) * C + c]);
        out.push({ data, user: x === 0 && y === 0, last: x === hr.width - 1 });
      }
  });
  return out;
}
