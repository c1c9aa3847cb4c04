// Groups of four back to band beats (README.md), the inverse of cam_group: each group of four
// consecutive values of a subband's raster scan (cam_vld output, tuser = frame start) leaves as
// 4/lanes beats of `lanes` values with the band's row framing (tlast = row end, counted against
// the `width` input, the band row length in values; tuser on the frame's first beat), the stream
// layout idwt2d takes per band. One holding register; the next group enters as the last beat of
// the held one leaves, so with 4 lanes it moves one group per clock.
import { defineParams, int, lit, Module, mux, oneOf } from '../../core/index.ts';
import { streamIn, streamOut } from '../axis/stream.ts';

export const camUngroupParams = defineParams('cam_ungroup', {
  lanes: oneOf([1, 2, 4], { default: 2, doc: 'band values per output beat' }),
  coefBits: int({ min: 2, max: 24, default: 12, doc: 'signed coefficient width' }),
  widthBits: int({ min: 3, max: 16, default: 11, doc: 'width of the `width` input (band row length in values)' }),
});

export type CamUngroupConfig = ReturnType<typeof camUngroupParams.validate>;

export function buildCamUngroup(config: Partial<CamUngroupConfig> = {}): { module: Module; flops: number } {
  const p = camUngroupParams.validate(config);
  const W = p.coefBits, Q = p.lanes, G = 4 / Q, XB = p.widthBits;
  const m = new Module(`cam_ungroup_l${Q}_w${W}_x${XB}`, { params: { block: 'cam_ungroup', ...p }, doc: `groups of four -> ${Q} band values per beat, row framed` });
  const s = streamIn(m, { width: 4 * W });
  const o = streamOut(m, { width: Q * W });
  const width = m.input('width', XB, { doc: 'band row length in values (a multiple of 4, >= 4)' });

  const held = m.regInit('held', 1, 0, { doc: 'a group is held' });
  const data = m.reg('data', 4 * W, { reset: null });
  const user = m.reg('user', 1, { reset: null, doc: 'the held group starts a frame' });
  const ib = Math.max(1, Math.log2(G));
  const idx = G > 1 ? m.regInit('idx', ib, 0, { doc: 'beat of the held group to send next' }) : undefined;
  const col = m.regInit('col', XB, 0, { doc: 'column of the next beat in its band row' });
  const lastBeat = idx ? idx.eq(G - 1) : lit(1, 1);
  const pop = m.wire('pop', held.and(o.readySig!));
  const ready = m.wire('s_ready', held.not().or(pop.and(lastBeat)));
  s.driveReady(ready);
  const take = m.wire('take', s.valid.and(ready));
  m.when(take, () => {
    held.set(1);
    data.set(s.data);
    user.set(s.userSig!);
  }).elsewhen(pop.and(lastBeat), () => held.set(0));
  m.unused(s.lastSig!, 'frame ends follow from the frame start and the row length; tlast is not needed');
  if (idx) m.when(pop, () => idx.set(mux(lastBeat, lit(0, ib), idx.add(1, ib))));

  const first = m.wire('first', user.and(idx ? idx.eq(0) : lit(1, 1)));
  const colNow = m.wire('col_now', mux(first, lit(0, XB), col));
  const rowEnd = m.wire('row_end', colNow.add(Q, XB).eq(width));
  m.when(pop, () => col.set(mux(rowEnd, lit(0, XB), colNow.add(Q, XB))));
  let beat = data.slice(Q * W - 1, 0);
  if (idx) for (let i = 1; i < G; i++) beat = mux(idx.eq(i), data.slice(Q * W * (i + 1) - 1, Q * W * i), beat);
  o.driveValid(held);
  o.driveData(beat);
  o.driveLast(rowEnd);
  o.driveUser(first);
  return { module: m, flops: 1 + 4 * W + 1 + (G > 1 ? ib : 0) + XB };
}
