// Groups of four for the camera's variable-length coder (README.md): collects the coefficients of
// one subband, `lanes` per beat (1, 2 or 4, as dwt2d emits a band), into beats of four consecutive
// values of a band row, and turns the band's row framing (tlast = row end, tuser = frame start)
// into the coder's frame framing (tuser = first group, tlast = last group of the frame) by counting
// rows against the `rows` input (the band's height, a register: 4K/2K modes share the build).
import { cat, defineParams, int, lit, Module, mux, oneOf, type Signal } from '../../core/index.ts';
import { streamIn, streamOut } from '../axis/stream.ts';

export const camGroupParams = defineParams('cam_group', {
  lanes: oneOf([1, 2, 4], { default: 2, doc: 'band values per input beat' }),
  coefBits: int({ min: 2, max: 24, default: 12, doc: 'signed coefficient width' }),
  rowsBits: int({ min: 1, max: 16, default: 11, doc: 'width of the `rows` input' }),
});

export type CamGroupConfig = ReturnType<typeof camGroupParams.validate>;

export function buildCamGroup(config: Partial<CamGroupConfig> = {}): { module: Module; flops: number } {
  const p = camGroupParams.validate(config);
  const W = p.coefBits, Q = p.lanes, G = 4 / Q, RB = p.rowsBits;
  const m = new Module(`cam_group_l${Q}_w${W}_r${RB}`, { params: { block: 'cam_group', ...p }, doc: `${Q} band values per beat -> groups of four, frame-framed` });
  const s = streamIn(m, { width: Q * W });
  const o = streamOut(m, { width: 4 * W });
  const rows = m.input('rows', RB, { doc: 'band rows per frame (>= 1)' });

  const outValid = m.regInit('out_valid', 1, 0);
  const outData = m.reg('out_data', 4 * W, { reset: null });
  const outLast = m.reg('out_last', 1, { reset: null });
  const outUser = m.reg('out_user', 1, { reset: null });
  const row = m.regInit('row', RB, 0, { doc: 'band row of the current beat' });
  const cb = Math.max(1, Math.log2(G));
  const cnt = G > 1 ? m.regInit('cnt', cb, 0, { doc: 'beats of the current group collected' }) : undefined;
  // A tuser beat always starts a group, so a frame cut short mid-group cannot shift the next one.
  const cntNow = cnt ? m.wire('cnt_now', mux(s.userSig!, lit(0, cb), cnt)) : undefined;
  const completes = cntNow ? cntNow.eq(G - 1) : lit(1, 1);
  // The output register is refilled in the cycle it is emptied.
  const ready = m.wire('s_ready', completes.not().or(outValid.not()).or(o.readySig!));
  s.driveReady(ready);
  const take = m.wire('take', s.valid.and(ready));
  const rowNow = m.wire('row_now', mux(s.userSig!, lit(0, RB), row));
  const lastRow = m.wire('last_row', rowNow.eq(rows.sub(1, RB)));
  m.when(take.and(s.lastSig!), () => row.set(mux(lastRow, lit(0, RB), rowNow.add(1, RB)))).elsewhen(take, () => row.set(rowNow));

  const held: Signal[] = Array.from({ length: G - 1 }, (_, i) => m.reg(`held_${i}`, Q * W, { reset: null }));
  const heldUser = G > 1 ? m.reg('held_user', 1, { reset: null }) : undefined;
  if (cnt) {
    for (let i = 0; i < G - 1; i++) m.when(take.and(cntNow!.eq(i)), () => held[i].set(s.data));
    m.when(take.and(cntNow!.eq(0)), () => heldUser!.set(s.userSig!));
    m.when(take, () => cnt.set(mux(completes, lit(0, cb), cntNow!.add(1, cb))));
  }
  m.when(take.and(completes), () => {
    outValid.set(1);
    outData.set(cat(s.data, ...[...held].reverse()));
    outLast.set(s.lastSig!.and(lastRow));
    outUser.set(heldUser ?? s.userSig!);
  }).elsewhen(o.readySig!, () => outValid.set(0));
  o.driveValid(outValid);
  o.driveData(outData);
  o.driveLast(outLast);
  o.driveUser(outUser);
  return { module: m, flops: 1 + 4 * W + 2 + RB + (G > 1 ? cb + (G - 1) * Q * W + 1 : 0) };
}
