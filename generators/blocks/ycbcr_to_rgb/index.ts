// ycbcr_to_rgb builder (README.md): one {Y, Cb, Cr} pixel per beat -> RGB888 (BT.601 studio
// range, model/color.ts ycbcrToRgbInt, clipped). Free-running 2-register datapath (constant
// products as shifts and adds, then a compare-and-clip) into a credit-fed output FIFO.
import { cat, defineParams, int, lit, Module, mux, type Expr } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { RGB_BITS } from '../rgb_to_ycbcr/index.ts';
import { constSum } from '../const_mult.ts';
import { RGB_TERMS } from './model.ts';

export const ycbcrToRgbParams = defineParams('ycbcr_to_rgb', {
  depth: int({ min: 2, max: 64, default: 4, doc: 'output FIFO entries (= credits); 4 sustain one beat per cycle' }),
});

export type YcbcrToRgbConfig = ReturnType<typeof ycbcrToRgbParams.validate>;

export interface YcbcrToRgbInfo {
  module: Module;
  /** Cycles from an accepted s_axis beat to m_axis_tvalid (no stalls). */
  latency: number;
  flops: number;
}

export const YCBCR_TO_RGB_LATENCY = 3;

/** Bits of the sums P: R <= 298*255 + 409*255 = 180,285 and B <= 207,570 need 18. */
const P_BITS = 18;

/** Register bits: stage 1 (three 18-bit sums + valid/last/user), stage 2 (24 + 3), FIFO + credits. */
export function ycbcrToRgbFlops(p: YcbcrToRgbConfig): number {
  return 3 * P_BITS + 3 + 24 + 3 + creditOutputFlops(24, p.depth);
}

export function buildYcbcrToRgb(config: Partial<YcbcrToRgbConfig> = {}): YcbcrToRgbInfo {
  const p = ycbcrToRgbParams.validate(config);
  const m = new Module(p.depth === 4 ? 'ycbcr_to_rgb' : `ycbcr_to_rgb_d${p.depth}`, {
    params: { block: 'ycbcr_to_rgb', ...p },
    doc: `BT.601 studio-range {Cr, Cb, Y} (Y 7:0) -> RGB888 (R 7:0, G 15:8, B 23:16), clipped; latency ${YCBCR_TO_RGB_LATENCY}, ${p.depth}-entry credit FIFO`,
  });
  const s = streamIn(m, { width: RGB_BITS });
  const o = streamOut(m, { width: RGB_BITS });
  const cr = creditOutput(m, s, o, p.depth);
  const Y = s.data.slice(7, 0), Cb = s.data.slice(15, 8), Cr = s.data.slice(23, 16);
  const v1 = m.regInit('v1', 1, 0, { doc: 'stage 1 holds a beat' });
  const v2 = m.regInit('v2', 1, 0, { doc: 'stage 2 holds a beat' });
  v1.set(cr.take);
  v2.set(v1);
  const reg = (name: string, x: Expr) => {
    const r = m.reg(name, x.width, { reset: null });
    r.set(x);
    return r;
  };
  const outs = (['r', 'g', 'b'] as const).map((c) => {
    const t = RGB_TERMS[c];
    const terms: [Expr, number][] = [[Y, t.y], [Cb, t.cb], [Cb.not(), t.ncb], [Cr, t.cr], [Cr.not(), t.ncr]];
    const P = reg(`p_${c}`, constSum(terms.filter(([, k]) => k !== 0), 0, P_BITS));
    // Stage 2: clip(P - K) to 0..255 by comparing P with K and K + 65536 (no signed subtract).
    const d = m.wire(`d_${c}`, P.sub(lit(t.k, P_BITS), P_BITS));
    m.unused(d.slice(7, 0), 'fraction bits dropped by >> 8');
    m.unused(d.slice(P_BITS - 1, 16), 'P - K >= 65536 is caught by the compare');
    return mux(P.lt(t.k), lit(0, 8), mux(P.ge(t.k + 65536), lit(255, 8), d.slice(15, 8)));
  });
  const out = reg('rgb', cat(outs[2], outs[1], outs[0]));
  const last = reg('last2', reg('last1', s.lastSig!));
  const user = reg('user2', reg('user1', s.userSig!));
  cr.push(v2, out, last, user);
  return { module: m, latency: YCBCR_TO_RGB_LATENCY, flops: ycbcrToRgbFlops(p) };
}
