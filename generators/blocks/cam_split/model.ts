// Reference of cam_split: the same walk over one band's merged group sequence (rows of fields 0,
// 1, 2, 3 interleaved, frame framed as cam_vld emits it). Per band row, `rowGroups` groups to field
// 0, 1, 2, 3; each field's groups carry tuser on its frame's first group and tlast on the last
// group of its last row (`rows` band rows). A tuser group always starts a frame (flagged `user`
// when the walk was not at a frame start, or when a frame starts without tuser); a tlast ends the
// frame where it stands (flagged `last` unless it sits on field 3's last group, or when it is
// missing there).
import type { GroupBeat } from '../cam_vlc/model.ts';
import { CAM_SPLIT_ERR_BITS, CAM_SPLIT_FIELDS } from './index.ts';

export type SplitErr = (typeof CAM_SPLIT_ERR_BITS)[number];

export function camSplitModel(groups: readonly GroupBeat[], rowGroups: number, rows: number): { fields: GroupBeat[][]; errs: SplitErr[][] } {
  for (const [what, v] of [['rowGroups', rowGroups], ['rows', rows]] as const)
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`cam_split model: ${what} = ${v} (need an integer >= 1)`);
  const fields: GroupBeat[][] = Array.from({ length: CAM_SPLIT_FIELDS }, () => []);
  const errs: SplitErr[][] = [];
  let field = 0, col = 0, row = 0;
  for (const g of groups) {
    const start = field === 0 && col === 0 && row === 0;
    if (g.user) field = col = row = 0;
    const full = col >= rowGroups - 1, lastRow = row >= rows - 1;
    const end = field === 3 && full && lastRow;
    const e: SplitErr[] = [];
    if (g.user !== start) e.push('user');
    if (g.last !== end) e.push('last');
    if (e.length) errs.push(e);
    fields[field].push({ values: g.values, user: row === 0 && col === 0, last: lastRow && full });
    if (g.last || end) field = col = row = 0;
    else if (full) {
      col = 0;
      if (field === 3) row++;
      field = (field + 1) % 4;
    } else col++;
  }
  return { fields, errs };
}
