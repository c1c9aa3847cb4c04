// Separable convolution resampling that reproduces Pillow's ImagingResample
// (libImaging/Resample.c) bit for bit on 8-bit images: per output sample the filter
// support is scaled by the downscale factor (antialiasing), taps are normalised in
// double precision, quantised to fixed point with PRECISION_BITS = 22 (round half
// away from zero), accumulated in integers from a +2^21 rounding bias, clipped to
// 0..255 and stored as 8 bits between the horizontal and the vertical pass.
import type { Image } from '../image.ts';
import { newImage } from '../image.ts';

export interface Filter {
  name: string;
  support: number;
  f: (x: number) => number;
}

// Pillow's bicubic uses a = -0.5 (Keys / Catmull-Rom), not -0.75 as OpenCV.
const A = -0.5;
export const BICUBIC: Filter = {
  name: 'bicubic',
  support: 2,
  f: (x) => {
    if (x < 0) x = -x;
    if (x < 1) return ((A + 2) * x - (A + 3)) * x * x + 1;
    if (x < 2) return (((x - 5) * x + 8) * x - 4) * A;
    return 0;
  },
};
export const BILINEAR: Filter = {
  name: 'bilinear',
  support: 1,
  f: (x) => {
    if (x < 0) x = -x;
    return x < 1 ? 1 - x : 0;
  },
};

const PRECISION_BITS = 32 - 8 - 2;

/** Integer taps for one axis: output i reads in[bounds[2i] .. +bounds[2i+1]) with kk[i*ksize ..]. */
export interface Taps {
  ksize: number;
  bounds: Int32Array;
  kk: Int32Array;
}

/** precompute_coeffs + normalize_coeffs_8bpc for the full-image box (in0 = 0, in1 = inSize). */
export function computeTaps(inSize: number, outSize: number, filter: Filter): Taps {
  const scale = inSize / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = filter.support * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const kk = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    let ww = 0;
    // C casts (int)(...) truncate toward zero.
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    for (let x = 0; x < xmax; x++) {
      const w = filter.f((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? k[x] / ww : k[x];
      kk[xx * ksize + x] = v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS));
    }
    bounds[2 * xx] = xmin;
    bounds[2 * xx + 1] = xmax;
  }
  return { ksize, bounds, kk };
}

const HALF = 1 << (PRECISION_BITS - 1);
const clip8 = (v: number) => (v >= 1 << (PRECISION_BITS + 8) ? 255 : v <= 0 ? 0 : v >> PRECISION_BITS);

/** Pillow-exact resize of an 8-bit image (any channel count) to outW x outH. */
export function resizePillow(img: Image, outW: number, outH: number, filter: Filter): Image {
  const { width: inW, height: inH, channels: c } = img;
  const needH = outW !== inW, needV = outH !== inH;
  const th = computeTaps(inW, outW, filter);
  const tv = computeTaps(inH, outH, filter);
  // Only the source rows the vertical pass reads go through the horizontal pass.
  const yFirst = needV ? tv.bounds[0] : 0;
  const yLast = needV ? tv.bounds[outH * 2 - 2] + tv.bounds[outH * 2 - 1] : inH;
  let tmp = img;
  if (needH) {
    const rows = yLast - yFirst;
    tmp = newImage(outW, rows, c);
    const src = img.data, dst = tmp.data, { ksize, bounds, kk } = th;
    for (let y = 0; y < rows; y++) {
      const rowIn = (y + yFirst) * inW * c, rowOut = y * outW * c;
      for (let xx = 0; xx < outW; xx++) {
        const xmin = bounds[2 * xx], n = bounds[2 * xx + 1], ko = xx * ksize;
        for (let ch = 0; ch < c; ch++) {
          let ss = HALF;
          for (let x = 0; x < n; x++) ss += src[rowIn + (xmin + x) * c + ch] * kk[ko + x];
          dst[rowOut + xx * c + ch] = clip8(ss);
        }
      }
    }
  }
  if (!needV) return tmp;
  const out = newImage(outW, outH, c);
  const src = tmp.data, dst = out.data, { ksize, bounds, kk } = tv;
  const stride = outW * c;
  for (let yy = 0; yy < outH; yy++) {
    const ymin = bounds[2 * yy] - yFirst, n = bounds[2 * yy + 1], ko = yy * ksize;
    for (let i = 0; i < stride; i++) {
      let ss = HALF;
      for (let y = 0; y < n; y++) ss += src[(ymin + y) * stride + i] * kk[ko + y];
      dst[yy * stride + i] = clip8(ss);
    }
  }
  return out;
}
