// On-chip storage of the layer pipeline and its DRAM traffic per frame.
// Storage is sized for the widest stripe (plan.stripeCells: the RAM depth the RTL is built
// with), whatever the frame width. Vectors on the cell streams: a stage's input channels x 8
// bits plus the X0 cell (the network input, carried down to the head's skip) as pass bits:
// 32 bits for video y8, 96 (Y | Cb | Cr) for rgb888, whose chroma the head's skip upscales.
import type { NetConfig } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';
import type { EnginePlan, StagePlan } from './plan.ts';
import type { FrameTiming } from './schedule.ts';
import { rgbToYcbcrFlops } from '../../blocks/rgb_to_ycbcr/index.ts';
import { ycbcrToRgbFlops } from '../../blocks/ycbcr_to_rgb/index.ts';
import { loadedTableBits } from '../../blocks/conv_unit/loader.ts';
import { headX0Bits } from '../../../model/net/weights.ts';

/** Sky130 storage densities (REFERENCE.md): flip-flop ~20 um^2/bit (sky130_fd_sc_hd__dfxtp_1);
 *  OpenRAM 2 KB macro 0.158 mm^2 ~ 10 um^2/bit including periphery. */
export const UM2_PER_BIT = { flops: 20, sram: 10 } as const;

/** X0 = the 2x2 LR pixels of a cell, 4 x int8 (per plane). */
export const X0_BITS = 32;
/** cell_unpack word: 9 HR pixels (uint8) of one cell (per plane). */
export const HR_CELL_BITS = 72;

/** 8-bit planes carried per pixel for a video format (Y; or Y, Cb, Cr). */
export const planesOf = (video: HwConfig['video']): number => (video === 'rgb888' ? 3 : 1);
/** Entries of a conv_unit's output FIFO (credit backpressure; 2 covers its latency at >= 8 cycles/cell). */
export const CONV_FIFO_ENTRIES = 2;

export interface Buffer {
  name: string;
  bits: number;
  impl: 'sram' | 'flops';
  /** True where the size is estimated from a block's documented structure, not its final RTL. */
  estimate: boolean;
  why: string;
}

const ceilLog2 = (n: number) => Math.max(1, Math.ceil(Math.log2(n)));

/** Bits of a stage's input vector on its cell stream (what its line buffer stores per cell). */
export function stageInputBits(s: StagePlan, x0InChannels: boolean, x0Bits = X0_BITS): number {
  // X0 rides beside the channels unless its Y part is one of them (the first stage's input; a
  // head_x0 head); the chroma part of an rgb888 X0 rides along either way.
  return s.cin * 8 + (x0InChannels ? x0Bits - X0_BITS : x0Bits);
}

/** Pass bits that travel through a stage's conv_unit beside its operands. */
export function stagePassBits(s: StagePlan, net: NetConfig, x0Bits = X0_BITS): number {
  switch (s.role) {
    case 'feat':
      return x0Bits;
    case 'gate':
      return s.cin * 8 + x0Bits; // [F, H] for the candidate and the update, and X0
    case 'cand':
      return 2 * net.hidden_c * 8 + x0Bits; // Z and H for the update, and X0
    case 'head':
      return 9 * x0Bits + 4; // the 3x3 X0 window and border flags for skip_add
  }
}

/** Weight bits of a stage's multipliers (stage_weights.ts: a conv head takes head_x0_bits). */
function stageWeightBits(s: StagePlan, net: NetConfig): number {
  return s.role === 'head' && net.upsample_mode !== 'deconv' ? headX0Bits(net) : net.quant_bits;
}

export function onChipBuffers(net: NetConfig, plan: EnginePlan, video: HwConfig['video'] = 'y8', weightSource: HwConfig['weightSource'] = 'baked'): Buffer[] {
  const W = plan.stripeCells;
  const NP = planesOf(video);
  const XB = X0_BITS * NP;
  const fmt = NP === 1 ? '' : ` (rgb888: Y, Cb, Cr)`;
  const out: Buffer[] = [];
  out.push({ name: 'cell_pack.row', bits: W * 16 * NP, impl: 'sram', estimate: false, why: `even LR row of the stripe: ${W} cells x 2 px x ${8 * NP} bit${fmt}` });
  out.push({ name: 'cell_fifo', bits: W * (XB + 2), impl: 'sram', estimate: false, why: `one grid row of X0 cells (${W} x ${XB} bits${fmt} + tlast/tuser) between cell_pack and the first stage, so the stages keep working while the next even LR row arrives` });
  plan.stages.forEach((s, i) => {
    if (s.k > 1) {
      const v = stageInputBits(s, i === 0 || (s.role === 'head' && net.head_x0 === true), XB);
      out.push({ name: `${s.name}.lines`, bits: (s.k - 1) * W * v, impl: 'sram', estimate: false, why: `${s.k - 1} grid rows x ${W} cells x ${v} bits (zero-padded ${s.k}x${s.k} line buffer)` });
      // line_buffer README: window k*k*v + column stage k*v + one column register (k*v + log2 W + 3) + 1.
      const regs = s.k * s.k * v + s.k * v + (s.k * v + ceilLog2(W) + 3) + 1;
      out.push({ name: `${s.name}.window`, bits: regs, impl: 'flops', estimate: true, why: `${s.k}x${s.k} window, column stage and column register (line_buffer README formula)` });
    }
    const pass = stagePassBits(s, net, XB);
    const fifo = CONV_FIFO_ENTRIES * (s.cout * 8 + pass);
    if (weightSource === 'loaded') {
      // Loaded units keep the operand register (conv_unit inputReg false is for baked weights only).
      out.push({ name: `${s.name}.conv_unit`, bits: s.T * 8 + pass + fifo, impl: 'flops', estimate: true, why: `operand register ${s.T}x8 + ${pass} pass bits, output FIFO ${CONV_FIFO_ENTRIES} x (${s.cout}x8 + ${pass})` });
      const wb = stageWeightBits(s, net);
      const bits = loadedTableBits(s.T, s.cout, wb);
      out.push({ name: `${s.name}.weights`, bits, impl: 'flops', estimate: false, why: `loaded weight table: ${Math.ceil((s.cout * s.T) / 4)} words x 4 x ${wb}-bit weights, ${s.cout} x (24-bit bias + 15-bit M + 6-bit S), 16-bit clamp (conv_unit loader.ts)` });
    } else {
      // The operands are read in place from the stage's input stream (conv_unit inputReg false): no operand register.
      out.push({ name: `${s.name}.conv_unit`, bits: fifo, impl: 'flops', estimate: true, why: `output FIFO ${CONV_FIFO_ENTRIES} x (${s.cout}x8 + ${pass} pass bits); operands read in place` });
    }
  });
  // skip_add reads a 3x3 X0 window; a 3x3 head's line buffer carries it. With a 1x1 head the RTL
  // (core.ts) still builds the 3x3 line buffer over [H' | X0]: the conv uses its centre, the skip all 9.
  const head = plan.stages[plan.stages.length - 1];
  if (head.k === 1) {
    const v = net.hidden_c * 8 + XB;
    out.push({ name: 'head.lines', bits: 2 * W * v, impl: 'sram', estimate: false, why: `2 grid rows x ${W} cells x ${v} bits: [H' | X0] window; the 1x1 head reads its centre, the bilinear skip its X0 neighbourhood` });
  }
  out.push({ name: 'cell_unpack.banks', bits: 2 * W * HR_CELL_BITS * NP, impl: 'sram', estimate: false, why: `2 row banks x ${W} cells x ${HR_CELL_BITS * NP} bits (9 HR px${fmt}), ping-pong` });
  if (NP > 1) {
    // rgb_to_ycbcr / ycbcr_to_rgb: 2 pipeline registers + a 4-entry credit FIFO each (their READMEs).
    out.push({ name: 'rgb_to_ycbcr', bits: rgbToYcbcrFlops({ depth: 4 }), impl: 'flops', estimate: false, why: 'colour conversion in: 2 pipeline registers + 4-entry output FIFO + credits' });
    out.push({ name: 'ycbcr_to_rgb', bits: ycbcrToRgbFlops({ depth: 4 }), impl: 'flops', estimate: false, why: 'colour conversion out: 2 pipeline registers + 4-entry output FIFO + credits' });
  }
  return out;
}

export interface MemoryTotals {
  bits: number;
  sram_bits: number;
  flop_bits: number;
  /** sram bits x 10 um^2 + flop bits x 20 um^2. */
  area_mm2: number;
}

export function memoryTotals(buffers: Buffer[]): MemoryTotals {
  const sram = buffers.filter((b) => b.impl === 'sram').reduce((a, b) => a + b.bits, 0);
  const flops = buffers.filter((b) => b.impl === 'flops').reduce((a, b) => a + b.bits, 0);
  return { bits: sram + flops, sram_bits: sram, flop_bits: flops, area_mm2: (sram * UM2_PER_BIT.sram + flops * UM2_PER_BIT.flops) / 1e6 };
}

export interface DramTraffic {
  /** Hidden state of every covered cell (previous frame), hidden_c bytes per cell per GRU. */
  hiddenReadBytes: number;
  /** Hidden state of owned cells only (= every cell of the frame once). */
  hiddenWriteBytes: number;
  /** LR pixels of every covered column (halo columns are read again by the next stripe): 1 byte each (y8) or 3 (rgb888). */
  videoInBytes: number;
  /** HR pixels, 1 byte each (y8) or 3 (rgb888). */
  videoOutBytes: number;
  totalBytes: number;
  /** The two ping-pong hidden-state buffers in DRAM. */
  hiddenCapacityBytes: number;
}

export function dramTraffic(net: NetConfig, hw: HwConfig, t: FrameTiming): DramTraffic {
  const perCell = net.hidden_c * net.n_gcr;
  const hiddenReadBytes = t.coveredCellsPerRow * t.gridH * perCell;
  const hiddenWriteBytes = t.gridW * t.gridH * perCell;
  const bpp = planesOf(hw.video);
  const videoInBytes = bpp * 2 * t.coveredCellsPerRow * hw.lrHeight;
  const videoOutBytes = bpp * 3 * t.gridW * 3 * t.gridH;
  return {
    hiddenReadBytes,
    hiddenWriteBytes,
    videoInBytes,
    videoOutBytes,
    totalBytes: hiddenReadBytes + hiddenWriteBytes + videoInBytes + videoOutBytes,
    hiddenCapacityBytes: 2 * t.gridW * t.gridH * perCell,
  };
}
