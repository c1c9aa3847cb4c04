// Reference beats of cam_group: band beats (lanes values each, tlast = row end, tuser = frame
// start) -> groups of four consecutive values; tuser on a frame's first group, tlast on the group
// that completes the frame's last row (counted against `rows`). A tuser beat restarts the group.
import { packLanes, unpackLanes } from '../bits.ts';
import type { CamGroupConfig } from './index.ts';

export interface BandBeat {
  data: bigint;
  last: boolean;
  user: boolean;
}

export function camGroupModel(p: Pick<CamGroupConfig, 'lanes' | 'coefBits'>, rows: number, beats: readonly BandBeat[]): BandBeat[] {
  const out: BandBeat[] = [];
  let vals: number[] = [], user = false, row = 0;
  for (const b of beats) {
    if (b.user) {
      vals = [];
      row = 0;
    }
    if (vals.length === 0) user = b.user;
    vals.push(...unpackLanes(b.data, p.lanes, p.coefBits, true));
    const lastRow = row === rows - 1;
    if (vals.length === 4) {
      out.push({ data: packLanes(vals, p.coefBits), last: b.last && lastRow, user });
      vals = [];
    }
    if (b.last) row = lastRow ? 0 : row + 1;
  }
  return out;
}
