// Bit-exact reference model of rgb_to_ycbcr (README.md): the integer BT.601 studio-range forward
// transform of model/color.ts (yInt, cbInt, crInt), rewritten as the RTL computes it: only
// non-negative sums of constant multiples (negative coefficients act on 255 - v = ~v), one
// offset, then bits [15:8]. test/blocks/rgb_to_ycbcr.test.ts checks it equals color.ts on all
// 2^24 inputs.
import { checkUnsigned } from '../bits.ts';

/** Offset of the Cb and Cr sums: 128 (rounding) + 128 * 256 (the +128 after the shift) - the ~v corrections. */
export const CHROMA_OFFSET = 4336;

/** {Y, Cb, Cr} of one RGB pixel, each 0..255 (Y 16..235, C 16..240). */
export function rgbToYcbcrPixel(r: number, g: number, b: number): [number, number, number] {
  const nr = 255 - r, ng = 255 - g, nb = 255 - b;
  const y = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
  const cb = (38 * nr + 74 * ng + 112 * b + CHROMA_OFFSET) >> 8;
  const cr = (112 * r + 94 * ng + 18 * nb + CHROMA_OFFSET) >> 8;
  return [y, cb, cr];
}

/** s_axis word: R in bits 7:0, G 15:8, B 23:16. */
export function packRgb(r: number, g: number, b: number): bigint {
  return BigInt(r | (g << 8) | (b << 16));
}

/** m_axis word: Y in bits 7:0, Cb 15:8, Cr 23:16. */
export function packYcbcr(y: number, cb: number, cr: number): bigint {
  return BigInt(y | (cb << 8) | (cr << 16));
}

/** The block on one 24-bit input word. */
export function rgbToYcbcrWord(x: bigint | number, where = 'rgb_to_ycbcr model'): bigint {
  checkUnsigned(x, 24, where);
  const v = Number(x);
  const [y, cb, cr] = rgbToYcbcrPixel(v & 255, (v >> 8) & 255, (v >> 16) & 255);
  return packYcbcr(y, cb, cr);
}
