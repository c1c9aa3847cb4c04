// Bilinear scaler + debayer of the HDMI preview (seed 003 "Working Backwards", seed 001
// "Debayering"). Four colour planes are resampled onto a 16-bit normalised grid that
// spans the whole sensor area (0..65535 in x and y); a viewport inside the output frame
// is mapped onto that grid, and each output pixel interpolates the four nearest centres
// of each plane, whose positions carry a per-colour offset. That offset is the debayer.
//
// Exact arithmetic (all integers):
//   viewport registers  sx = round(2^32 / vw), sy = round(2^32 / vh)
//   output pixel (x, y) in the viewport, relative (rx, ry):
//     vxNorm = min(65535, ((2*rx + 1) * sx + 2^16) >> 17)        (pixel centre)
//   plane coordinate in Q16 plane pixels (pixel j spans [j, j+1), centre j + 1/2 + delta):
//     P = vxNorm * planeWidth - 32768 - deltaQ16
//     P8 = (P + 128) >> 8 (floor), j0 = P8 >> 8, fx = P8 & 255; j0 and j0+1 clamp to the plane
//   value = ((a*(256-fx) + b*fx) * (256-fy) + (c*(256-fx) + d*fx) * fy + 32768) >> 16
//   with a, b the row j0 pair and c, d the next row, each clamped to 0..1023 first.
//   RGB: R plane, G = (G1 + G2 + 1) >> 1, B plane; HDMI takes the top 8 bits (>> 2).
//
// Centre offsets delta (in pixels of the plane, relative to the plane-pixel centre):
//   fields, full mode: R (-1/4, -1/4) G1 (+1/4, -1/4) G2 (-1/4, +1/4) B (+1/4, +1/4)
//   fields, subsampled: the kept 2x2 group sits in the top-left of the 4x4 source area
//     a field pixel spans, so R (-3/8, -3/8) G1 (-1/8, -3/8) G2 (-3/8, -1/8) B (-1/8, -1/8)
//   LL1 planes: the 5/3 low-pass s[i] is centred on field sample 2i, i.e. 1/4 of an LL1
//     pixel left/up of the LL1 pixel centre: delta_LL1 = delta_field / 2 - 1/4.
import { RAW_MAX, type BayerMode, type Fields } from './bayer.ts';
import { CameraError, CE } from './errors.ts';
import type { Image } from '../image.ts';

export interface Viewport {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const HDMI_ACTIVE = { width: 1920, height: 1080 } as const;

export function checkViewport(vp: Viewport, frameW: number, frameH: number): void {
  const ok = [vp.x, vp.y, vp.width, vp.height].every(Number.isInteger) && vp.x >= 0 && vp.y >= 0 && vp.width >= 2 && vp.height >= 2 && vp.x + vp.width <= frameW && vp.y + vp.height <= frameH;
  if (!ok) throw new CameraError(CE.VIEWPORT, `viewport ${vp.width}x${vp.height}+${vp.x}+${vp.y} does not fit the ${frameW}x${frameH} output (needs integer position >= 0, size >= 2x2, inside the frame)`);
}

export const normRegister = (size: number): number => Math.round(2 ** 32 / size);

/** 16-bit normalised coordinate of output pixel centre `rel` (0..size-1). */
export function vNorm(rel: number, reg: number): number {
  const v = Math.floor(((2 * rel + 1) * reg + 65536) / 131072);
  return v > 65535 ? 65535 : v;
}

/** Per-colour centre offsets [dx, dy] in Q16 plane pixels; level 0 = fields, 1 = LL1. */
export function centreOffsetsQ16(mode: BayerMode, level: 0 | 1): [number, number][] {
  const f = mode === 'full' ? [-0.25, 0.25] : [-0.375, -0.125];
  const d = (p: number) => Math.round((level === 0 ? f[p] : f[p] / 2 - 0.25) * 65536);
  return [
    [d(0), d(0)],
    [d(1), d(0)],
    [d(0), d(1)],
    [d(1), d(1)],
  ];
}

/** Column (or row) index and 8-bit fraction for a normalised coordinate. */
export function planeCoord(vn: number, planeSize: number, deltaQ16: number): { j0: number; frac: number } {
  const P = vn * planeSize - 32768 - deltaQ16;
  const P8 = Math.floor((P + 128) / 256);
  return { j0: P8 >> 8, frac: P8 & 255 };
}

const clampRaw = (v: number) => (v < 0 ? 0 : v > RAW_MAX ? RAW_MAX : v);

/**
 * Render the viewport of an outW x outH frame from four planes; returns 10-bit RGB
 * samples (3 per pixel, row-major, whole frame, zero outside the viewport).
 */
export function renderRgb10(planes: Fields, mode: BayerMode, level: 0 | 1, outW: number, outH: number, vp: Viewport = { x: 0, y: 0, width: outW, height: outH }): Uint16Array {
  checkViewport(vp, outW, outH);
  const { width: pw, height: ph } = planes;
  const offs = centreOffsetsQ16(mode, level);
  const sx = normRegister(vp.width), sy = normRegister(vp.height);
  // Per-colour column lookups shared by all rows.
  const colJ = offs.map(() => new Int32Array(vp.width));
  const colF = offs.map(() => new Int32Array(vp.width));
  for (let c = 0; c < 4; c++)
    for (let rx = 0; rx < vp.width; rx++) {
      const { j0, frac } = planeCoord(vNorm(rx, sx), pw, offs[c][0]);
      colJ[c][rx] = j0;
      colF[c][rx] = frac;
    }
  const out = new Uint16Array(outW * outH * 3);
  const val = new Int32Array(4);
  for (let ry = 0; ry < vp.height; ry++) {
    const vy = vNorm(ry, sy);
    const rows = offs.map((o) => planeCoord(vy, ph, o[1]));
    for (let rx = 0; rx < vp.width; rx++) {
      for (let c = 0; c < 4; c++) {
        const p = planes.planes[c];
        const j0 = colJ[c][rx], fx = colF[c][rx];
        const { j0: i0, frac: fy } = rows[c];
        const xa = j0 < 0 ? 0 : j0 >= pw ? pw - 1 : j0;
        const xb = j0 + 1 < 0 ? 0 : j0 + 1 >= pw ? pw - 1 : j0 + 1;
        const ya = (i0 < 0 ? 0 : i0 >= ph ? ph - 1 : i0) * pw;
        const yb = (i0 + 1 < 0 ? 0 : i0 + 1 >= ph ? ph - 1 : i0 + 1) * pw;
        const top = clampRaw(p[ya + xa]) * (256 - fx) + clampRaw(p[ya + xb]) * fx;
        const bot = clampRaw(p[yb + xa]) * (256 - fx) + clampRaw(p[yb + xb]) * fx;
        val[c] = (top * (256 - fy) + bot * fy + 32768) >> 16;
      }
      const o = ((vp.y + ry) * outW + vp.x + rx) * 3;
      out[o] = val[0];
      out[o + 1] = (val[1] + val[2] + 1) >> 1;
      out[o + 2] = val[3];
    }
  }
  return out;
}

/** The 1920x1080 HDMI preview image (8-bit RGB) of four LL1 planes. */
export function hdmiPreview(ll1: Fields, mode: BayerMode, vp: Viewport): Image {
  const rgb = renderRgb10(ll1, mode, 1, HDMI_ACTIVE.width, HDMI_ACTIVE.height, vp);
  const data = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) data[i] = rgb[i] >> 2;
  return { width: HDMI_ACTIVE.width, height: HDMI_ACTIVE.height, channels: 3, data };
}

/** Viewport that fits planes of aspect pw:ph into the HDMI frame, centred. */
export function fitViewport(pw: number, ph: number): Viewport {
  const W = HDMI_ACTIVE.width, H = HDMI_ACTIVE.height;
  let width: number = W, height: number = Math.round((W * ph) / pw);
  if (height > H) [height, width] = [H, Math.round((H * pw) / ph)];
  return { x: (W - width) >> 1, y: (H - height) >> 1, width, height };
}

/**
 * Upstream read demand under the output pixel counter: for each colour plane, the most
 * new plane columns one HDMI clock needs (j0 advancing by k means k new pixels) along a
 * viewport row. The decoder is sized for <= 1, which holds whenever vw >= plane width.
 */
export function maxColumnAdvance(planeW: number, mode: BayerMode, level: 0 | 1, vpWidth: number): number {
  const offs = centreOffsetsQ16(mode, level);
  const sx = normRegister(vpWidth);
  let worst = 0;
  for (const [dx] of offs) {
    let prev = planeCoord(vNorm(0, sx), planeW, dx).j0;
    for (let rx = 1; rx < vpWidth; rx++) {
      const j = planeCoord(vNorm(rx, sx), planeW, dx).j0;
      worst = Math.max(worst, j - prev);
      prev = j;
    }
  }
  return worst;
}
