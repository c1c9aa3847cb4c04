// Camera encoder for one colour field (issue 7 item 3): dwt2d -> per-stage quantizer -> fork per
// subband -> groups of four -> variable-length coder, seven codestreams out (LL2 HL2 LH2 HH2 HL1
// LH1 HH1). Each codestream is the field's band in raster order coded with the golden group code
// (model/camera/codec.ts encodeGroup); the full camera interleaves the four fields' rows of a band
// into one codestream (docs/camera.md §3): with vlc = false the bands leave as groups, for
// cam_merge + one cam_vlc per band (field_merge.ts).
import { bool, defineParams, int, Module } from '../../core/index.ts';
import { buildAxisFork } from '../../blocks/axis/fork.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../blocks/axis/stream.ts';
import { buildCamGroup } from '../../blocks/cam_group/index.ts';
import { buildCamQuant, QUANT_MULT_BITS } from '../../blocks/cam_quant/index.ts';
import { buildCamVlc } from '../../blocks/cam_vlc/index.ts';
import { buildDwt2d, dwt2dGeometry } from './dwt2d.ts';

export const ENCODER_BANDS = ['LL2', 'HL2', 'LH2', 'HH2', 'HL1', 'LH1', 'HH1'] as const;
const S1 = ['HL1', 'LH1', 'HH1'] as const;
const S2 = ['LL2', 'HL2', 'LH2', 'HH2'] as const;

export const camEncoderParams = defineParams(
  'cam_encoder',
  {
    maxWidth: int({ min: 16, max: 16384, default: 2048, doc: 'widest field row in samples (multiple of 16: groups of four along stage-2 rows)' }),
    rowsBits: int({ min: 4, max: 16, default: 12, doc: 'width of the `rows` input (field height, multiple of 4)' }),
    vlc: bool({ default: true, doc: 'true: codestream words out; false: each band\'s groups (cam_group output) out, for a four-field merger (cam_merge) and one shared cam_vlc' }),
  },
  [(p) => (p.maxWidth % 16 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be a multiple of 16`)],
);

export type CamEncoderConfig = ReturnType<typeof camEncoderParams.validate>;

const LANES = 4;

export function buildCamEncoder(config: Partial<CamEncoderConfig> = {}): { module: Module; flops: number; ramBits: number } {
  const p = camEncoderParams.validate(config);
  const g = dwt2dGeometry(LANES);
  const m = new Module(`cam_encoder_p${LANES}_w${p.maxWidth}_r${p.rowsBits}${p.vlc ? '' : '_g'}`, {
    params: { design: 'cam_encoder', lanes: LANES, ...p },
    doc: p.vlc
      ? `one colour field -> 7 subband codestreams (5/3 DWT, quantizer, group-of-four VLC), ${LANES} samples per beat`
      : `one colour field -> 7 subband group streams (5/3 DWT, quantizer, groups of four), ${LANES} samples per beat`,
  });
  const s = streamIn(m, { width: LANES * 10 });
  const rows = m.input('rows', p.rowsBits, { doc: 'field height (multiple of 4)' });
  const flush = p.vlc ? m.input('flush', 1, { doc: 'cam_vlc flush: frames end word-aligned' }) : undefined;
  const mult = Object.fromEntries(ENCODER_BANDS.map((b) => [b, m.input(`mult_${b}`, QUANT_MULT_BITS, { doc: `${b} quantizer multiplier [256, 65536]` })]));
  const kIn = p.vlc ? Object.fromEntries(ENCODER_BANDS.map((b) => [b, m.input(`k_${b}`, 4, { doc: `${b} group-code k` })])) : {};

  const dwt = buildDwt2d({ lanes: LANES, maxWidth: p.maxWidth, rowsBits: p.rowsBits });
  const ud = m.instantiate('u_dwt', dwt.module);
  connectStream(m, s, instSink(ud));
  ud.connect('rows', rows);
  const passErr = (src: ReturnType<typeof instSource>, name: string) => {
    const e = streamOut(m, { width: src.width, ready: false, last: false, user: false }, name);
    connectStream(m, src, e);
  };
  passErr(instSource(ud, 'err'), 'err_dwt');
  let flops = dwt.flops;

  const stage = (bands: readonly string[], cols: number, bits: number, dwtOut: string, bandRows: ReturnType<typeof rows.slice>, tag: string) => {
    const q = buildCamQuant({ bands: bands.length, cols, coefBits: bits });
    const uq = m.instantiate(`u_quant${tag}`, q.module);
    connectStream(m, instSource(ud, dwtOut), instSink(uq));
    bands.forEach((b, i) => uq.connect(`mult_${i}`, mult[b]));
    passErr(instSource(uq, 'err'), `err_quant${tag}`);
    const fk = buildAxisFork({ width: bands.length * cols * bits, outputs: bands.length, last: true, user: true });
    const uf = m.instantiate(`u_fork${tag}`, fk.module);
    connectStream(m, instSource(uq), instSink(uf));
    const grp = buildCamGroup({ lanes: cols as 1 | 2 | 4, coefBits: bits, rowsBits: bandRows.width });
    const vlc = buildCamVlc({ coefBits: bits });
    flops += q.flops + fk.flops + bands.length * (grp.flops + (p.vlc ? vlc.flops : 0));
    bands.forEach((b, i) => {
      const src = instSource(uf, `m_axis_${i}`);
      const ug = m.instantiate(`u_group_${b}`, grp.module);
      const sink = instSink(ug);
      const w = cols * bits;
      sink.driveData(src.data.slice(w * i + w - 1, w * i));
      sink.driveValid(src.valid);
      sink.driveLast(src.lastSig!);
      sink.driveUser(src.userSig!);
      src.driveReady(sink.readySig!);
      if (bands.length > 1) {
        if (i > 0) m.unused(src.data.slice(w * i - 1, 0), `${b} takes its own lanes`);
        if (i < bands.length - 1) m.unused(src.data.slice(bands.length * w - 1, w * i + w), `${b} takes its own lanes`);
      }
      ug.connect('rows', bandRows);
      if (!p.vlc) {
        connectStream(m, instSource(ug), streamOut(m, { width: 4 * bits }, `m_axis_${b}`));
        return;
      }
      const uv = m.instantiate(`u_vlc_${b}`, vlc.module);
      connectStream(m, instSource(ug), instSink(uv));
      uv.connect('k', kIn[b]);
      uv.connect('flush', flush!);
      connectStream(m, instSource(uv), streamOut(m, { width: 32, user: false }, `m_axis_${b}`));
      passErr(instSource(uv, 'ctx'), `ctx_${b}`);
      passErr(instSource(uv, 'err'), `err_${b}`);
    });
  };
  stage(S1, g.q1, 12, 'm_axis_s1', rows.slice(p.rowsBits - 1, 1), '1');
  stage(S2, g.q2, 13, 'm_axis_s2', rows.slice(p.rowsBits - 1, 2), '2');
  return { module: m, flops, ramBits: dwt.ramBits };
}
