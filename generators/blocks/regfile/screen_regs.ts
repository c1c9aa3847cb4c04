// An example register map (the block's tests and `screen gen --design regfile` use it). The chip's own map is generators/designs/upscaler/regs.ts.
import type { RegFileSpec } from './spec.ts';

export const screenRegs: RegFileSpec = {
  name: 'screen_regs',
  addrBits: 8,
  doc: 'Control and status registers of the SCREEN video super-resolution core.',
  registers: [
    {
      name: 'ctrl', offset: 0x00, access: 'RW', doc: 'Core control.',
      fields: [
        { name: 'enable', msb: 0, lsb: 0, reset: 0, doc: '1 = process frames.' },
        { name: 'bypass', msb: 1, lsb: 1, reset: 0, doc: '1 = output the bilinear seed only (CNN off).' },
        { name: 'quant_bits', msb: 7, lsb: 4, reset: 8, doc: 'Weight precision in use (8, 6 or 4).' },
      ],
    },
    {
      name: 'frame_size', offset: 0x04, access: 'RW', doc: 'Input (low-resolution) frame size in pixels.',
      fields: [
        { name: 'width', msb: 15, lsb: 0, reset: 1280, doc: 'Pixels per line.' },
        { name: 'height', msb: 31, lsb: 16, reset: 720, doc: 'Lines per frame.' },
      ],
    },
    {
      name: 'status', offset: 0x08, access: 'RO', doc: 'Core status, driven by the datapath.',
      fields: [
        { name: 'busy', msb: 0, lsb: 0, doc: 'A frame is in flight.' },
        { name: 'frame_count', msb: 31, lsb: 16, doc: 'Frames completed since reset (wraps).' },
      ],
    },
    {
      name: 'irq_status', offset: 0x0c, access: 'W1C', doc: 'Sticky interrupt causes; write 1 to clear.',
      fields: [
        { name: 'frame_done', msb: 0, lsb: 0, doc: 'An output frame completed.' },
        { name: 'underflow', msb: 1, lsb: 1, doc: 'The output stream starved.' },
        { name: 'overflow', msb: 2, lsb: 2, doc: 'The input stream was dropped.' },
      ],
    },
    {
      name: 'irq_enable', offset: 0x10, access: 'RW', doc: 'Interrupt enables, one per irq_status bit.',
      fields: [
        { name: 'frame_done', msb: 0, lsb: 0, doc: 'Enable frame_done.' },
        { name: 'underflow', msb: 1, lsb: 1, doc: 'Enable underflow.' },
        { name: 'overflow', msb: 2, lsb: 2, doc: 'Enable overflow.' },
      ],
    },
    {
      name: 'cmd', offset: 0x14, access: 'WO', doc: 'Commands; each write pulses cmd_wstb for one cycle.',
      fields: [
        { name: 'start', msb: 0, lsb: 0, doc: 'Start at the next frame boundary.' },
        { name: 'soft_reset', msb: 1, lsb: 1, doc: 'Flush the datapath.' },
      ],
    },
    {
      name: 'weight_addr', offset: 0x18, access: 'RW', doc: 'Weight memory word address for weight_data writes.',
      fields: [{ name: 'addr', msb: 15, lsb: 0, doc: 'Word address.' }],
    },
    {
      name: 'weight_data', offset: 0x1c, access: 'WO', doc: 'Weight memory write port; each write pulses weight_data_wstb.',
      fields: [{ name: 'data', msb: 31, lsb: 0, doc: 'Packed weights.' }],
    },
  ],
};
