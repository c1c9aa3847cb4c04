// The register map of `screen_top` (AXI4-Lite). One description: the Verilog slave, the C
// header, the TypeScript driver and the markdown table are generated from it
// (generators/blocks/regfile). Geometry registers are sampled by the datapath while no frame
// is in flight; the driver programs them per stripe job (docs/architecture.md).
import type { RegFileSpec } from '../../blocks/regfile/spec.ts';

export const SCREEN_TOP_REGS: RegFileSpec = {
  name: 'screen_top_regs',
  addrBits: 8,
  doc: 'Control, geometry, error and performance registers of the SCREEN upscaler.',
  registers: [
    {
      name: 'ctrl', offset: 0x00, access: 'RW', doc: 'Core control.',
      fields: [
        { name: 'enable', msb: 0, lsb: 0, reset: 0, doc: '1 = accept video; 0 = video in is held off (tready low).' },
        { name: 'hidden_reset', msb: 1, lsb: 1, reset: 1, doc: '1 = the hidden state is zero (first frame of a sequence or a scene cut): the hidden-state input stream is not read.' },
      ],
    },
    {
      name: 'frame_size', offset: 0x04, access: 'RW', doc: 'Size of the stripe-frame on video in, in LR pixels (even).',
      fields: [
        { name: 'width', msb: 15, lsb: 0, reset: 128, doc: 'Pixels per line of the stripe (its halo included).' },
        { name: 'height', msb: 31, lsb: 16, reset: 720, doc: 'Lines per frame.' },
      ],
    },
    {
      name: 'own_cols', offset: 0x08, access: 'RW', doc: 'Owned cell columns of the stripe: the columns that are output and whose hidden state is written back.',
      fields: [
        { name: 'lo', msb: 15, lsb: 0, reset: 0, doc: 'First owned cell column.' },
        { name: 'hi', msb: 31, lsb: 16, reset: 64, doc: 'One past the last owned cell column.' },
      ],
    },
    {
      name: 'status', offset: 0x0c, access: 'RO', doc: 'Core status.',
      fields: [
        { name: 'busy', msb: 0, lsb: 0, doc: 'A frame is in flight (start of frame accepted, last output pixel not yet sent). Back-to-back frames overlap by at most two; a third start of frame waits (tready low) until the oldest ends.' },
        { name: 'frames_done', msb: 31, lsb: 16, doc: 'Output frames completed since reset (wraps).' },
      ],
    },
    {
      name: 'errors', offset: 0x10, access: 'W1C', doc: 'Sticky input-stream error flags; write 1 to clear. The frame in flight is completed with zero cells and the core waits for the next start of frame.',
      fields: [
        { name: 'eol_early', msb: 0, lsb: 0, doc: 'tlast before frame_size.width pixels.' },
        { name: 'eol_late', msb: 1, lsb: 1, doc: 'No tlast after frame_size.width pixels.' },
        { name: 'sof', msb: 2, lsb: 2, doc: 'Start of frame missing, or tuser inside a frame.' },
        { name: 'cfg', msb: 3, lsb: 3, doc: 'frame_size or own_cols out of range when a frame started.' },
      ],
    },
    {
      name: 'perf_cycles', offset: 0x14, access: 'RO', doc: 'Cycles of the last completed frame: cycle of its last output pixel minus cycle of its start-of-frame beat (both handshake cycles).',
      fields: [{ name: 'count', msb: 31, lsb: 0, doc: 'Cycles.' }],
    },
    {
      name: 'perf_stalls', offset: 0x18, access: 'RO', doc: 'Cycles of the last completed frame in which video out had a pixel but tready was low.',
      fields: [{ name: 'count', msb: 31, lsb: 0, doc: 'Cycles.' }],
    },
    {
      name: 'cmd', offset: 0x1c, access: 'WO', doc: 'Commands; each write pulses cmd_wstb for one cycle.',
      fields: [{ name: 'soft_reset', msb: 0, lsb: 0, doc: 'Flush the datapath and the frames in flight (status.busy reads 0; video in is held off for one cycle); the registers keep their values.' }],
    },
  ],
};

/** The register map of a build: SCREEN_TOP_REGS, plus the weight-loading status and error
 *  fields when the weights are loaded at start-up (hw.weightSource 'loaded'). `words` is the
 *  build's image size (screen_top_weights.json `words`). */
export function screenTopRegs(hw: { weightSource: 'baked' | 'loaded' }, words?: number): RegFileSpec {
  if (hw.weightSource !== 'loaded') return SCREEN_TOP_REGS;
  const n = words === undefined ? 'all' : `all ${words}`;
  return {
    ...SCREEN_TOP_REGS,
    doc: `${SCREEN_TOP_REGS.doc} Weights are loaded at start-up through s_axis_weights.`,
    registers: SCREEN_TOP_REGS.registers.map((r) => {
      if (r.name === 'status')
        return {
          ...r,
          fields: [
            r.fields[0],
            { name: 'weights_loaded', msb: 1, lsb: 1, doc: `A complete weight image (${n} words of screen_top_weights.hex, tlast on the last) has reached every conv unit. Cleared by the first word of the next image, by chip reset and by cmd.soft_reset (load the weights again after either). An image is taken only while no frame is in flight; a start of frame waits while one loads.` },
            ...r.fields.slice(1),
          ],
        };
      if (r.name === 'errors')
        return {
          ...r,
          fields: [
            ...r.fields,
            { name: 'no_weights', msb: 4, lsb: 4, doc: 'A frame started while status.weights_loaded was 0: the frame (up to the next start of frame) was discarded, no output and no hidden-state reads.' },
            { name: 'weights_len', msb: 5, lsb: 5, doc: `A weight image had the wrong length (tlast before word ${words ?? 'N'}, or word ${words ?? 'N'} without tlast): status.weights_loaded stays 0 until a complete image is loaded.` },
          ],
        };
      return r;
    }),
  };
}
