// Reference of cam_fetch: its input beats (four colour planes, two samples of each per beat) and,
// per display frame that shows a frame, its output beats: cam_scaler/model.ts scalerInputs of the
// planes clamped to 0..1023 (the ring stores 10-bit samples; the golden renderRgb10 clamps them
// the same way before it blends).
import type { BayerMode, Fields } from '../../../model/camera/bayer.ts';
import { RAW_MAX } from '../../../model/camera/bayer.ts';
import type { Viewport } from '../../../model/camera/preview.ts';
import { packLanes } from '../bits.ts';
import { scalerInputs } from '../cam_scaler/model.ts';

export interface FetchBeat {
  data: bigint;
  last: boolean;
  user: boolean;
}

const clamp = (v: number) => (v < 0 ? 0 : v > RAW_MAX ? RAW_MAX : v);

/** The planes as cam_fetch input beats: lane 2c + k = colour c, column 2i + k; tlast ends a row, tuser starts the frame. */
export function planeBeats(f: Fields): FetchBeat[] {
  if (f.width % 2) throw new RangeError(`cam_fetch model: plane width ${f.width} is odd (two samples per beat)`);
  const out: FetchBeat[] = [];
  for (let y = 0; y < f.height; y++)
    for (let x = 0; x < f.width; x += 2)
      out.push({ data: packLanes(f.planes.flatMap((p) => [clamp(p[y * f.width + x]), clamp(p[y * f.width + x + 1])]), 10), last: x + 2 === f.width, user: x === 0 && y === 0 });
  return out;
}

/** Output beats of one fetched display frame (lane 4c + k, 10 bits: the scaler's neighbourhood order). */
export function camFetchModel(f: Fields, mode: BayerMode, level: 0 | 1, vp: Viewport): FetchBeat[] {
  const planes = { ...f, planes: f.planes.map((p) => Int32Array.from(p, clamp)) as Fields['planes'] };
  return scalerInputs(planes, mode, level, vp).map((b) => ({ data: packLanes(b.lanes, 10), last: b.last, user: b.user }));
}
