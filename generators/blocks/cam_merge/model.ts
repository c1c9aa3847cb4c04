// Reference of cam_merge: the same row walk over the four fields' group sequences (each field's
// groups in raster order, frame framed as cam_group emits them). Per row, `rowGroups` groups
// (fewer when a field's tlast comes first, flagged `short`) of field 0, 1, 2, 3; tuser on the
// first group of field 0's first row, tlast on field 3's tlast group. A tuser that does not sit at
// a frame's first row start (or is missing there) is flagged `user` and resynchronises: that group
// is not passed, every field drops its groups up to its next tuser group (and, once some field has
// dropped a frame end on the way, every field up to its frame end first), and the walk restarts at
// field 0's first row.
import type { GroupBeat } from '../cam_vlc/model.ts';
import { CAM_MERGE_ERR_BITS, CAM_MERGE_FIELDS } from './index.ts';

export type MergeErr = (typeof CAM_MERGE_ERR_BITS)[number];

export function camMergeModel(fields: readonly (readonly GroupBeat[])[], rowGroups: number): { groups: GroupBeat[]; errs: MergeErr[][] } {
  if (fields.length !== CAM_MERGE_FIELDS) throw new RangeError(`cam_merge model: ${fields.length} field streams (need ${CAM_MERGE_FIELDS})`);
  if (!Number.isInteger(rowGroups) || rowGroups < 1) throw new RangeError(`cam_merge model: rowGroups = ${rowGroups} (need >= 1)`);
  const at = [0, 0, 0, 0];
  const groups: GroupBeat[] = [], errs: MergeErr[][] = [];
  let field = 0, col = 0, firstRow = true, sync = false;
  const crossed = [false, false, false, false];
  for (;;) {
    if (sync) {
      // Drop every field's groups up to its next tuser group; once a field has dropped a frame
      // end (tlast), the fields that have not drop up to theirs too. All four at a tuser: a new frame.
      for (let moved = true; moved; ) {
        moved = false;
        const any = crossed.some(Boolean);
        fields.forEach((f, i) => {
          while (at[i] < f.length && (!f[at[i]].user || (any && !crossed[i]))) {
            if (f[at[i]].last) crossed[i] = true;
            at[i]++;
            moved = true;
          }
        });
      }
      if (fields.some((f, i) => at[i] >= f.length)) break;
      sync = false;
      crossed.fill(false);
      field = col = 0;
      firstRow = true;
      continue;
    }
    if (at[field] >= fields[field].length) break;
    const g = fields[field][at[field]];
    const start = firstRow && col === 0;
    if (g.user !== start) {
      errs.push(['user']);
      sync = true;
      continue;
    }
    at[field]++;
    const full = col === rowGroups - 1;
    if (g.last && !full) errs.push(['short']);
    groups.push({ values: g.values, user: field === 0 && start, last: field === 3 && g.last });
    if (full || g.last) {
      if (field === 3) firstRow = g.last;
      field = (field + 1) % 4;
      col = 0;
    } else col++;
  }
  return { groups, errs };
}
