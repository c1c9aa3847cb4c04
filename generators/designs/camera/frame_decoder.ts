// Camera decoder of the whole frame (issue 7, docs/camera.md §15), the inverse of
// frame_encoder.ts: the seven codestreams of a frame (LL2 HL2 LH2 HH2 HL1 LH1 HH1, each holding the
// four colour fields' band rows interleaved R, G1, G2, B) -> per band one cam_vld (the codestream is
// one bit sequence, so it is decoded once) -> cam_split (the distributor: row_groups groups to
// each field in turn, a FIFO of one band row per field) -> four field decoders (cam_decoder with
// vld = false: ungroup, inverse quantizer, inverse DWT) -> join -> clamp to 10 bits -> the Bayer
// mosaic as 2x8 tiles, the frame encoder's input layout (model/camera/decode.ts decodeMosaic).
// With output = 'll1' only the four stage-2 codestreams are decoded and the four fields' LL1
// planes leave side by side, 2 samples each per beat (decode.ts decodeLL1, clamped): the input of
// the HDMI preview (preview.ts).
//
// Why a band row per field: the four field decoders leave in lockstep (one output beat holds all
// four), but a band's distributor passes a row of R, then G1, G2 and B; a field's inverse DWT
// needs band row y + 1 before it can finish field rows 2y, 2y + 1, so R must be able to take row
// y + 1 while G1..B still wait for row y. With one row per field the distributor never waits on a
// field that is waiting on it.
import { cat, defineParams, int, lit, mux, oneOf, Module, type Expr } from '../../core/index.ts';
import { buildAxisJoin } from '../../blocks/axis/join.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../blocks/axis/stream.ts';
import { DEQUANT_INV_BITS, FOCUS_BITS } from '../../blocks/cam_dequant/index.ts';
import { buildCamSplit, CAM_SPLIT_ERR_BITS } from '../../blocks/cam_split/index.ts';
import { buildCamVld, CAM_VLD_ERR_BITS } from '../../blocks/cam_vld/index.ts';
import { ceilLog2 } from '../../blocks/mac_pe/widths.ts';
import { RAW_MAX } from '../../../model/camera/bayer.ts';
import { buildCamDecoder } from './decoder.ts';
import { errBus } from './err_bus.ts';
import { ENCODER_BANDS } from './encoder.ts';
import { FRAME_FIELDS, frameLane } from './frame_encoder.ts';
import { IDWT2D_ERR_BITS } from './idwt2d.ts';

const S1 = ['HL1', 'LH1', 'HH1'] as const;
const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;
const FIELD_LANES = 4;
const SAMPLE_BITS = 12; // the field decoders' signed output samples

export const camFrameDecoderParams = defineParams(
  'cam_frame_decoder',
  {
    maxWidth: int({ min: 16, max: 16384, default: 2048, doc: 'widest field row in samples (mosaic width / 2; multiple of 16)' }),
    rowsBits: int({ min: 4, max: 16, default: 12, doc: 'width of the `rows` input (field height = mosaic height / 2, multiple of 4)' }),
    wordBits: oneOf([32, 64, 128], { default: 32, doc: 'codestream word width' }),
    output: oneOf(['mosaic', 'll1'] as const, { default: 'mosaic', doc: "'mosaic': all seven codestreams -> the Bayer mosaic as 2x8 tiles; 'll1': LL2 HL2 LH2 HH2 only -> the four LL1 planes, 2 samples each per beat" }),
  },
  [(p) => (p.maxWidth % 16 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be a multiple of 16`)],
);

export type CamFrameDecoderConfig = ReturnType<typeof camFrameDecoderParams.validate>;

/**
 * Bits of the passive `err` stream, bit 0 first: per band (LL2 .. HH1) its cam_vld events and its
 * distributor's, then per field (R, G1, G2, B) its stage-2 and stage-1 inverse quantizers'
 * out-of-range registers (bands, then focus) and its inverse DWT's events.
 */
export function frameDecoderErrBits(output: CamFrameDecoderConfig['output'] = 'mosaic'): readonly string[] {
  const ll1 = output === 'll1';
  return [
    ...(ll1 ? S2 : ENCODER_BANDS).flatMap((b) => [...CAM_VLD_ERR_BITS.map((e) => `${b}.vld.${e}`), ...CAM_SPLIT_ERR_BITS.map((e) => `${b}.split.${e}`)]),
    ...FRAME_FIELDS.flatMap((f) => [
      ...[...S2, 'focus'].map((b) => `${f}.dequant2.${b}`),
      ...(ll1 ? [] : [...S1, 'focus'].map((b) => `${f}.dequant1.${b}`)),
      ...IDWT2D_ERR_BITS.map((e) => `${f}.idwt.${e}`),
    ]),
  ];
}
export const FRAME_DECODER_ERR_BITS = frameDecoderErrBits('mosaic');

/** Lane of colour c's sample k in an LL1 beat (output = 'll1'). */
export const ll1Lane = (c: number, k: number): number => 2 * c + k;

export function buildCamFrameDecoder(config: Partial<CamFrameDecoderConfig> = {}): { module: Module; flops: number; ramBits: number } {
  const p = camFrameDecoderParams.validate(config);
  const XB = ceilLog2(p.maxWidth + 1), RB = p.rowsBits, GB = XB + RB;
  const ll1 = p.output === 'll1';
  const bands = ll1 ? S2 : ENCODER_BANDS;
  const m = new Module(`cam_frame_decoder_w${p.maxWidth}_r${RB}_o${p.wordBits}${ll1 ? '_ll1' : ''}`, {
    params: { design: 'cam_frame_decoder', ...p },
    doc: ll1
      ? `4 stage-2 subband codestreams of all four colour fields (${p.wordBits}-bit words) -> the four LL1 planes (2 samples each per beat)`
      : `7 subband codestreams of all four colour fields (${p.wordBits}-bit words) -> Bayer RGGB mosaic (2x8 tile per beat)`,
  });
  const ins = Object.fromEntries(bands.map((b) => [b, streamIn(m, { width: p.wordBits, user: false }, `s_axis_${b}`)]));
  const width = m.input('width', XB, { doc: 'field width = mosaic width / 2 (multiple of 16)' });
  const rows = m.input('rows', RB, { doc: 'field height = mosaic height / 2 (multiple of 4)' });
  const flush = m.input('flush', 1, { doc: 'the codestreams were coded with cam_vlc flush (frames word-aligned)' });
  const focus = m.input('focus', FOCUS_BITS, { doc: 'focus-assist gain of the high-pass bands in sixteenths [16, 64] (16 = off)' });
  const kIn = Object.fromEntries(bands.map((b) => [b, m.input(`k_${b}`, 4, { doc: `${b} group-code k` })]));
  const inv = Object.fromEntries(bands.map((b) => [b, m.input(`inv_${b}`, DEQUANT_INV_BITS, { doc: `${b} inverse register round(2^24/mult), shared by the four fields` })]));

  // Groups per frame and codestream: four fields of w*h/4 (stage 1) or w*h/16 (stage 2) values.
  const area = m.wire('area', width.mul(rows, GB));
  const groups1 = ll1 ? undefined : m.wire('groups_s1', area.slice(GB - 1, 2).zext(GB));
  const groups2 = m.wire('groups_s2', area.slice(GB - 1, 4).zext(GB));
  m.unused(area.slice(ll1 ? 3 : 1, 0), 'field areas are multiples of 64');

  const dec = buildCamDecoder({ maxWidth: p.maxWidth, rowsBits: RB, vld: false, ll1Only: ll1 });
  const fields = FRAME_FIELDS.map((f) => {
    const u = m.instantiate(`u_dec_${f}`, dec.module);
    u.connect('width', width);
    u.connect('rows', rows);
    u.connect('focus', focus);
    for (const b of bands) u.connect(`inv_${b}`, inv[b]);
    return u;
  });
  let flops = 4 * dec.flops;
  const errs = errBus();
  const passErr = errs.add;

  // 1. Per band: decode the codestream once, then distribute its rows to the four fields.
  for (const b of bands) {
    const stage1 = (S1 as readonly string[]).includes(b);
    const bits = stage1 ? 12 : 13;
    const rowGroupsMax = p.maxWidth / (stage1 ? 8 : 16);
    const rgBits = ceilLog2(rowGroupsMax + 1);
    const yb = RB - (stage1 ? 1 : 2);
    const vld = buildCamVld({ coefBits: bits, wordBits: p.wordBits, groupsBits: GB });
    const sp = buildCamSplit({ coefBits: bits, rowGroupsBits: rgBits, rowsBits: yb, depth: Math.max(2, rowGroupsMax) });
    const uv = m.instantiate(`u_vld_${b}`, vld.module);
    connectStream(m, ins[b], instSink(uv));
    uv.connect('k', kIn[b]);
    uv.connect('groups', stage1 ? groups1! : groups2);
    uv.connect('flush', flush);
    const us = m.instantiate(`u_split_${b}`, sp.module);
    connectStream(m, instSource(uv), instSink(us));
    // Groups per band row: field width / 8 (stage 1), / 16 (stage 2); band rows: height / 2, / 4.
    us.connect('row_groups', width.slice(XB - 1, stage1 ? 3 : 4).resize(rgBits));
    us.connect('rows', rows.slice(RB - 1, stage1 ? 1 : 2));
    fields.forEach((u, fi) => connectStream(m, instSource(us, `m_axis_${fi}`), instSink(u, `s_axis_${b}`)));
    passErr(instSource(uv, 'err'));
    passErr(instSource(us, 'err'));
    flops += vld.flops + sp.flops;
  }
  m.unused(width.slice(ll1 ? 3 : 2, 0), 'the field width is a multiple of 16 (bit 3 only feeds stage 1)');
  m.unused(rows.slice(ll1 ? 1 : 0, 0), 'the field height is a multiple of 4 (bit 1 only feeds stage 1)');
  for (const u of fields) for (const e of ll1 ? ['err_dequant2', 'err_idwt'] : ['err_dequant2', 'err_dequant1', 'err_idwt']) passErr(instSource(u, e));

  // 2. The four fields' samples side by side, clamped to 10 bits, in the tile (or LL1) layout.
  const fieldLanes = ll1 ? FIELD_LANES / 2 : FIELD_LANES;
  const jn = buildAxisJoin({ widths: FRAME_FIELDS.map(() => fieldLanes * SAMPLE_BITS), last: true, user: true, sideFrom: 0 });
  const uj = m.instantiate('u_join', jn.module);
  fields.forEach((u, fi) => connectStream(m, instSource(u), instSink(uj, `s_axis_${fi}`)));
  flops += jn.flops;
  const joined = instSource(uj);
  const lanes: Expr[] = new Array(FRAME_FIELDS.length * fieldLanes);
  FRAME_FIELDS.forEach((_, fi) => {
    for (let j = 0; j < fieldLanes; j++) {
      const at = (fi * fieldLanes + j) * SAMPLE_BITS;
      const v = joined.data.slice(at + SAMPLE_BITS - 1, at).asSigned();
      lanes[ll1 ? ll1Lane(fi, j) : frameLane(fi, j)] = m.wire(`px_${fi}_${j}`, mux(v.lt(0), lit(0, 10), mux(v.gt(RAW_MAX), lit(RAW_MAX, 10), v.asUnsigned().trunc(10))));
    }
  });
  const o = streamOut(m, { width: lanes.length * 10 });
  o.driveData(cat(...[...lanes].reverse()));
  o.driveValid(joined.valid);
  o.driveLast(joined.lastSig!);
  o.driveUser(joined.userSig!);
  joined.driveReady(o.readySig!);

  errs.drive(m, frameDecoderErrBits(p.output));
  return { module: m, flops, ramBits: 4 * dec.ramBits };
}
