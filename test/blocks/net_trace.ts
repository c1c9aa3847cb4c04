// Real activations for the requant / gru_update block tests: the golden fixed-point model
// (model/net/fixed.ts, weights/crnn_q8.json) run on two consecutive real DAVIS frames (a small
// LR crop), with its per-layer trace. Frame 1 starts from H = 0; frame 2's old state is frame
// 1's new one, so frame 2 exercises the GRU with a non-trivial hidden state.
import { FixedNet } from '../../model/net/fixed.ts';
import { loadNetWeights, type NetWeights } from '../../model/net/weights.ts';
import { davisFramePath, davisSequences, loadFrame } from '../../sim/index.ts';

export interface NetTrace {
  net: NetWeights;
  gh: number;
  gw: number;
  /** Trace of frame 1 and frame 2 (tensors C,H,W, unpadded). */
  frames: [Record<string, Int32Array>, Record<string, Int32Array>];
  seq: string;
}

let cached: NetTrace | undefined;

export function realNetTrace(): NetTrace {
  if (cached) return cached;
  const net = loadNetWeights('weights/crnn_q8.json');
  const seq = davisSequences('val')[0];
  const crop = { x: 300, y: 180, width: 64, height: 32 };
  const fixed = new FixedNet(net, false);
  const frames = [0, 1].map((i) => {
    const img = loadFrame(davisFramePath(seq, i), { crop });
    const tr: Record<string, Int32Array> = {};
    fixed.run(Uint8Array.from(img.data), img.width, img.height, tr);
    return tr;
  }) as NetTrace['frames'];
  cached = { net, gh: crop.height / 2, gw: crop.width / 2, frames, seq };
  return cached;
}

/** Lanes of channel-major tensor t at grid cell n (row-major cell index), channels c0..c0+count-1. */
export function cellLanes(t: Int32Array, channels: number, cells: number, n: number, c0 = 0, count = channels): number[] {
  return Array.from({ length: count }, (_, c) => t[(c0 + c) * cells + n]);
}
