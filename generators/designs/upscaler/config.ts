// The upscaler's hardware configuration: one typed, range-checked object that the schedule,
// the profiler and the RTL generator (plan.ts, top.ts) all read. Network knobs (N_GCR, HIDDEN_C,
// UPSAMPLE_MODE, QUANT_BITS, channel widths, kernels) come from the network config that
// training and the golden model share (model/net/weights.ts NetConfig); hardware knobs are here.
import { bool, defineParams, int, oneOf, intList } from '../../core/index.ts';
import type { NetConfig } from '../../../model/net/weights.ts';

export const hwParams = defineParams(
  'screen_top',
  {
    cellCycles: int({ min: 1, max: 4096, default: 16, doc: 'target cycles per grid cell of every pipeline stage (sets each stage\'s MAC lanes; plan.ts)' }),
    stripeCells: int({ min: 4, max: 1024, default: 64, doc: 'widest stripe in grid cells including halos (line-buffer depth; 1 cell = 2x2 LR px = 3x3 HR px)' }),
    pixelsPerBeat: oneOf([1, 2] as const, { default: 1, doc: 'LR pixels per AXI4-Stream beat on video in' }),
    clockMhz: int({ min: 10, max: 1000, default: 180, doc: 'core clock' }),
    lrWidth: int({ min: 8, max: 8192, default: 1280, doc: 'LR frame width (even)' }),
    lrHeight: int({ min: 8, max: 8192, default: 720, doc: 'LR frame height (even)' }),
    video: oneOf(['y8', 'rgb888'] as const, { default: 'y8', doc: 'video in/out pixel format: y8 = 8-bit luma; rgb888 = 24-bit RGB (R bits 7:0, G 15:8, B 23:16), converted to BT.601 YCbCr on chip, network on Y, chroma upscaled by the bilinear skip' }),
    weightSource: oneOf(['baked', 'loaded'] as const, { default: 'baked', doc: 'network weights: baked = elaboration constants in every conv unit; loaded = flip-flop tables written at start-up through the s_axis_weights stream (32-bit words in the screen_top_weights.hex layout; docs/architecture.md "Weights")' }),
  },
  [
    (p) => (p.lrWidth % 2 === 0 && p.lrHeight % 2 === 0 ? undefined : `lrWidth x lrHeight (${p.lrWidth}x${p.lrHeight}) must both be even: the network runs on 2x2 cells`),
  ],
);
export type HwConfig = ReturnType<typeof hwParams.validate>;

/** The hardware knobs recorded in a module header: weightSource only when not the default, so
 *  baked builds emit the same Verilog as before the knob existed. */
export function hwHeaderParams(hw: HwConfig): Record<string, unknown> {
  const { weightSource, ...rest } = hw;
  return weightSource === 'baked' ? rest : hw;
}

/** The network knobs the hardware depends on, validated with the same range machinery. */
export const netParams = defineParams('network', {
  feat_c: intList({ min: 1, max: 256, minLen: 0, maxLen: 8, default: [16, 16] }),
  feat_k: oneOf([1, 3] as const, { default: 3 }),
  n_gcr: int({ min: 1, max: 8, default: 1 }),
  hidden_c: int({ min: 1, max: 128, default: 12 }),
  gate_k: oneOf([1, 3] as const, { default: 1 }),
  cand_k: oneOf([1, 3] as const, { default: 1 }),
  head_k: oneOf([1, 3] as const, { default: 3 }),
  upsample_mode: oneOf(['pixelshuffle', 'deconv'] as const, { default: 'pixelshuffle' }),
  deconv_k: oneOf([3, 5] as const, { default: 5 }),
  quant_bits: oneOf([8, 6, 4] as const, { default: 8 }),
  head_x0: bool({ default: false }),
});

/** Keep only the hardware-relevant keys of a NetConfig (name, res_gain, train... are not). */
export function netKnobs(cfg: Partial<NetConfig> & Record<string, unknown>): NetConfig {
  const picked: Record<string, unknown> = {};
  for (const k of Object.keys(netParams.specs)) if (cfg[k] !== undefined) picked[k] = cfg[k];
  const v = netParams.validate(picked);
  return { name: String(cfg.name ?? 'custom'), res_gain: Number(cfg.res_gain ?? 1), ...v } as NetConfig;
}
