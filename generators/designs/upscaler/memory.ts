// On-chip storage and DRAM traffic implied by the schedule (stripe tiling, fused layers).
// Line buffers hold (consumer kernel rows + 1) rows so the next row can be written while
// the consumer reads the current window; widths include the halo cells of the widest stripe.
import type { NetConfig } from '../../../model/net/weights.ts';
import { layerTable } from '../../../model/net/weights.ts';
import type { HwConfig } from './config.ts';
import type { Schedule } from './schedule.ts';

export interface Buffer {
  name: string;
  rows: number;
  width: number;
  bitsPerEntry: number;
  bits: number;
  why: string;
}

/** Sky130 storage densities (REFERENCE.md): flip-flop ~20 um^2/bit (sky130_fd_sc_hd__dfxtp_1);
 *  OpenRAM 2 KB macro 0.158 mm^2 ~ 10 um^2/bit including periphery. */
export const UM2_PER_BIT = { flipflop: 20, sram: 10 } as const;

const ACT_BITS = 8;

function buf(name: string, rows: number, width: number, bitsPerEntry: number, why: string): Buffer {
  return { name, rows, width, bitsPerEntry, bits: rows * width * bitsPerEntry, why };
}

export function onChipBuffers(net: NetConfig, hw: HwConfig, sched: Schedule): Buffer[] {
  const W = Math.min(hw.stripeCells, sched.gridW);
  const out: Buffer[] = [];
  const passOf = (n: string) => sched.passes.find((p) => p.name === n)!;
  const firstK = sched.passes[0].k;
  // LR input rows: RGB888 kept because the skip path upscales all three channels.
  out.push(buf('lr_rgb_lines', 2 * (firstK + 1), 2 * (W + 2 * sched.inputHalo) + 2, 24, `${firstK + 1} grid rows of LR RGB888 (network input X0 and the bilinear skip)`));
  const featN = net.feat_c.length;
  for (let i = 0; i < featN; i++) {
    const p = passOf(`feat${i}`);
    const consumerK = i + 1 < featN ? passOf(`feat${i + 1}`).k : Math.max(net.gate_k, net.cand_k);
    out.push(buf(`feat${i}_lines`, consumerK + 1, W + 2 * p.halo, p.cout * ACT_BITS, `feat${i} output for its ${consumerK}x${consumerK} consumer`));
  }
  for (let g = 0; g < net.n_gcr; g++) {
    const zr = passOf(`gru${g}.zr`);
    const n = passOf(`gru${g}.n`);
    out.push(buf(`gru${g}_h_old`, 2, W + 2 * sched.hiddenHalo[g], net.hidden_c * ACT_BITS, 'old hidden state from DRAM, double-buffered row'));
    out.push(buf(`gru${g}_zr`, 1, W + 2 * zr.halo, 2 * net.hidden_c * ACT_BITS, 'gate values Z, R of the current row'));
    out.push(buf(`gru${g}_rh`, net.cand_k, W + 2 * zr.halo, net.hidden_c * ACT_BITS, 'R*H for the candidate conv'));
    const consumerK = g + 1 < net.n_gcr ? Math.max(net.gate_k, net.cand_k) : passOf('head').k;
    out.push(buf(`gru${g}_h_new`, consumerK + 1, W + 2 * n.halo, net.hidden_c * ACT_BITS, `new hidden state for its ${consumerK}x${consumerK} consumer`));
  }
  out.push(buf('head_residual', 1, W, 9 * ACT_BITS, 'residual of one grid row (3 HR rows)'));
  out.push(buf('hr_out_lines', 3, 3 * W, 24, 'HR RGB888 rows waiting for the output stream'));
  // Weights, biases, requantisation (M 15 bit, S 6 bit) and the two activation LUTs.
  const table = layerTable(net);
  const weightBits = table.reduce((a, l) => a + l.cin * l.cout * l.k * l.k * net.quant_bits, 0);
  const couts = table.reduce((a, l) => a + l.cout, 0);
  out.push(buf('weights', 1, 1, weightBits + couts * (32 + 15 + 6), `all weights (${net.quant_bits}-bit) + int32 biases + (M, S) per output channel`));
  out.push(buf('act_luts', 2, 256, 8, 'sigmoid and tanh LUTs'));
  return out;
}

export interface DramTraffic {
  inputBytes: number;
  hiddenReadBytes: number;
  hiddenWriteBytes: number;
  outputBytes: number;
  totalBytes: number;
}

/** Bytes per frame through the AXI ports (video in/out are DMA'd from/to DRAM frame buffers). */
export function dramTraffic(net: NetConfig, hw: HwConfig, sched: Schedule): DramTraffic {
  let inputPx = 0;
  let hiddenRead = 0;
  for (const s of sched.stripes) {
    const lo = Math.max(0, s.first - sched.inputHalo);
    const hi = Math.min(sched.gridW, s.first + s.cells + sched.inputHalo);
    // +1 LR px each side for the bilinear skip, clipped to the frame.
    inputPx += Math.min(hw.lrWidth, 2 * hi + 1) - Math.max(0, 2 * lo - 1);
    for (let g = 0; g < net.n_gcr; g++) {
      const h = sched.hiddenHalo[g];
      hiddenRead += Math.min(sched.gridW, s.first + s.cells + h) - Math.max(0, s.first - h);
    }
  }
  const inputBytes = inputPx * hw.lrHeight * 3;
  const hiddenReadBytes = hiddenRead * sched.gridH * net.hidden_c;
  const hiddenWriteBytes = sched.gridW * sched.gridH * net.hidden_c * net.n_gcr;
  const outputBytes = (hw.lrWidth * 3 / 2) * (hw.lrHeight * 3 / 2) * 3;
  return { inputBytes, hiddenReadBytes, hiddenWriteBytes, outputBytes, totalBytes: inputBytes + hiddenReadBytes + hiddenWriteBytes + outputBytes };
}
