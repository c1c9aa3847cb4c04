// Camera decoder for one colour field (issue 7, decoder side), the mirror of encoder.ts: seven
// subband codestreams (LL2 HL2 LH2 HH2 HL1 LH1 HH1, cam_vlc words) -> per band cam_vld (groups of
// four) -> cam_ungroup (band beats, row framed) -> join per stage -> cam_dequant (inverse quantizer,
// focus assist on the high-pass bands) -> idwt2d -> the field, 4 samples per beat. Groups per frame
// and band row lengths follow from the `width` and `rows` registers, so one build takes full and
// subsampled fields, as the encoder does. With vld = false the bands come in as groups (cam_vld
// output, one field's band in raster order): the whole-frame decoder decodes each codestream once
// and distributes its rows to four of these (frame_decoder.ts, cam_split). With ll1Only only the
// stage-2 codestreams come in and the field's LL1 leaves (idwt2d ll1Only, 2 samples per beat): the
// HDMI preview's path (model/camera/decode.ts decodeLL1).
import { bool, defineParams, int, Module, type Expr } from '../../core/index.ts';
import { buildAxisJoin } from '../../blocks/axis/join.ts';
import { connectStream, instSink, instSource, streamIn, streamOut, type StreamSource } from '../../blocks/axis/stream.ts';
import { buildCamDequant, DEQUANT_INV_BITS, FOCUS_BITS } from '../../blocks/cam_dequant/index.ts';
import { buildCamUngroup } from '../../blocks/cam_ungroup/index.ts';
import { buildCamVld } from '../../blocks/cam_vld/index.ts';
import { ceilLog2 } from '../../blocks/mac_pe/widths.ts';
import { ENCODER_BANDS } from './encoder.ts';
import { buildIdwt2d } from './idwt2d.ts';

const S1 = ['HL1', 'LH1', 'HH1'] as const;
const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;
const LANES = 4;
const Q1 = 2, Q2 = 1; // band columns per beat at 4 field samples per beat (dwt2d layout)

export const camDecoderParams = defineParams(
  'cam_decoder',
  {
    maxWidth: int({ min: 16, max: 16384, default: 2048, doc: 'widest field row in samples (multiple of 16)' }),
    rowsBits: int({ min: 4, max: 16, default: 12, doc: 'width of the `rows` input (field height, multiple of 4)' }),
    vld: bool({ default: true, doc: 'true: codestream words in (one cam_vld per band); false: each band\'s groups in (cam_vld output of this field\'s band, raster order), no k/flush inputs' }),
    ll1Only: bool({ default: false, doc: 'stage-2 codestreams only (LL2 HL2 LH2 HH2): the field\'s LL1 out, 2 samples per beat (the preview)' }),
  },
  [(p) => (p.maxWidth % 16 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be a multiple of 16`)],
);

export type CamDecoderConfig = ReturnType<typeof camDecoderParams.validate>;

export function buildCamDecoder(config: Partial<CamDecoderConfig> = {}): { module: Module; flops: number; ramBits: number } {
  const p = camDecoderParams.validate(config);
  const XB = ceilLog2(p.maxWidth + 1), RB = p.rowsBits, GB = XB + RB;
  const bands = p.ll1Only ? S2 : ENCODER_BANDS;
  const what = p.ll1Only ? `its LL1 (inverse quantizer with focus assist, stage-2 inverse 5/3 DWT), ${LANES / 2} samples per beat` : `one colour field (inverse quantizer with focus assist, inverse 5/3 DWT), ${LANES} samples per beat`;
  const m = new Module(`cam_decoder_p${LANES}_w${p.maxWidth}_r${RB}${p.vld ? '' : '_g'}${p.ll1Only ? '_ll1' : ''}`, {
    params: { design: 'cam_decoder', lanes: LANES, ...p },
    doc: p.vld ? `${bands.length} subband codestreams (group-of-four VLD) -> ${what}` : `${bands.length} subband group streams -> ${what}`,
  });
  const width = m.input('width', XB, { doc: 'field width (multiple of 16)' });
  const rows = m.input('rows', RB, { doc: 'field height (multiple of 4)' });
  const flush = p.vld ? m.input('flush', 1, { doc: 'the codestreams were coded with cam_vlc flush (frames word-aligned)' }) : undefined;
  const focus = m.input('focus', FOCUS_BITS, { doc: 'focus-assist gain of the high-pass bands in sixteenths [16, 64] (16 = off)' });
  const bandBits = (b: string) => ((S1 as readonly string[]).includes(b) ? 12 : 13);
  const ins = Object.fromEntries(bands.map((b) => [b, p.vld ? streamIn(m, { width: 32, user: false }, `s_axis_${b}`) : streamIn(m, { width: 4 * bandBits(b) }, `s_axis_${b}`)]));
  const kIn = p.vld ? Object.fromEntries(bands.map((b) => [b, m.input(`k_${b}`, 4, { doc: `${b} group-code k` })])) : {};
  const inv = Object.fromEntries(bands.map((b) => [b, m.input(`inv_${b}`, DEQUANT_INV_BITS, { doc: `${b} inverse register round(2^24/mult)` })]));

  // Values per frame: field w*h/4 per stage-1 band, w*h/16 per stage-2 band; groups of four.
  let groups1: Expr | undefined, groups2: Expr | undefined;
  if (p.vld) {
    const area = m.wire('area', width.mul(rows, GB));
    if (!p.ll1Only) groups1 = m.wire('groups_s1', area.slice(GB - 1, 4).zext(GB));
    groups2 = m.wire('groups_s2', area.slice(GB - 1, 6).zext(GB));
    m.unused(area.slice(p.ll1Only ? 5 : 3, 0), 'field areas are multiples of 64');
  }
  const bandW1 = p.ll1Only ? undefined : m.wire('band_w1', width.slice(XB - 1, 1).zext(XB));
  const bandW2 = m.wire('band_w2', width.slice(XB - 1, 2).zext(XB));
  m.unused(width.slice(1, 0), 'field widths are multiples of 16');

  const idwt = buildIdwt2d({ lanes: LANES, maxWidth: p.maxWidth, rowsBits: RB, ll1Only: p.ll1Only });
  const ui = m.instantiate('u_idwt', idwt.module);
  ui.connect('rows', rows);
  let flops = idwt.flops;

  const stage = (bands: readonly string[], q: 1 | 2, bits: number, groups: Expr | undefined, bandW: typeof bandW2, tag: string) => {
    const vld = buildCamVld({ coefBits: bits, groupsBits: GB });
    const ug = buildCamUngroup({ lanes: q, coefBits: bits, widthBits: XB });
    const jn = buildAxisJoin({ widths: bands.map(() => q * bits), last: true, user: true, sideFrom: 0 });
    const dq = buildCamDequant({ bands: bands.length, cols: q, coefBits: bits, lowPass0: tag === '2' });
    const uj = m.instantiate(`u_join${tag}`, jn.module);
    bands.forEach((b, i) => {
      let groupSrc: StreamSource = ins[b];
      if (p.vld) {
        const uv = m.instantiate(`u_vld_${b}`, vld.module);
        connectStream(m, ins[b], instSink(uv));
        uv.connect('k', kIn[b]);
        uv.connect('groups', groups!);
        uv.connect('flush', flush!);
        const e = streamOut(m, { width: 3, ready: false, last: false, user: false }, `err_vld_${b}`);
        connectStream(m, instSource(uv, 'err'), e);
        groupSrc = instSource(uv);
      }
      const uu = m.instantiate(`u_ungroup_${b}`, ug.module);
      connectStream(m, groupSrc, instSink(uu));
      uu.connect('width', bandW);
      connectStream(m, instSource(uu), instSink(uj, `s_axis_${i}`));
    });
    const ud = m.instantiate(`u_dequant${tag}`, dq.module);
    connectStream(m, instSource(uj), instSink(ud));
    bands.forEach((b, i) => ud.connect(`inv_${i}`, inv[b]));
    ud.connect('focus', focus);
    connectStream(m, instSource(ud, 'err'), streamOut(m, { width: bands.length + 1, ready: false, last: false, user: false }, `err_dequant${tag}`));
    connectStream(m, instSource(ud), instSink(ui, `s_axis_s${tag}`));
    flops += bands.length * ((p.vld ? vld.flops : 0) + ug.flops) + jn.flops + dq.flops;
  };
  stage(S2, Q2, 13, groups2, bandW2, '2');
  if (!p.ll1Only) stage(S1, Q1, 12, groups1, bandW1!, '1');
  connectStream(m, instSource(ui), streamOut(m, { width: (p.ll1Only ? LANES / 2 : LANES) * 12 }));
  connectStream(m, instSource(ui, 'err'), streamOut(m, { width: 6, ready: false, last: false, user: false }, 'err_idwt'));
  return { module: m, flops, ramBits: idwt.ramBits };
}
