// The default `screen sim` / `npm run sim` regression: DSL-built blocks under Verilator against
// their TypeScript reference models, on real DAVIS val frames, with random backpressure.
import { elaborate } from '../generators/core/index.ts';
import { buildLineBuffer } from '../generators/blocks/line_buffer/index.ts';
import { lineBufferModel, type Frame } from '../generators/blocks/line_buffer/model.ts';
import { buildSkidBuffer } from '../generators/blocks/axis/skid_buffer.ts';
import { packLanes } from '../generators/blocks/bits.ts';
import { davisFramePath, davisSequences, frameToBeats, loadFrame } from './frames.ts';
import { simCompare } from './sim-compare.ts';
import { simulateFrames } from './upscaler.ts';
import { DAVIS_ROOT } from './frames.ts';
import { hwParams } from '../generators/designs/upscaler/config.ts';
import { loadNetWeights } from '../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../model/net/upscaler.ts';
import { join } from 'node:path';

export interface RegressionResult {
  name: string;
  frames: string[];
  beats: number;
  ok: boolean;
  message: string;
  cycles: number;
  wall_s: number;
}

const BACKPRESSURE = [{ seed: 1 }, { seed: 7, backpressure: { inputGap: 0.3, outputStall: 0.3 } }];

/** One crop per val sequence (frame `index`), luma; crop size kept small so the run takes seconds. */
function valCrops(width: number, height: number, index: number) {
  return davisSequences('val').map((seq) => ({ name: `${seq}/${index}`, img: loadFrame(davisFramePath(seq, index), { crop: { x: 400 - width / 2, y: 240 - height / 2, width, height } }) }));
}

export async function runRegressions(opts: { width?: number; height?: number; frame?: number; upscalerFrames?: number; log?: (s: string) => void } = {}): Promise<RegressionResult[]> {
  const width = opts.width ?? 96;
  const height = opts.height ?? 32;
  const log = opts.log ?? (() => {});
  const crops = valCrops(width, height, opts.frame ?? 0);
  const out: RegressionResult[] = [];

  {
    const t0 = Date.now();
    const p = { k: 3 as const, maxWidth: width, pixelBits: 8 };
    const design = elaborate(buildLineBuffer({ ...p, heightBits: 8 }).module);
    const frames: Frame[] = crops.map((c) => ({ width: c.img.width, height: c.img.height, pixels: c.img.data }));
    const r = await simCompare({
      design,
      inputs: { s_axis: crops.flatMap((c) => frameToBeats(c.img)) },
      constInputs: { cfg_height: height },
      model: () => ({ m_axis: lineBufferModel(p, frames).map((b) => ({ data: packLanes(b.window, 8), last: b.last, user: b.user })) }),
      compare: { label: 'line_buffer k=3', image: { width } },
      variants: BACKPRESSURE,
    });
    out.push({ name: 'line_buffer k=3 (replicate border)', frames: crops.map((c) => c.name), beats: width * height * frames.length, ok: r.ok, message: r.message, cycles: r.runs.reduce((a, x) => a + x.cycles, 0), wall_s: (Date.now() - t0) / 1000 });
    log(`sim: ${out[out.length - 1].name}: ${r.ok ? 'ok' : 'MISMATCH'} — ${r.message}`);
  }
  {
    const t0 = Date.now();
    const design = elaborate(buildSkidBuffer({ width: 24, last: true, user: true }).module);
    const rgb = davisSequences('val').map((seq) => loadFrame(davisFramePath(seq, opts.frame ?? 0), { format: 'rgb', crop: { x: 400 - width / 2, y: 240 - height / 2, width, height } }));
    const beats = rgb.flatMap((img) => frameToBeats(img));
    const r = await simCompare({
      design,
      inputs: { s_axis: beats },
      model: (inp) => ({ m_axis: inp.s_axis }),
      compare: { label: 'skid_buffer RGB888', image: { width } },
      variants: BACKPRESSURE,
    });
    out.push({ name: 'skid_buffer RGB888 (identity)', frames: crops.map((c) => c.name), beats: beats.length, ok: r.ok, message: r.message, cycles: r.runs.reduce((a, x) => a + x.cycles, 0), wall_s: (Date.now() - t0) / 1000 });
    log(`sim: ${out[out.length - 1].name}: ${r.ok ? 'ok' : 'MISMATCH'} — ${r.message}`);
  }
  {
    // The accelerator: 8 frames of every val sequence, 16-cell stripes (3 per frame), stalls.
    const t0 = Date.now();
    const r = await simulateFrames({ net: loadNetWeights(DEFAULT_NET_WEIGHTS), hw: hwParams.validate({ stripeCells: 16 }), dir: join(DAVIS_ROOT, 'val'), lrWidth: 64, lrHeight: 48, maxFrames: opts.upscalerFrames ?? 8, seed: 11, backpressure: { inputGap: 0.2, outputStall: 0.2 }, log });
    const ok = r.mismatches === 0 && r.hidden_mismatches === 0;
    const message = `${r.mismatches} of ${r.pixels} HR pixels and ${r.hidden_mismatches} hidden bytes differ; Y-PSNR rtl ${r.psnr_y.rtl.toFixed(3)} golden ${r.psnr_y.golden.toFixed(3)} bicubic ${r.psnr_y.bicubic.toFixed(3)} dB`;
    out.push({ name: `screen_core on ${r.frames} frames (64x48 LR, ${r.stripes_per_frame} stripes)`, frames: r.sequences.map((q) => `${q.name} x${q.frames}`), beats: r.pixels, ok, message, cycles: Math.round(r.cycles_per_frame * r.frames), wall_s: (Date.now() - t0) / 1000 });
    log(`sim: ${out[out.length - 1].name}: ${ok ? 'ok' : 'MISMATCH'} — ${message}`);
  }
  return out;
}
