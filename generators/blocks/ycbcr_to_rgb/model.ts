// Bit-exact reference model of ycbcr_to_rgb (README.md): model/color.ts ycbcrToRgbInt
// (R = clip((298(Y-16) + 409(Cr-128) + 128) >> 8), G, B alike) rewritten as the RTL computes it:
// a non-negative sum P of constant multiples (negative coefficients act on 255 - v = ~v) minus
// one constant K per channel, then 0 if P < K, 255 if P - K >= 65536, else bits [15:8] of P - K.
// test/blocks/ycbcr_to_rgb.test.ts checks it equals color.ts on all 2^24 inputs.
import { checkUnsigned } from '../bits.ts';

/** Per channel: [coefficient of Y, of Cb, of ~Cb, of Cr, of ~Cr] and the constant K subtracted. */
export const RGB_TERMS = {
  r: { y: 298, cb: 0, ncb: 0, cr: 409, ncr: 0, k: 56992 },
  g: { y: 298, cb: 0, ncb: 100, cr: 0, ncr: 208, k: 43756 },
  b: { y: 298, cb: 516, ncb: 0, cr: 0, ncr: 0, k: 70688 },
} as const;

function channel(t: (typeof RGB_TERMS)['r' | 'g' | 'b'], y: number, cb: number, cr: number): number {
  const P = t.y * y + t.cb * cb + t.ncb * (255 - cb) + t.cr * cr + t.ncr * (255 - cr);
  if (P < t.k) return 0;
  const d = P - t.k;
  return d >= 65536 ? 255 : d >> 8;
}

/** [R, G, B] of one {Y, Cb, Cr} pixel (any 8-bit values). */
export function ycbcrToRgbPixel(y: number, cb: number, cr: number): [number, number, number] {
  return [channel(RGB_TERMS.r, y, cb, cr), channel(RGB_TERMS.g, y, cb, cr), channel(RGB_TERMS.b, y, cb, cr)];
}

/** The block on one 24-bit input word (Y 7:0, Cb 15:8, Cr 23:16) -> R 7:0, G 15:8, B 23:16. */
export function ycbcrToRgbWord(x: bigint | number, where = 'ycbcr_to_rgb model'): bigint {
  checkUnsigned(x, 24, where);
  const v = Number(x);
  const [r, g, b] = ycbcrToRgbPixel(v & 255, (v >> 8) & 255, (v >> 16) & 255);
  return BigInt(r | (g << 8) | (b << 16));
}
