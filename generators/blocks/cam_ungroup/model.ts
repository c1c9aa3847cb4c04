// Reference beats of cam_ungroup: each group of four values splits into 4/lanes beats in order;
// tlast where a band row of `width` values ends (the column restarts at each tuser group), tuser
// on a tuser group's first beat.
import { packLanes, unpackLanes } from '../bits.ts';
import type { CamUngroupConfig } from './index.ts';

export interface GroupIn {
  data: bigint;
  last: boolean;
  user: boolean;
}

export function camUngroupModel(p: Pick<CamUngroupConfig, 'lanes' | 'coefBits'>, width: number, groups: readonly GroupIn[]): GroupIn[] {
  const out: GroupIn[] = [];
  let col = 0;
  for (const g of groups) {
    const v = unpackLanes(g.data, 4, p.coefBits, true);
    for (let i = 0; i < 4; i += p.lanes) {
      const first = g.user && i === 0;
      if (first) col = 0;
      const end = col + p.lanes === width;
      out.push({ data: packLanes(v.slice(i, i + p.lanes), p.coefBits), last: end, user: first });
      col = end ? 0 : col + p.lanes;
    }
  }
  return out;
}
