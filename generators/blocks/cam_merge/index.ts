// Four-field row merger of one subband (README.md): the full camera's codestream of a band holds
// all four colour fields, row by row (model/camera/codec.ts scanBand: for each band row y, the
// row of R, G1, G2, B). Each field's encoder front end (cam_group) emits its band as groups in
// raster order; this block takes `rowGroups` groups from field 0, then from 1, 2, 3, then the
// next row, so one cam_vlc behind it codes the golden codestream. Frame framing comes from the
// row count of field 3: its tlast ends the merged frame. Framing follows tuser: a group whose
// tuser is not where the walk expects one (a frame cut short, or a frame start missing) is not
// passed; the merger then drops every field's groups up to its next tuser group and starts the
// next merged frame there, so a truncated frame costs only itself. If a field drops a frame end
// (tlast) meanwhile, the fields were not at the same frame (a tuser inside a frame, a frame start
// lost): then every field drops up to its next frame end first, so all restart at one frame.
import { cat, defineParams, int, lit, Module, mux, type Expr } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';

export const camMergeParams = defineParams('cam_merge', {
  coefBits: int({ min: 2, max: 15, default: 13, doc: 'signed coefficient width (groups are 4 x coefBits)' }),
  rowGroupsBits: int({ min: 1, max: 16, default: 10, doc: 'width of the `row_groups` input (groups per band row)' }),
});

export type CamMergeConfig = ReturnType<typeof camMergeParams.validate>;

/** Bits of the passive `err` stream, bit 0 first. */
export const CAM_MERGE_ERR_BITS = ['user', 'short'] as const;

export const CAM_MERGE_FIELDS = 4;

export function buildCamMerge(config: Partial<CamMergeConfig> = {}): { module: Module; flops: number } {
  const p = camMergeParams.validate(config);
  const GW = 4 * p.coefBits, RB = p.rowGroupsBits;
  const m = new Module(`cam_merge_w${p.coefBits}_r${RB}`, {
    params: { block: 'cam_merge', ...p },
    doc: `four colour fields' groups of one subband (${GW}-bit) -> the codestream's row-interleaved order`,
  });
  const ins = Array.from({ length: CAM_MERGE_FIELDS }, (_, i) => streamIn(m, { width: GW }, `s_axis_${i}`));
  const rowGroups = m.input('row_groups', RB, { doc: 'groups per band row (>= 1; band width / 4)' });
  const o = streamOut(m, { width: GW });
  const err = streamOut(m, { width: CAM_MERGE_ERR_BITS.length, ready: false, last: false, user: false }, 'err');

  const field = m.regInit('field', 2, 0, { doc: 'field whose row is being passed' });
  const col = m.regInit('col', RB, 0, { doc: 'groups of this row passed' });
  const firstRow = m.regInit('first_row', 1, 1, { doc: 'the row is the frame\'s first (tuser expected at its start)' });
  const sync = m.regInit('sync', 1, 0, { doc: 'resynchronising: every field drops groups up to its next tuser group' });
  const crossed = m.regInit('crossed', 4, 0, { doc: 'per field: dropped a frame end (tlast) while resynchronising' });

  // A two-entry FIFO registers the output: the select mux never meets the downstream ready.
  const fp = { width: GW, depth: 2, last: true, user: true };
  const of = m.instantiate('u_out_fifo', buildFifo(fp).module);
  const fin = instSink(of);
  const room = m.wire('room', fin.readySig!);
  const pick = (f: (s: (typeof ins)[number]) => Expr): Expr => mux(field.bit(1), mux(field.bit(0), f(ins[3]), f(ins[2])), mux(field.bit(0), f(ins[1]), f(ins[0])));
  const valid = m.wire('sel_valid', pick((s) => s.valid));
  const last = m.wire('sel_last', pick((s) => s.lastSig!));
  const user = m.wire('sel_user', pick((s) => s.userSig!));
  // Every field's rows start with tuser in the frame's first row, and only there.
  const expUser = m.wire('exp_user', firstRow.and(col.eq(0)));
  const userOk = m.wire('user_ok', user.xor(expUser).not());
  const bad = m.wire('user_bad', sync.not().and(valid).and(userOk.not()));
  const pass = m.wire('pass', sync.not().and(valid).and(userOk));
  const take = m.wire('take', pass.and(room));
  // While resynchronising a field drops its head unless it is a tuser group; after some field has
  // dropped a frame end, a field that has not must drop its tuser groups too, up to its frame end.
  const anyCrossed = m.wire('any_crossed', crossed.orR());
  const drop = ins.map((s, i) => m.wire(`drop_${i}`, sync.and(s.valid).and(s.userSig!.not().or(anyCrossed.and(crossed.bit(i).not())))));
  const allUser = m.wire('all_user', ins.map((s) => s.valid.and(s.userSig!)).reduce((a, b) => a.and(b)));
  const aligned = m.wire('aligned', allUser.and(anyCrossed.not().or(crossed.andR())));
  ins.forEach((s, i) => s.driveReady(mux(sync, drop[i], room.and(field.eq(i)).and(userOk))));
  const crossNow = m.wire('cross_now', cat(...ins.map((s, i) => drop[i].and(s.lastSig!)).reverse()));
  const rowFull = m.wire('row_full', col.eq(rowGroups.sub(1, RB)));
  // A field's frame end also ends its row, so a short frame cannot shift the next one.
  const rowEnd = m.wire('row_end', rowFull.or(last));
  const startOfFrame = expUser;
  m.when(bad, () => sync.set(1));
  crossed.set(crossed.or(crossNow));
  m.when(sync.and(aligned), () => {
    sync.set(0);
    crossed.set(0);
    field.set(0);
    col.set(0);
    firstRow.set(1);
  });
  m.when(take, () => {
    col.set(mux(rowEnd, lit(0, RB), col.add(1, RB)));
    m.when(rowEnd, () => {
      field.set(field.add(1, 2));
      m.when(field.eq(3), () => firstRow.set(last));
    });
  });
  fin.driveValid(pass);
  fin.driveData(pick((s) => s.data));
  fin.driveLast(field.eq(3).and(last));
  fin.driveUser(field.eq(0).and(startOfFrame));
  connectStream(m, instSource(of), o);

  const eUser = m.regInit('err_user', 1, 0);
  const eShort = m.regInit('err_short', 1, 0);
  eUser.set(bad);
  eShort.set(take.and(last).and(rowFull.not()));
  err.driveValid(eUser.or(eShort));
  err.driveData(cat(eShort, eUser));
  return { module: m, flops: 2 + RB + 1 + 1 + 4 + 2 + fifoFlops(fp) };
}
