// Camera encoder of the whole frame (issue 7, docs/camera.md §14): the Bayer mosaic as a stream
// of 2x8 tiles (a row pair, 16 pixels per beat) -> fork -> four colour-field encoders
// (cam_encoder, vlc = false: seven group streams each) -> per field and band a FIFO of one band
// row -> per band cam_merge + cam_vlc (field_merge.ts) -> the seven golden codestreams of the
// mosaic (model/camera/codec.ts scanBand + encodeGroup: rows interleaved R, G1, G2, B).
//
// Why the FIFOs: the four fields run in lockstep (one beat feeds all four), but a band's merger
// drains a row of R, then G1, G2, B, so G1..B must hold a whole band row while R's is taken; with
// less, the fork stalls every field and the merger waits for a row that cannot finish (deadlock:
// 2-entry FIFOs hang on 256-wide fields). One row keeps the input at full rate (a 512x64 mosaic,
// 2048 beats, codes in the same cycle count with one-row and two-row FIFOs).
import { cat, defineParams, int, oneOf, Module } from '../../core/index.ts';
import { buildAxisFork } from '../../blocks/axis/fork.ts';
import { buildFifo, fifoFlops } from '../../blocks/axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../blocks/axis/stream.ts';
import { CAM_MERGE_ERR_BITS } from '../../blocks/cam_merge/index.ts';
import { CAM_VLC_ERR_BITS } from '../../blocks/cam_vlc/index.ts';
import { QUANT_MULT_BITS } from '../../blocks/cam_quant/index.ts';
import { buildCamEncoder, ENCODER_BANDS } from './encoder.ts';
import { buildCamFieldMerge } from './field_merge.ts';
import { errBus } from './err_bus.ts';
import { DWT2D_ERR_BITS } from './dwt2d.ts';

export const FRAME_FIELDS = ['R', 'G1', 'G2', 'B'] as const;
const S1 = ['HL1', 'LH1', 'HH1'] as const;
const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;
/** Mosaic pixels per beat: two rows (even, odd) x 8 columns, 4 samples of each field. */
export const FRAME_TILE = { rows: 2, cols: 8 } as const;
const FIELD_LANES = 4;

export const camFrameEncoderParams = defineParams(
  'cam_frame_encoder',
  {
    maxWidth: int({ min: 16, max: 16384, default: 2048, doc: 'widest field row in samples (mosaic width / 2; multiple of 16)' }),
    rowsBits: int({ min: 4, max: 16, default: 12, doc: 'width of the `rows` input (field height = mosaic height / 2, multiple of 4)' }),
    wordBits: oneOf([32, 64, 128], { default: 32, doc: 'codestream word width' }),
  },
  [(p) => (p.maxWidth % 16 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be a multiple of 16`)],
);

export type CamFrameEncoderConfig = ReturnType<typeof camFrameEncoderParams.validate>;

/**
 * Bits of the passive `err` stream, bit 0 first: per field (R, G1, G2, B) its dwt2d events, then
 * the stage-1 quantizer's clamped bands (HL1 LH1 HH1), then stage 2's (LL2 HL2 LH2 HH2); then per
 * band (LL2 .. HH1) its cam_vlc events and its cam_merge events.
 */
export const FRAME_ENCODER_ERR_BITS: readonly string[] = [
  ...FRAME_FIELDS.flatMap((f) => [...DWT2D_ERR_BITS.map((e) => `${f}.dwt.${e}`), ...S1.map((b) => `${f}.quant.${b}`), ...S2.map((b) => `${f}.quant.${b}`)]),
  ...ENCODER_BANDS.flatMap((b) => [...CAM_VLC_ERR_BITS.map((e) => `${b}.vlc.${e}`), ...CAM_MERGE_ERR_BITS.map((e) => `${b}.merge.${e}`)]),
];

/** Mosaic lane of field f's sample j in a beat (lanes 0..7: even row, 8..15: odd row). */
export function frameLane(f: number, j: number): number {
  const py = f >> 1, px = f & 1;
  return py * FRAME_TILE.cols + 2 * j + px;
}

const ceilLog2 = (n: number) => Math.max(1, Math.ceil(Math.log2(n)));

export function buildCamFrameEncoder(config: Partial<CamFrameEncoderConfig> = {}): { module: Module; flops: number; ramBits: number } {
  const p = camFrameEncoderParams.validate(config);
  const LANES = FRAME_TILE.rows * FRAME_TILE.cols;
  const m = new Module(`cam_frame_encoder_w${p.maxWidth}_r${p.rowsBits}_o${p.wordBits}`, {
    params: { design: 'cam_frame_encoder', ...p },
    doc: `Bayer RGGB mosaic (2x8 tile per beat) -> 7 subband codestreams of all four colour fields (${p.wordBits}-bit words)`,
  });
  const s = streamIn(m, { width: LANES * 10 });
  const rows = m.input('rows', p.rowsBits, { doc: 'field height = mosaic height / 2 (multiple of 4)' });
  const wb = ceilLog2(p.maxWidth + 1);
  const width = m.input('width', wb, { doc: 'field width = mosaic width / 2 (multiple of 16); sets the mergers\' row length' });
  const flush = m.input('flush', 1, { doc: 'cam_vlc flush: each frame ends word-aligned' });
  const mult = Object.fromEntries(ENCODER_BANDS.map((b) => [b, m.input(`mult_${b}`, QUANT_MULT_BITS, { doc: `${b} quantizer multiplier [256, 65536], shared by the four fields` })]));
  const kIn = Object.fromEntries(ENCODER_BANDS.map((b) => [b, m.input(`k_${b}`, 4, { doc: `${b} group-code k` })]));

  // 1. One beat to all four fields; each takes its four samples.
  const fk = buildAxisFork({ width: LANES * 10, outputs: 4, last: true, user: true });
  const uf = m.instantiate('u_fork', fk.module);
  connectStream(m, s, instSink(uf));
  const enc = buildCamEncoder({ maxWidth: p.maxWidth, rowsBits: p.rowsBits, vlc: false });
  let flops = fk.flops + 4 * enc.flops;
  const ramBits = 4 * enc.ramBits; // the dwt2d row buffers; the FIFOs are flip-flop arrays (in flops)
  const errs = errBus();
  const passErr = errs.add;
  const encs = FRAME_FIELDS.map((f, fi) => {
    const src = instSource(uf, `m_axis_${fi}`);
    const ue = m.instantiate(`u_enc_${f}`, enc.module);
    const sink = instSink(ue);
    const lanes = Array.from({ length: FIELD_LANES }, (_, j) => frameLane(fi, j));
    sink.driveData(cat(...[...lanes].reverse().map((l) => src.data.slice(10 * l + 9, 10 * l))));
    for (let l = 0; l < LANES; l++) if (!lanes.includes(l)) m.unused(src.data.slice(10 * l + 9, 10 * l), `lane ${l} belongs to another field than ${f}`);
    sink.driveValid(src.valid);
    sink.driveLast(src.lastSig!);
    sink.driveUser(src.userSig!);
    src.driveReady(sink.readySig!);
    ue.connect('rows', rows);
    for (const b of ENCODER_BANDS) ue.connect(`mult_${b}`, mult[b]);
    for (const e of ['err_dwt', 'err_quant1', 'err_quant2']) passErr(instSource(ue, e));
    return ue;
  });

  // 2. Per band: the four fields' groups, each through a one-row FIFO, into cam_merge + cam_vlc.
  for (const b of ENCODER_BANDS) {
    const stage1 = (S1 as readonly string[]).includes(b);
    const bits = stage1 ? 12 : 13;
    const rowGroupsMax = p.maxWidth / (stage1 ? 8 : 16);
    const rgBits = ceilLog2(rowGroupsMax + 1);
    const fp = { width: 4 * bits, depth: Math.max(2, rowGroupsMax), last: true, user: true };
    const fifo = buildFifo(fp);
    const mg = buildCamFieldMerge({ coefBits: bits, rowGroupsBits: rgBits, wordBits: p.wordBits });
    const um = m.instantiate(`u_band_${b}`, mg.module);
    flops += mg.flops + 4 * fifoFlops(fp);
    encs.forEach((ue, fi) => {
      const uq = m.instantiate(`u_buf_${b}_${FRAME_FIELDS[fi]}`, fifo.module);
      connectStream(m, instSource(ue, `m_axis_${b}`), instSink(uq));
      connectStream(m, instSource(uq), instSink(um, `s_axis_${fi}`));
    });
    // Groups per band row: field width / 8 in stage 1, / 16 in stage 2 (width < 2^wb, so it fits).
    um.connect('row_groups', width.slice(wb - 1, stage1 ? 3 : 4).resize(rgBits));
    um.connect('k', kIn[b]);
    um.connect('flush', flush);
    connectStream(m, instSource(um), streamOut(m, { width: p.wordBits, user: false }, `m_axis_${b}`));
    const ctx = instSource(um, 'ctx');
    connectStream(m, ctx, streamOut(m, { width: ctx.width, ready: false, last: false, user: false }, `ctx_${b}`));
    passErr(instSource(um, 'err_vlc'));
    passErr(instSource(um, 'err_merge'));
  }
  m.unused(width.slice(2, 0), 'the field width is a multiple of 16 (bit 3 only feeds stage 1)');

  errs.drive(m, FRAME_ENCODER_ERR_BITS);
  return { module: m, flops, ramBits };
}
