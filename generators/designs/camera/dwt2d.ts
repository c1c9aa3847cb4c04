// Forward 2-stage 2-D 5/3 DWT of one colour field (seed 001, issue 7): stage-1 horizontal core
// in registers -> stage-1 vertical core with row buffers -> fork: HL1/LH1/HH1 leave on
// m_axis_s1, LL1 goes through the stage-2 horizontal and vertical cores to m_axis_s2.
// Widths are those model/camera/dwt.ts proves (STAGE_WIDTH): 12-bit signed in stage 1 (as
// the seed says), 13-bit in stage 2 (12 overflows on HH2); the RTL test drives the worst cases.
// The field height is the `rows` input (a register: 4K and 2K modes share one build); the row
// length comes from tlast, so the row buffers serve any width up to maxWidth.
import { bool, cat, defineParams, int, Module } from '../../core/index.ts';
import { buildAxisFork } from '../../blocks/axis/fork.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../../blocks/axis/stream.ts';
import { buildDwt53h } from '../../blocks/dwt53_h/index.ts';
import { dwt53hGroup } from '../../blocks/dwt53_h/model.ts';
import { buildDwt53v } from '../../blocks/dwt53_v/index.ts';

export const dwt2dParams = defineParams(
  'dwt2d',
  {
    lanes: int({ min: 1, max: 64, default: 4, doc: 'field samples per input beat (1 or even)' }),
    inBits: int({ min: 2, max: 16, default: 10, doc: 'unsigned raw sample width' }),
    s1Bits: int({ min: 3, max: 24, default: 12, doc: 'stage-1 signed coefficient width (12 suffices for 10-bit input)' }),
    s2Bits: int({ min: 3, max: 24, default: 13, doc: 'stage-2 signed coefficient width (13 needed for 10-bit input)' }),
    maxWidth: int({ min: 8, max: 16384, default: 2048, doc: 'widest field row in samples (4096-wide sensor: 2048)' }),
    rowsBits: int({ min: 3, max: 16, default: 12, doc: 'width of the `rows` input' }),
    hStall: bool({ default: false, doc: 'horizontal cores with a stall enable and an output register instead of the credit FIFO (smaller)' }),
  },
  [
    (p) => (p.lanes === 1 || p.lanes % 2 === 0 ? undefined : `lanes = ${p.lanes} must be 1 or even`),
    (p) => {
      const g1 = dwt53hGroup(p.lanes), g2 = dwt53hGroup(g1.pairs);
      return p.maxWidth % g1.group === 0 && (p.maxWidth / 2) % g2.group === 0 && p.maxWidth / g1.group >= 2 && p.maxWidth / 2 / g2.group >= 2
        ? undefined
        : `maxWidth = ${p.maxWidth} must be a multiple of ${Math.max(g1.group, 2 * g2.group)} giving >= 2 beats per row in both stages`;
    },
  ],
);

/**
 * Bits of the `err` event stream (bit 0 first): per stage, a row of the wrong length (or, with
 * one sample per beat, of odd length), a tuser inside a frame, a frame started with a bad height.
 */
export const DWT2D_ERR_BITS = ['s1_row', 's1_sof', 's1_cfg', 's2_row', 's2_sof', 's2_cfg'] as const;

export type Dwt2dConfig = ReturnType<typeof dwt2dParams.validate>;

/** Lane geometry of the two stages for P input lanes. */
export function dwt2dGeometry(lanes: number) {
  const h1 = dwt53hGroup(lanes);
  const h2 = dwt53hGroup(h1.pairs);
  return {
    /** Stage 1: input samples per group, columns per band per output beat. */
    g1: h1.group,
    q1: h1.pairs,
    g2: h2.group,
    q2: h2.pairs,
    /** A field width must be a multiple of this. */
    widthMultiple: Math.max(h1.group, 2 * h2.group),
  };
}

export interface Dwt2dInfo {
  module: Module;
  flops: number;
  ramBits: number;
}

export function buildDwt2d(config: Partial<Dwt2dConfig> = {}): Dwt2dInfo {
  const p = dwt2dParams.validate(config);
  const g = dwt2dGeometry(p.lanes);
  const w1 = p.s1Bits, w2 = p.s2Bits;
  const m = new Module(`dwt2d_p${p.lanes}_i${p.inBits}_s${w1}_${w2}_w${p.maxWidth}_r${p.rowsBits}${p.hStall ? '_hstall' : ''}`, {
    params: { design: 'dwt2d', ...p },
    doc: `2-stage 5/3 DWT of one colour field, ${p.lanes} samples per beat, rows up to ${p.maxWidth}`,
  });
  const s = streamIn(m, { width: p.lanes * p.inBits });
  const rows = m.input('rows', p.rowsBits, { doc: 'field height (multiple of 4)' });
  const o1 = streamOut(m, { width: 3 * g.q1 * w1 }, 'm_axis_s1');
  const o2 = streamOut(m, { width: 4 * g.q2 * w2 }, 'm_axis_s2');

  const h1 = buildDwt53h({ lanes: p.lanes, inBits: p.inBits, inSigned: false, outBits: w1, stall: p.hStall });
  const v1 = buildDwt53v({ lanes: 2 * g.q1, inBits: w1, outBits: w1, maxBeats: p.maxWidth / g.g1, rowsBits: p.rowsBits });
  const fk = buildAxisFork({ width: 4 * g.q1 * w1, outputs: 2, last: true, user: true });
  const h2 = buildDwt53h({ lanes: g.q1, inBits: w1, inSigned: true, outBits: w2, stall: p.hStall });
  const v2 = buildDwt53v({ lanes: 2 * g.q2, inBits: w2, outBits: w2, maxBeats: p.maxWidth / 2 / g.g2, rowsBits: p.rowsBits - 1 });

  const uh1 = m.instantiate('u_h1', h1.module);
  const uv1 = m.instantiate('u_v1', v1.module);
  const ufk = m.instantiate('u_fork', fk.module);
  const uh2 = m.instantiate('u_h2', h2.module);
  const uv2 = m.instantiate('u_v2', v2.module);
  connectStream(m, s, instSink(uh1));
  connectStream(m, instSource(uh1), instSink(uv1));
  uv1.connect('rows', rows);
  connectStream(m, instSource(uv1), instSink(ufk));
  // Stage-1 vertical lanes: LL1 | HL1 | LH1 | HH1, q1 each, LL1 in the low bits.
  const llW = g.q1 * w1;
  const a = instSource(ufk, 'm_axis_0');
  o1.driveData(a.data.slice(4 * llW - 1, llW));
  o1.driveValid(a.valid);
  o1.driveLast(a.lastSig!);
  o1.driveUser(a.userSig!);
  a.driveReady(o1.readySig!);
  const b = instSource(ufk, 'm_axis_1');
  const sink2 = instSink(uh2);
  sink2.driveData(b.data.slice(llW - 1, 0));
  sink2.driveValid(b.valid);
  sink2.driveLast(b.lastSig!);
  sink2.driveUser(b.userSig!);
  b.driveReady(sink2.readySig!);
  m.unused(a.data.slice(llW - 1, 0), 'LL1 goes to stage 2 only');
  m.unused(b.data.slice(4 * llW - 1, llW), 'stage 2 takes LL1 only');
  connectStream(m, instSource(uh2), instSink(uv2));
  uv2.connect('rows', rows.slice(p.rowsBits - 1, 1));
  m.unused(rows.bit(0), 'field heights are multiples of 4');
  // Stage-2 vertical lanes: LL2 | HL2 | LH2 | HH2, q2 each.
  connectStream(m, instSource(uv2), o2);

  // Input errors of both stages as a passive event stream (no tready): one beat per cycle with
  // an error; bits in ERR_BITS order. They are one-cycle pulses of the cores; none stops the flow.
  const err = streamOut(m, { width: DWT2D_ERR_BITS.length, ready: false, last: false, user: false }, 'err');
  const rowErr = (h: typeof uh1, v: typeof uv1, hLanes: number) => (hLanes === 1 ? h.out('err_odd').or(v.out('err_row')) : v.out('err_row'));
  const bits = [rowErr(uh1, uv1, p.lanes), uv1.out('err_sof'), uv1.out('err_cfg'), rowErr(uh2, uv2, g.q1), uv2.out('err_sof'), uv2.out('err_cfg')];
  err.driveData(cat(...[...bits].reverse()));
  err.driveValid(bits.reduce((x, y) => x.or(y)));
  return { module: m, flops: h1.flops + v1.flops + fk.flops + h2.flops + v2.flops, ramBits: v1.ramBits + v2.ramBits };
}
