// Inverse 2-stage 2-D 5/3 DWT of one colour field (issue 7 item 4), the mirror of dwt2d.ts:
// stage-2 bands (LL2|HL2|LH2|HH2, the dwt2d m_axis_s2 layout) -> vertical inverse (row
// buffers) -> horizontal inverse (registers) = LL1; LL1 joined beat by beat with the stage-1
// bands (HL1|LH1|HH1, the m_axis_s1 layout) -> vertical inverse -> horizontal inverse = the
// field, P samples per beat. Vertical before horizontal, as model/camera/dwt.ts inverseStage.
// Widths as the forward design (12-bit stage 1, 13-bit stage 2); output samples are signed
// `s1Bits` wide (a decoded field may leave the raw range; the preview clamps).
import { bool, cat, defineParams, int, lit, Module, type Expr } from '../../core/index.ts';
import { buildAxisJoin } from '../../blocks/axis/join.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../blocks/axis/stream.ts';
import { buildIdwt53h } from '../../blocks/idwt53_h/index.ts';
import { buildIdwt53v } from '../../blocks/idwt53_v/index.ts';

export const idwt2dParams = defineParams(
  'idwt2d',
  {
    lanes: int({ min: 4, max: 64, default: 4, doc: 'field samples per output beat (multiple of 4)' }),
    s1Bits: int({ min: 3, max: 24, default: 12, doc: 'stage-1 signed coefficient width, also the LL1 and output sample width' }),
    s2Bits: int({ min: 3, max: 24, default: 13, doc: 'stage-2 signed coefficient width' }),
    maxWidth: int({ min: 16, max: 16384, default: 2048, doc: 'widest field row in samples' }),
    rowsBits: int({ min: 3, max: 16, default: 12, doc: 'width of the `rows` input' }),
    ll1Only: bool({ default: false, doc: 'stage-2 inverse only: LL1 out (lanes/2 samples per beat), no s_axis_s1 (the HDMI preview shows LL1, seed 003)' }),
  },
  [
    (p) => (p.lanes % 4 === 0 ? undefined : `lanes = ${p.lanes} must be a multiple of 4 (LL1 and stage-1 band beats must have equal column counts)`),
    (p) => (p.maxWidth % (2 * p.lanes) === 0 ? undefined : `maxWidth = ${p.maxWidth} must be a multiple of ${2 * p.lanes} (>= 2 beats per row in both stages)`),
  ],
);

export type Idwt2dConfig = ReturnType<typeof idwt2dParams.validate>;

/**
 * Bits of the `err` event stream (bit 0 first), per stage's vertical core (the dwt2d names): an
 * input row of the wrong length, a tuser inside a frame, a frame started with a bad height.
 */
export const IDWT2D_ERR_BITS = ['s1_row', 's1_sof', 's1_cfg', 's2_row', 's2_sof', 's2_cfg'] as const;

export interface Idwt2dInfo {
  module: Module;
  flops: number;
  ramBits: number;
}

export function buildIdwt2d(config: Partial<Idwt2dConfig> = {}): Idwt2dInfo {
  const p = idwt2dParams.validate(config);
  const q1 = p.lanes / 2, q2 = q1 / 2;
  const w1 = p.s1Bits, w2 = p.s2Bits;
  const m = new Module(`idwt2d_p${p.lanes}_s${w1}_${w2}_w${p.maxWidth}_r${p.rowsBits}${p.ll1Only ? '_ll1' : ''}`, {
    params: { design: 'idwt2d', ...p },
    doc: p.ll1Only
      ? `stage-2 inverse 5/3 DWT of one colour field (LL1 out), ${p.lanes / 2} LL1 samples per output beat, field rows up to ${p.maxWidth}`
      : `inverse 2-stage 5/3 DWT of one colour field, ${p.lanes} samples per output beat, rows up to ${p.maxWidth}`,
  });
  const s2 = streamIn(m, { width: 4 * q2 * w2 }, 's_axis_s2');
  const rows = m.input('rows', p.rowsBits, { doc: 'field height (multiple of 4)' });

  const v2 = buildIdwt53v({ lanes: 2 * q2, inBits: w2, outBits: w2, maxBeats: p.maxWidth / 4 / q2, rowsBits: p.rowsBits - 1 });
  const h2 = buildIdwt53h({ pairs: q2, inBits: w2, outBits: w1 });
  const uv2 = m.instantiate('u_v2', v2.module);
  const uh2 = m.instantiate('u_h2', h2.module);
  connectStream(m, s2, instSink(uv2));
  uv2.connect('rows', rows.slice(p.rowsBits - 1, 1));
  m.unused(rows.bit(0), 'field heights are multiples of 4');
  // v2 output lanes: L columns (q2) then H columns (q2) = idwt53_h's lo | hi input.
  connectStream(m, instSource(uv2), instSink(uh2));
  const err = streamOut(m, { width: IDWT2D_ERR_BITS.length, ready: false, last: false, user: false }, 'err');
  if (p.ll1Only) {
    connectStream(m, instSource(uh2), streamOut(m, { width: 2 * q2 * w1 }));
    const b2 = [uv2.out('err_row'), uv2.out('err_sof'), uv2.out('err_cfg')];
    err.driveData(cat(...[...b2].reverse(), lit(0, 3)));
    err.driveValid(b2.reduce<Expr>((x, y) => x.or(y), lit(0, 1)));
    return { module: m, flops: v2.flops + h2.flops, ramBits: v2.ramBits };
  }
  const s1 = streamIn(m, { width: 3 * q1 * w1 }, 's_axis_s1');
  const o = streamOut(m, { width: p.lanes * w1 });
  const jn = buildAxisJoin({ widths: [q1 * w1, 3 * q1 * w1], last: true, user: true, sideFrom: 1 });
  const v1 = buildIdwt53v({ lanes: 2 * q1, inBits: w1, outBits: w1, maxBeats: p.maxWidth / p.lanes, rowsBits: p.rowsBits });
  const h1 = buildIdwt53h({ pairs: q1, inBits: w1, outBits: w1 });
  const ujn = m.instantiate('u_join', jn.module);
  const uv1 = m.instantiate('u_v1', v1.module);
  const uh1 = m.instantiate('u_h1', h1.module);
  // Join: LL1 (q1 columns) | HL1 | LH1 | HH1 = stage-1 vertical lo (LL1, HL1) | hi (LH1, HH1).
  connectStream(m, instSource(uh2), instSink(ujn, 's_axis_0'));
  connectStream(m, s1, instSink(ujn, 's_axis_1'));
  connectStream(m, instSource(ujn), instSink(uv1));
  uv1.connect('rows', rows);
  connectStream(m, instSource(uv1), instSink(uh1));
  connectStream(m, instSource(uh1), o);

  const bits = ['err_row', 'err_sof', 'err_cfg'].flatMap((n) => [uv1, uv2].map((u) => u.out(n)));
  const ordered = [bits[0], bits[2], bits[4], bits[1], bits[3], bits[5]]; // s1_row, s1_sof, s1_cfg, s2_*
  err.driveData(cat(...[...ordered].reverse()));
  err.driveValid(ordered.reduce<Expr>((x, y) => x.or(y), lit(0, 1)));
  return { module: m, flops: v2.flops + h2.flops + jn.flops + v1.flops + h1.flops, ramBits: v1.ramBits + v2.ramBits };
}
