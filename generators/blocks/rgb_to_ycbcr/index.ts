// rgb_to_ycbcr builder (README.md): one RGB888 pixel per beat -> {Y, Cb, Cr} (BT.601 studio
// range, model/color.ts yInt/cbInt/crInt). Free-running 2-register datapath (constant products
// as shifts and adds) into a credit-fed output FIFO (axis/credit.ts), like skip_add.
import { cat, defineParams, int, Module, type Expr } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { constSum } from '../const_mult.ts';
import { CHROMA_OFFSET } from './model.ts';

export const rgbToYcbcrParams = defineParams('rgb_to_ycbcr', {
  depth: int({ min: 2, max: 64, default: 4, doc: 'output FIFO entries (= credits); 4 sustain one beat per cycle' }),
});

export type RgbToYcbcrConfig = ReturnType<typeof rgbToYcbcrParams.validate>;

export interface RgbToYcbcrInfo {
  module: Module;
  /** Cycles from an accepted s_axis beat to m_axis_tvalid (no stalls). */
  latency: number;
  flops: number;
}

export const RGB_TO_YCBCR_LATENCY = 3;
export const RGB_BITS = 24;

/** Register bits: stage 1 (three sums >> 8 + valid/last/user), stage 2 (24 + 3), FIFO + credits. */
export function rgbToYcbcrFlops(p: RgbToYcbcrConfig): number {
  return 24 + 3 + 24 + 3 + creditOutputFlops(24, p.depth);
}

export function buildRgbToYcbcr(config: Partial<RgbToYcbcrConfig> = {}): RgbToYcbcrInfo {
  const p = rgbToYcbcrParams.validate(config);
  const m = new Module(p.depth === 4 ? 'rgb_to_ycbcr' : `rgb_to_ycbcr_d${p.depth}`, {
    params: { block: 'rgb_to_ycbcr', ...p },
    doc: `RGB888 (R 7:0, G 15:8, B 23:16) -> BT.601 studio-range {Cr, Cb, Y} (Y 7:0); latency ${RGB_TO_YCBCR_LATENCY}, ${p.depth}-entry credit FIFO`,
  });
  const s = streamIn(m, { width: RGB_BITS });
  const o = streamOut(m, { width: RGB_BITS });
  const cr = creditOutput(m, s, o, p.depth);
  const R = s.data.slice(7, 0), G = s.data.slice(15, 8), B = s.data.slice(23, 16);
  // 66R + 129G + 25B + 128 <= 56,228; 38~R + 74~G + 112B + 4336 <= 61,456 (and Cr alike): 16 bits.
  const sums: Expr[] = [
    constSum([[R, 66], [G, 129], [B, 25]], 128, 16),
    constSum([[R.not(), 38], [G.not(), 74], [B, 112]], CHROMA_OFFSET, 16),
    constSum([[R, 112], [G.not(), 94], [B.not(), 18]], CHROMA_OFFSET, 16),
  ];
  const v1 = m.regInit('v1', 1, 0, { doc: 'stage 1 holds a beat' });
  const v2 = m.regInit('v2', 1, 0, { doc: 'stage 2 holds a beat' });
  v1.set(cr.take);
  v2.set(v1);
  const reg = (name: string, x: Expr) => {
    const r = m.reg(name, x.width, { reset: null });
    r.set(x);
    return r;
  };
  // Stage 1 keeps bits [15:8] (the >> 8); stage 2 adds Y's +16 (Cb and Cr carry their +128 in the offset).
  const s1 = sums.map((x, i) => reg(`sum_${['y', 'cb', 'cr'][i]}`, x.slice(15, 8)));
  const out = reg('ycc', cat(s1[2], s1[1], s1[0].add(16, 8)));
  const last = reg('last2', reg('last1', s.lastSig!));
  const user = reg('user2', reg('user1', s.userSig!));
  cr.push(v2, out, last, user);
  return { module: m, latency: RGB_TO_YCBCR_LATENCY, flops: rgbToYcbcrFlops(p) };
}
