// The integer "bilinear x1.5" skip path (docs/fixed-point.md 4.5), shared by the float
// and fixed models: per axis HR o = 3k+p reads two LR samples with weights in 64ths.

/** For an axis of n LR samples: first index, second index and first weight (second = 64 - w) per HR index. */
export function skipTaps(n: number): { i0: Int32Array; i1: Int32Array; w0: Int32Array } {
  const m = (n * 3) / 2;
  const i0 = new Int32Array(m), i1 = new Int32Array(m), w0 = new Int32Array(m);
  const cl = (v: number) => (v < 0 ? 0 : v > n - 1 ? n - 1 : v);
  for (let o = 0; o < m; o++) {
    const k = Math.floor(o / 3), p = o % 3;
    const a = p === 0 ? 2 * k - 1 : p === 1 ? 2 * k : 2 * k + 1;
    i0[o] = cl(a);
    i1[o] = cl(a + 1);
    w0[o] = p === 0 ? 11 : p === 1 ? 32 : 53;
  }
  return { i0, i1, w0 };
}

/** SKIP = (sum wy*wx*Y8 + 2048) >> 12, uint8 (H, W even). */
export function skipUpscale(y8: Uint8Array, w: number, h: number, out = new Uint8Array((w * 3 * h * 3) / 4)): Uint8Array {
  const W = (w * 3) / 2, H = (h * 3) / 2;
  const ty = skipTaps(h);
  // Vertical pass into an unrounded row (no intermediate rounding), then the horizontal
  // pass three HR pixels per LR pair with the fixed 11/53, 32/32, 53/11 weights.
  const row = new Int32Array(w);
  const last = w / 2 - 1;
  for (let Y = 0; Y < H; Y++) {
    const a = ty.i0[Y] * w, b = ty.i1[Y] * w, wa = ty.w0[Y], wb = 64 - wa;
    for (let x = 0; x < w; x++) row[x] = wa * y8[a + x] + wb * y8[b + x];
    let o = Y * W;
    for (let k = 0; k <= last; k++, o += 3) {
      const l = row[k === 0 ? 0 : 2 * k - 1], c0 = row[2 * k], c1 = row[2 * k + 1], r = row[k === last ? w - 1 : 2 * k + 2];
      out[o] = (11 * l + 53 * c0 + 2048) >> 12;
      out[o + 1] = (32 * c0 + 32 * c1 + 2048) >> 12;
      out[o + 2] = (53 * c1 + 11 * r + 2048) >> 12;
    }
  }
  return out;
}
