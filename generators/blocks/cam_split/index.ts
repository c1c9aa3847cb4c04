// Four-field row distributor of one subband on the decoder side (README.md), the inverse of
// cam_merge: the decoded groups of a band's codestream (cam_vld output, the rows of R, G1, G2, B
// interleaved as model/camera/codec.ts scanBand writes them) leave `row_groups` groups to field 0,
// then to 1, 2, 3, then the next band row, each field's groups framed as cam_group emits them
// (tuser = the field's first group of a frame, tlast = its last, after `rows` band rows). Each
// output has a FIFO of `depth` groups: in a whole-frame decoder one band row per field lets the
// distributor run a row ahead of the slowest field (frame_decoder.ts).
//
// Framing follows tuser: a group with tuser always starts a frame at field 0 (a tuser inside a
// frame, e.g. after a truncated one, is flagged and resynchronises); a tlast ends the frame where
// it stands (flagged when it is not at field 3's last group, or missing there).
import { cat, defineParams, int, lit, Module, mux, type Expr } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';

export const camSplitParams = defineParams('cam_split', {
  coefBits: int({ min: 2, max: 15, default: 13, doc: 'signed coefficient width (groups are 4 x coefBits)' }),
  rowGroupsBits: int({ min: 1, max: 16, default: 10, doc: 'width of the `row_groups` input (groups per band row of one field)' }),
  rowsBits: int({ min: 1, max: 16, default: 10, doc: 'width of the `rows` input (band rows per frame)' }),
  depth: int({ min: 2, max: 65536, default: 2, doc: 'entries of each output FIFO (groups)' }),
});

export type CamSplitConfig = ReturnType<typeof camSplitParams.validate>;

/** Bits of the passive `err` stream, bit 0 first. */
export const CAM_SPLIT_ERR_BITS = ['user', 'last'] as const;

export const CAM_SPLIT_FIELDS = 4;

const outFifo = (p: CamSplitConfig) => ({ width: 4 * p.coefBits, depth: p.depth, last: true, user: true });

export function camSplitFlops(p: CamSplitConfig): number {
  return 2 + p.rowGroupsBits + p.rowsBits + 2 + CAM_SPLIT_FIELDS * fifoFlops(outFifo(p));
}

export function buildCamSplit(config: Partial<CamSplitConfig> = {}): { module: Module; flops: number } {
  const p = camSplitParams.validate(config);
  const GW = 4 * p.coefBits, RB = p.rowGroupsBits, YB = p.rowsBits;
  const m = new Module(`cam_split_w${p.coefBits}_r${RB}_y${YB}_d${p.depth}`, {
    params: { block: 'cam_split', ...p },
    doc: `one subband's codestream groups (${GW}-bit, rows of four colour fields interleaved) -> four field group streams`,
  });
  const s = streamIn(m, { width: GW });
  const rowGroups = m.input('row_groups', RB, { doc: 'groups per band row of one field (>= 1; band width / 4)' });
  const rows = m.input('rows', YB, { doc: 'band rows per frame (>= 1)' });
  const err = streamOut(m, { width: CAM_SPLIT_ERR_BITS.length, ready: false, last: false, user: false }, 'err');

  const field = m.regInit('field', 2, 0, { doc: 'field whose row is being passed' });
  const col = m.regInit('col', RB, 0, { doc: 'groups of this row passed' });
  const row = m.regInit('row', YB, 0, { doc: 'band row of the frame' });

  // A tuser group restarts the walk: the position it takes is the frame start.
  const sof = s.userSig!;
  const fieldNow = m.wire('field_now', mux(sof, lit(0, 2), field));
  const colNow = m.wire('col_now', mux(sof, lit(0, RB), col));
  const rowNow = m.wire('row_now', mux(sof, lit(0, YB), row));
  const atStart = m.wire('at_start', field.eq(0).and(col.eq(0)).and(row.eq(0)));
  // >= rather than ==: registers lowered inside a frame end its rows and the frame, never wrap.
  const rowFull = m.wire('row_full', colNow.ge(rowGroups.sub(1, RB)));
  const lastRow = m.wire('last_row', rowNow.ge(rows.sub(1, YB)));
  const frameEnd = m.wire('frame_end', fieldNow.eq(3).and(lastRow).and(rowFull));

  const fp = outFifo(p);
  const fifo = buildFifo(fp).module;
  const sinks = Array.from({ length: CAM_SPLIT_FIELDS }, (_, i) => {
    const u = m.instantiate(`u_fifo_${i}`, fifo);
    connectStream(m, instSource(u), streamOut(m, { width: GW }, `m_axis_${i}`));
    return instSink(u);
  });
  const pick = (f: (k: (typeof sinks)[number]) => Expr): Expr =>
    mux(fieldNow.bit(1), mux(fieldNow.bit(0), f(sinks[3]), f(sinks[2])), mux(fieldNow.bit(0), f(sinks[1]), f(sinks[0])));
  const room = m.wire('room', pick((k) => k.readySig!));
  s.driveReady(room);
  const take = m.wire('take', s.valid.and(room));
  sinks.forEach((k, i) => {
    k.driveValid(s.valid.and(fieldNow.eq(i)));
    k.driveData(s.data);
    k.driveLast(lastRow.and(rowFull));
    k.driveUser(rowNow.eq(0).and(colNow.eq(0)));
  });
  m.when(take, () => {
    m.when(s.lastSig!.or(frameEnd), () => {
      field.set(0);
      col.set(0);
      row.set(0);
    })
      .elsewhen(rowFull, () => {
        col.set(0);
        field.set(fieldNow.add(1, 2));
        row.set(mux(fieldNow.eq(3), rowNow.add(1, YB), rowNow));
      })
      .otherwise(() => {
        col.set(colNow.add(1, RB));
        field.set(fieldNow);
        row.set(rowNow);
      });
  });

  const eUser = m.regInit('err_user', 1, 0);
  const eLast = m.regInit('err_last', 1, 0);
  eUser.set(take.and(sof.xor(atStart)));
  eLast.set(take.and(s.lastSig!.xor(frameEnd)));
  err.driveValid(eUser.or(eLast));
  err.driveData(cat(eLast, eUser));
  return { module: m, flops: camSplitFlops(p) };
}
