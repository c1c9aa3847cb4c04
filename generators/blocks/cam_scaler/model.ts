// Cycle-free model of the cam_scaler block (README.md): the fetcher's side (which 2x2 source
// neighbourhood per colour each output pixel reads, model/camera/preview.ts planeCoord with
// clamping) and the block's side (position counters from tuser/tlast, incremental normalised
// coordinates, 8-bit weights, blend, error flags), with the RTL's exact integer arithmetic.
// Checked against the golden renderRgb10 in test/camera/scaler-rtl.test.ts.
import type { BayerMode, Fields } from '../../../model/camera/bayer.ts';
import { centreOffsetsQ16, checkViewport, normRegister, planeCoord, vNorm, type Viewport } from '../../../model/camera/preview.ts';

/** Error flag bits of the block's `err` event stream (bit 0 first). */
export const SCALER_ERR_BITS = ['cfg', 'row', 'sof'] as const;

/** Static registers of the block (its non-stream input ports). */
export interface ScalerRegs {
  /** normRegister(vw), normRegister(vh): round(2^32 / size). */
  sx: number;
  sy: number;
  vx: number;
  vy: number;
  vw: number;
  vh: number;
  pw: number;
  ph: number;
  subsampled: number;
  level: number;
}

export interface ScalerInBeat {
  /** 16 source samples: colour c (R, G1, G2, B), k = (row i0, col j0), (i0, j0+1), (i0+1, j0), (i0+1, j0+1) at 4c+k. */
  lanes: number[];
  last: boolean;
  user: boolean;
}

export interface ScalerOutBeat {
  /** 10-bit R, G, B. */
  rgb: [number, number, number];
  last: boolean;
  user: boolean;
}

export function scalerRegs(vp: Viewport, planes: { width: number; height: number }, mode: BayerMode, level: 0 | 1): ScalerRegs {
  return { sx: normRegister(vp.width), sy: normRegister(vp.height), vx: vp.x, vy: vp.y, vw: vp.width, vh: vp.height, pw: planes.width, ph: planes.height, subsampled: mode === 'subsampled' ? 1 : 0, level };
}

/**
 * The fetcher's side: per viewport pixel (raster order), the clamped 2x2 neighbourhood of each
 * colour plane that model/camera/preview.ts renderRgb10 reads. tuser on (0, 0), tlast on row ends.
 */
export function scalerInputs(planes: Fields, mode: BayerMode, level: 0 | 1, vp: Viewport): ScalerInBeat[] {
  const { width: pw, height: ph } = planes;
  const offs = centreOffsetsQ16(mode, level);
  const sx = normRegister(vp.width), sy = normRegister(vp.height);
  const cl = (v: number, n: number) => (v < 0 ? 0 : v >= n ? n - 1 : v);
  const out: ScalerInBeat[] = [];
  for (let ry = 0; ry < vp.height; ry++) {
    const vy = vNorm(ry, sy);
    for (let rx = 0; rx < vp.width; rx++) {
      const vxn = vNorm(rx, sx);
      const lanes: number[] = [];
      for (let c = 0; c < 4; c++) {
        const j0 = planeCoord(vxn, pw, offs[c][0]).j0, i0 = planeCoord(vy, ph, offs[c][1]).j0;
        const p = planes.planes[c];
        for (const [di, dj] of [[0, 0], [0, 1], [1, 0], [1, 1]]) lanes.push(p[cl(i0 + di, ph) * pw + cl(j0 + dj, pw)]);
      }
      out.push({ lanes, last: rx === vp.width - 1, user: rx === 0 && ry === 0 });
    }
  }
  return out;
}

/** (128 - 32768 - delta) mod 2^16 per axis class (0: R/G1 columns, R/G2 rows; 1: the others). */
export function weightConstants(subsampled: boolean, level: 0 | 1): [number, number] {
  const offs = centreOffsetsQ16(subsampled ? 'subsampled' : 'full', level);
  const k = (d: number) => (((128 - 32768 - d) % 65536) + 65536) % 65536;
  return [k(offs[0][0]), k(offs[1][0])];
}

/** Whether the registers describe a viewport the block accepts (checkViewport's rule + plane sizes). */
export function scalerCfgOk(r: ScalerRegs, outW: number, outH: number): boolean {
  try {
    checkViewport({ x: r.vx, y: r.vy, width: r.vw, height: r.vh }, outW, outH);
  } catch {
    return false;
  }
  return r.pw >= 1 && r.ph >= 1;
}

const clamp10 = (v: number) => (v < 0 ? 0 : v > 1023 ? 1023 : v);

/**
 * The block's output beats and error events for accepted input beats, with the RTL's
 * arithmetic: acc = (2 rx + 1) s + 2^16 kept incrementally (34 bits), vn = min(65535, acc >> 17),
 * weight = bits [15:8] of (vn * size + K) (only the low 16 bits of the product matter),
 * top = 256 a + (b - a) fx, val = (256 top + (bot - top) fy + 32768) >> 16.
 */
export function scalerModel(r: ScalerRegs, beats: readonly ScalerInBeat[], outW: number, outH: number, sizeBits = 12): { out: ScalerOutBeat[]; err: number[] } {
  const M34 = 2n ** 34n;
  const [kx0, kx1] = weightConstants(r.subsampled === 1, r.level as 0 | 1);
  const cfgOk = scalerCfgOk(r, outW, outH);
  let rx = 0, ry = 0, accx = 0n, accy = 0n, rowStart = true;
  const out: ScalerOutBeat[] = [];
  const err: number[] = [];
  const vn = (acc: bigint) => (acc >= 2n ** 33n ? 65535 : Number(acc >> 17n));
  const wt = (v: number, size: number, k: number) => (((Math.imul(v, size & 0xffff) & 0xffff) + k) >> 8) & 255;
  for (const b of beats) {
    const cx = b.user ? 0 : rx, cy = b.user ? 0 : ry;
    let e = 0;
    if (b.user && !cfgOk) e |= 1;
    if (b.last !== (cx === r.vw - 1)) e |= 2;
    if (b.user !== (rx === 0 && ry === 0)) e |= 4;
    if (e) err.push(e);
    const curx = rowStart || b.user ? BigInt(r.sx) + 65536n : accx;
    const cury = b.user ? BigInt(r.sy) + 65536n : accy;
    accx = (curx + 2n * BigInt(r.sx)) % M34;
    accy = b.last ? (cury + 2n * BigInt(r.sy)) % M34 : cury;
    rowStart = b.last;
    const vxn = vn(curx), vyn = vn(cury);
    const fx = [wt(vxn, r.pw, kx0), wt(vxn, r.pw, kx1)];
    const fy = [wt(vyn, r.ph, kx0), wt(vyn, r.ph, kx1)];
    const val = [0, 1, 2, 3].map((c) => {
      const [a, bb, cc, d] = b.lanes.slice(4 * c, 4 * c + 4).map(clamp10);
      const wx = fx[c & 1], wy = fy[c >> 1];
      const top = 256 * a + (bb - a) * wx, bot = 256 * cc + (d - cc) * wx;
      return (256 * top + (bot - top) * wy + 32768) >> 16;
    });
    out.push({ rgb: [val[0], (val[1] + val[2] + 1) >> 1, val[3]], last: b.last, user: b.user });
    rx = b.last ? 0 : (cx + 1) % 2 ** sizeBits;
    ry = b.last ? (cy === r.vh - 1 ? 0 : cy + 1) : cy;
  }
  return { out, err };
}
