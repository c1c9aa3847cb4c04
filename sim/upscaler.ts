// The accelerator on real frames: `screen_core` under Verilator against the TypeScript
// fixed-point golden model, one stripe job at a time, with the hidden state kept in a
// TypeScript "DRAM" (two ping-pong buffers, as the external DMA would) and seeded random
// stalls on every stream (video in, hidden-state read = DRAM latency/stalls, video out and
// hidden-state write = backpressure).
//
// Each frame is cut into the stripe jobs of plan.ts (`stripeJobs`). For a job the testbench
// streams the stripe's LR columns (halo included) and the hidden state of every covered cell
// from the previous frame; it collects the owned HR columns and the owned cells' new hidden
// state. The stitched HR frame must equal the golden model's whole-frame output pixel for
// pixel, and the stitched hidden state its `gru0.h` tensor.
//
// With hw.video = 'rgb888' the video streams carry RGB888 (R bits 7:0, G 15:8, B 23:16) and the
// golden model is upscaleRgbFixed (model/net/rgb.ts): every HR RGB byte must match.
//
// With hw.weightSource = 'loaded' every stripe job (a fresh reset) first streams the weight image
// (weights_mem.ts: the words of screen_top_weights.hex) on s_axis_weights; the video waits until
// the last word is accepted (and the core holds the start of frame until the table is complete).
// `loadNet` loads another network of the same shapes into the RTL built from `net`; the golden
// model then runs `loadNet`.
import { elaborate, type Design } from '../generators/core/index.ts';
import { buildScreenCore, ERROR_BITS } from '../generators/designs/upscaler/core.ts';
import type { HwConfig } from '../generators/designs/upscaler/config.ts';
import { stripeJobs, type EnginePlan } from '../generators/designs/upscaler/plan.ts';
import { frameTiming, rowTiming, stripeFillCycles } from '../generators/designs/upscaler/schedule.ts';
import { hwParams, netParams } from '../generators/designs/upscaler/config.ts';
import { FixedNet } from '../model/net/fixed.ts';
import { headX0Bits, type NetWeights } from '../model/net/weights.ts';
import { listSequences } from '../model/io/frames.ts';
import { readImage } from '../model/io/image-file.ts';
import { crop, type Image, type Plane } from '../model/image.ts';
import { lrFromHr } from '../model/protocol.ts';
import { lumaFloat, rgbToYcbcrInt } from '../model/color.ts';
import { upscale15 } from '../model/resample/scale.ts';
import { psnrPlane, psnrRgb } from '../model/metrics.ts';
import { upscaleRgbFixed } from '../model/net/rgb.ts';
import { weightMemory } from '../generators/designs/upscaler/weights_mem.ts';
import { runStreamSim } from './run.ts';
import { SimInputError } from './errors.ts';
import type { Backpressure, BeatIn } from './types.ts';

export interface UpscalerFrame {
  /** LR luma, w x h, row-major (video y8). */
  y8: Uint8Array;
  /** LR RGB, w x h (video rgb888: what is streamed; y8 is then unused). */
  rgb?: Image;
  /** A name for messages (file path). */
  name: string;
}

export interface JobRecord {
  frame: number;
  first: number;
  cells: number;
  ownLo: number;
  ownHi: number;
  cycles: number;
  /** The profiler's cycle model for this job (schedule.ts), for comparison. */
  predicted: number;
  mismatches: number;
  /** weightSource 'loaded': cycles until the image's last word was accepted (not counted in `cycles`). */
  loadCycles?: number;
}

export interface FrameRecord {
  name: string;
  cycles: number;
  /** HR pixels that differ from the golden model (in any channel). */
  mismatches: number;
  /** Hidden-state bytes that differ from the golden model's gru0.h. */
  hidden_mismatches: number;
  /** Pixel values: the luma byte, or R | G << 8 | B << 16 (rgb888). */
  first_mismatch?: { x: number; y: number; rtl: number; golden: number };
  /** 1 (luma) or 3 (interleaved RGB) bytes per HR pixel. */
  channels: number;
  rtl: Uint8Array;
  golden: Uint8Array;
}

export interface UpscalerSimResult {
  plan: EnginePlan;
  width: number;
  height: number;
  frames: FrameRecord[];
  jobs: JobRecord[];
  /** Sum over jobs of cells covered (stripe width incl. halo x grid rows). */
  coveredCells: number;
  cycles: number;
  wallSeconds: number;
}

export interface UpscalerSimOptions {
  net: NetWeights;
  hw: HwConfig;
  frames: UpscalerFrame[];
  width: number;
  height: number;
  seed?: number;
  backpressure?: Backpressure;
  /** DRAM read latency: the hidden-state stream's first beat of every stripe job comes no earlier than this cycle. */
  dramLatency?: number;
  /** Write a VCD of the first stripe job of the first frame here. */
  vcd?: string;
  log?: (s: string) => void;
  /** weightSource 'loaded': the network whose image is loaded (default `net`); the golden model runs it. */
  loadNet?: NetWeights;
  /** weightSource 'loaded': the words streamed instead of loadNet's image (e.g. parsed from screen_top_weights.hex). */
  weightWords?: number[];
}

/**
 * The image a loaded build takes for `load` (another network must have the build's network
 * knobs, hence its stage shapes), or a SimInputError naming the first knob that differs.
 */
export function weightImageFor(net: NetWeights, load: NetWeights, plan: EnginePlan): number[] {
  // The RTL's shapes follow the network knobs (plan.ts, stage_weights.ts): they must all agree.
  for (const k of Object.keys(netParams.specs) as (keyof NetWeights['config'])[]) {
    const a = JSON.stringify(net.config[k] ?? netParams.specs[k].default), b = JSON.stringify(load.config[k] ?? netParams.specs[k].default);
    if (a !== b) throw new SimInputError(`weights ${load.path}: ${String(k)} = ${b}, but the RTL was built from ${net.path} with ${String(k)} = ${a}; a loaded build takes images of its own shapes only`);
  }
  if (headX0Bits(net.config) !== headX0Bits(load.config)) throw new SimInputError(`weights ${load.path}: the head's X0 taps are ${headX0Bits(load.config)}-bit, the RTL's (${net.path}) ${headX0Bits(net.config)}-bit`);
  return weightMemory(load, plan).words;
}

/** Weight-stream beats of an image: one word per beat, tlast on the last. */
export const weightBeats = (words: readonly number[]): BeatIn[] => words.map((w, i) => ({ data: w >>> 0, last: i === words.length - 1 }));

const designCache = new Map<string, { design: Design; plan: EnginePlan }>();

export function upscalerDesign(net: NetWeights, hw: HwConfig): { design: Design; plan: EnginePlan } {
  const key = `${net.path}|${JSON.stringify(hw)}`;
  let d = designCache.get(key);
  if (!d) {
    const core = buildScreenCore(net, hw);
    d = { design: elaborate(core.module), plan: core.plan };
    designCache.set(key, d);
  }
  return d;
}

/** int8 channels of one cell packed with channel 0 in the low bits. */
function packCell(buf: Int8Array, hc: number, cells: number, idx: number): bigint {
  let v = 0n;
  for (let c = hc - 1; c >= 0; c--) v = (v << 8n) | BigInt(buf[c * cells + idx] & 0xff);
  return v;
}

export async function runUpscalerSim(o: UpscalerSimOptions): Promise<UpscalerSimResult> {
  const { net, hw, width: w, height: h } = o;
  if (w % 2 || h % 2) throw new SimInputError(`frame ${w}x${h}: width and height must be even`);
  const { design, plan } = upscalerDesign(net, hw);
  const hc = net.config.hidden_c;
  const C = hw.video === 'rgb888' ? 3 : 1; // bytes per pixel on the video streams
  const gw = w / 2, gh = h / 2, cells = gw * gh;
  const W = 3 * gw, H = 3 * gh;
  const jobsPlan = stripeJobs(gw, plan);
  const loaded = hw.weightSource === 'loaded';
  const goldNet = loaded && o.loadNet ? o.loadNet : net;
  const wBeats = loaded ? weightBeats(o.weightWords ?? weightImageFor(net, goldNet, plan)) : [];
  const golden = new FixedNet(goldNet, false);
  let prev = new Int8Array(hc * cells); // DRAM ping-pong: read prev, write next
  const frames: FrameRecord[] = [];
  const jobs: JobRecord[] = [];
  let covered = 0, totalCycles = 0;
  const t0 = Date.now();
  for (let f = 0; f < o.frames.length; f++) {
    const fr = o.frames[f];
    const trace: Record<string, Int32Array> = {};
    let gold: Uint8Array;
    let px: (i: number) => number; // LR pixel i as streamed
    if (C === 3) {
      const lr = fr.rgb;
      if (!lr || lr.channels !== 3 || lr.width !== w || lr.height !== h) throw new SimInputError(`${fr.name}: video rgb888 needs a ${w}x${h} RGB frame, got ${lr ? `${lr.width}x${lr.height}x${lr.channels}` : 'none'}`);
      gold = upscaleRgbFixed(golden, lr, trace).rgb.data;
      px = (i) => lr.data[3 * i] | (lr.data[3 * i + 1] << 8) | (lr.data[3 * i + 2] << 16);
    } else {
      if (fr.y8.length !== w * h) throw new SimInputError(`${fr.name}: ${fr.y8.length} pixels, expected ${w}x${h}`);
      gold = golden.run(fr.y8, w, h, trace);
      px = (i) => fr.y8[i];
    }
    const goldH = trace['gru0.h'];
    const rtl = new Uint8Array(C * W * H);
    const next = new Int8Array(hc * cells);
    let frameCycles = 0;
    for (const [ji, job] of jobsPlan.entries()) {
      const x0 = 2 * job.first, sw = 2 * job.cells;
      const video: BeatIn[] = [];
      for (let y = 0; y < h; y++) for (let x = 0; x < sw; x++) video.push({ data: px(y * w + x0 + x), user: y === 0 && x === 0, last: x === sw - 1 });
      const hidden: BeatIn[] = [];
      if (f > 0) {
        for (let i = 0; i < gh; i++) for (let j = 0; j < job.cells; j++) hidden.push({ data: packCell(prev, hc, cells, i * gw + job.first + j), user: i === 0 && j === 0, last: j === job.cells - 1 });
      }
      const own = job.ownHi - job.ownLo;
      const inputs: Record<string, BeatIn[]> = f > 0 ? { s_axis_video: video, s_axis_hidden: hidden } : { s_axis_video: video };
      if (loaded) inputs.s_axis_weights = wBeats;
      const r = await runStreamSim({
        design,
        inputs,
        // Loaded weights: the frame starts once the image is in (a start of frame before it would be discarded: err no_weights).
        inputAfter: loaded ? { s_axis_video: [{ beat: 0, after: 's_axis_weights', count: wBeats.length }] } : undefined,
        expect: { m_axis_video: H * 3 * own, m_axis_hidden: gh * own },
        constInputs: { cfg_width: sw, cfg_height: h, cfg_own_lo: job.ownLo, cfg_own_hi: job.ownHi, cfg_hidden_reset: f === 0 ? 1 : 0 },
        seed: (o.seed ?? 1) + 1000 * f + ji,
        backpressure: o.backpressure,
        inputDelay: f > 0 && o.dramLatency ? { s_axis_hidden: o.dramLatency } : undefined,
        vcd: f === 0 && ji === 0 ? o.vcd : undefined,
      });
      const pix = r.outputs.m_axis_video;
      const hw3 = 3 * own, X0 = 3 * (job.first + job.ownLo);
      let jobMis = 0;
      pix.forEach((b, k) => {
        const y = Math.floor(k / hw3), x = X0 + (k % hw3);
        const v = Number(b.data), o = C * (y * W + x);
        let bad = false;
        for (let c = 0; c < C; c++) {
          rtl[o + c] = (v >> (8 * c)) & 255;
          if (rtl[o + c] !== gold[o + c]) bad = true;
        }
        if (bad) jobMis++;
      });
      r.outputs.m_axis_hidden.forEach((b, k) => {
        const i = Math.floor(k / own), j = job.first + job.ownLo + (k % own);
        for (let c = 0; c < hc; c++) next[c * cells + i * gw + j] = Number((b.data >> BigInt(8 * c)) & 0xffn) << 24 >> 24;
      });
      const predicted = gh * rowTiming(job.cells, own, plan, hw).cycles + stripeFillCycles(job.cells, own, plan);
      // The weight load is start-up time, not frame time: a loaded job's cycles count from the last word.
      const loadCycles = loaded ? r.inputs.s_axis_weights.doneCycle + 1 : 0;
      const weightErrors = loaded ? r.outputs.err.filter((b) => b.data >> BigInt(ERROR_BITS.length) !== 0n).length : 0;
      if (weightErrors) throw new SimInputError(`${fr.name} stripe ${ji}: the core flagged ${weightErrors} weight error(s) (err no_weights / weights_len): the image of ${wBeats.length} words does not fit this build`);
      jobs.push({ frame: f, first: job.first, cells: job.cells, ownLo: job.ownLo, ownHi: job.ownHi, cycles: r.cycles - loadCycles, predicted, mismatches: jobMis, ...(loaded ? { loadCycles } : {}) });
      frameCycles += r.cycles - loadCycles;
      covered += job.cells * gh;
    }
    let mis = 0, first: FrameRecord['first_mismatch'];
    const value = (a: Uint8Array, i: number) => (C === 3 ? a[3 * i] | (a[3 * i + 1] << 8) | (a[3 * i + 2] << 16) : a[i]);
    for (let i = 0; i < W * H; i++) {
      if (value(rtl, i) !== value(gold, i)) {
        if (!mis) first = { x: i % W, y: Math.floor(i / W), rtl: value(rtl, i), golden: value(gold, i) };
        mis++;
      }
    }
    let hmis = 0;
    for (let i = 0; i < next.length; i++) if (next[i] !== goldH[i]) hmis++;
    frames.push({ name: fr.name, cycles: frameCycles, mismatches: mis, hidden_mismatches: hmis, first_mismatch: first, channels: C, rtl, golden: gold });
    o.log?.(`sim: frame ${f + 1}/${o.frames.length} ${fr.name}: ${frameCycles} cycles, ${mis} mismatched pixels, ${hmis} mismatched hidden bytes`);
    totalCycles += frameCycles;
    prev = next;
  }
  return { plan, width: w, height: h, frames, jobs, coveredCells: covered, cycles: totalCycles, wallSeconds: (Date.now() - t0) / 1000 };
}

// ---- real frames: crop, downscale, simulate, score --------------------------------------------

export interface FramesSimOptions {
  net: NetWeights;
  hw: HwConfig;
  /** One sequence folder or a folder of sequence folders. */
  dir: string;
  /** LR size simulated: the HR centre crop is 1.5x this, downscaled by the evaluation protocol. */
  lrWidth: number;
  lrHeight: number;
  maxFrames: number;
  seed?: number;
  backpressure?: Backpressure;
  /** See UpscalerSimOptions.dramLatency. */
  dramLatency?: number;
  vcd?: string;
  log?: (s: string) => void;
  /** See UpscalerSimOptions.loadNet / weightWords (hw.weightSource 'loaded'). */
  loadNet?: NetWeights;
  weightWords?: number[];
}

type Psnr3 = { rtl: number; golden: number; bicubic: number };

export interface FramesSimReport {
  /** Video format simulated (hw.video). */
  video: HwConfig['video'];
  /** hw.weightSource; for 'loaded', the network loaded, the image size and the cycles each stripe job took to load it. */
  weight_source: HwConfig['weightSource'];
  weight_load: null | { net: string; words: number; cycles_per_job: number };
  frames: number;
  sequences: { name: string; frames: number; mismatches: number; hidden_mismatches: number; psnr_y: Psnr3; psnr_rgb: Psnr3 | null }[];
  /** HR pixels compared. */
  pixels: number;
  /** HR pixels that differ from the golden model (any channel). */
  mismatches: number;
  hidden_mismatches: number;
  first_mismatch: null | { sequence: string; frame: number; x: number; y: number; rtl: number; golden: number };
  /** Y-PSNR against the ground-truth HR luma (rgb888: the float BT.601 Y of the RGB output). */
  psnr_y: Psnr3;
  /** RGB PSNR against the ground-truth HR frame (video rgb888 only; null for y8). */
  psnr_rgb: Psnr3 | null;
  crop: { lr: [number, number]; hr: [number, number] };
  stripes_per_frame: number;
  cycles_per_frame: number;
  cycles_per_covered_cell: number;
  /** Simulated cycles / the profiler's prediction for the same stripe jobs. */
  measured_over_model: number;
  fps_720p_to_1080p_at_180mhz: number;
  fps_method: string;
  /** The cruder extrapolation: cycles per covered cell of the crop (its fill/drain included) x cells of a 720p frame. */
  fps_720p_per_cell_extrapolation: number;
  mac_utilisation: number;
  macs: number;
  cell_cycles: number;
  sim_pixels_per_s: number;
  wall_s: number;
}

/** Cells a 1280x720 frame covers under the stripe plan (halo cells counted in every stripe). */
export function coveredCells720p(plan: EnginePlan): number {
  return stripeJobs(640, plan).reduce((a, j) => a + j.cells, 0) * 360;
}

export async function simulateFrames(o: FramesSimOptions): Promise<FramesSimReport> {
  if (o.lrWidth % 2 || o.lrHeight % 2) throw new SimInputError(`--crop ${o.lrWidth}x${o.lrHeight}: LR width and height must be even`);
  const W = (o.lrWidth * 3) / 2, H = (o.lrHeight * 3) / 2;
  const seqs = listSequences(o.dir);
  const t0 = Date.now();
  const out: FramesSimReport['sequences'] = [];
  let nFrames = 0, pixels = 0, mis = 0, hmis = 0, cycles = 0, covered = 0, useful = 0, predicted = 0;
  let first: FramesSimReport['first_mismatch'] = null;
  let plan: EnginePlan | undefined;
  const loadCycles: number[] = [];
  const rgbMode = o.hw.video === 'rgb888';
  const sums = { rtl: 0, golden: 0, bicubic: 0 };
  const sumsRgb = { rtl: 0, golden: 0, bicubic: 0 };
  for (const seq of seqs) {
    const paths = seq.frames.slice(0, o.maxFrames);
    const frames: UpscalerFrame[] = [];
    const gts: Plane[] = [];
    const bic: Plane[] = [];
    const gtRgb: Image[] = [];
    const bicRgb: Image[] = [];
    for (const p of paths) {
      const img = readImage(p);
      if (img.width < W || img.height < H) throw new SimInputError(`${p} is ${img.width}x${img.height}, smaller than the HR crop ${W}x${H} (--crop ${o.lrWidth}x${o.lrHeight} is the LR size)`);
      const hr = crop(img, (img.width - W) >> 1, (img.height - H) >> 1, W, H);
      const lr = lrFromHr(hr, p);
      frames.push({ y8: rgbToYcbcrInt(lr).y, ...(rgbMode ? { rgb: lr } : {}), name: p });
      const b = upscale15(lr, 'bicubic', p);
      gts.push(lumaFloat(hr));
      bic.push(lumaFloat(b));
      gtRgb.push(hr);
      bicRgb.push(b);
    }
    o.log?.(`sim: ${seq.name}: ${frames.length} frames, LR ${o.lrWidth}x${o.lrHeight} -> HR ${W}x${H}`);
    const r = await runUpscalerSim({ net: o.net, hw: o.hw, frames, width: o.lrWidth, height: o.lrHeight, seed: o.seed, backpressure: o.backpressure, dramLatency: o.dramLatency, vcd: nFrames === 0 ? o.vcd : undefined, log: o.log, loadNet: o.loadNet, weightWords: o.weightWords });
    loadCycles.push(...r.jobs.map((j) => j.loadCycles ?? 0));
    plan = r.plan;
    const s = { rtl: 0, golden: 0, bicubic: 0 };
    const sr = { rtl: 0, golden: 0, bicubic: 0 };
    let sm = 0, shm = 0;
    r.frames.forEach((f, i) => {
      const image = (d: Uint8Array): Image => ({ width: W, height: H, channels: 3, data: d });
      const plane = (d: Uint8Array) => (f.channels === 3 ? lumaFloat(image(d)) : { width: W, height: H, data: Float64Array.from(d) });
      s.rtl += psnrPlane(plane(f.rtl), gts[i]);
      s.golden += psnrPlane(plane(f.golden), gts[i]);
      s.bicubic += psnrPlane(bic[i], gts[i]);
      if (f.channels === 3) {
        sr.rtl += psnrRgb(image(f.rtl), gtRgb[i]);
        sr.golden += psnrRgb(image(f.golden), gtRgb[i]);
        sr.bicubic += psnrRgb(bicRgb[i], gtRgb[i]);
      }
      sm += f.mismatches;
      shm += f.hidden_mismatches;
      if (f.first_mismatch && !first) first = { sequence: seq.name, frame: i, ...f.first_mismatch };
    });
    for (const k of ['rtl', 'golden', 'bicubic'] as const) {
      sums[k] += s[k];
      sumsRgb[k] += sr[k];
    }
    const n = r.frames.length;
    const mean = (x: Psnr3, d: number): Psnr3 => ({ rtl: x.rtl / d, golden: x.golden / d, bicubic: x.bicubic / d });
    out.push({ name: seq.name, frames: n, mismatches: sm, hidden_mismatches: shm, psnr_y: mean(s, n), psnr_rgb: rgbMode ? mean(sr, n) : null });
    nFrames += n;
    pixels += n * W * H;
    mis += sm;
    hmis += shm;
    cycles += r.cycles;
    predicted += r.jobs.reduce((a, j) => a + j.predicted, 0);
    covered += r.coveredCells;
    useful += n * (o.lrWidth / 2) * (o.lrHeight / 2) * r.plan.stages.reduce((a, st) => a + st.usefulMacsPerCell, 0);
  }
  const wall = (Date.now() - t0) / 1000;
  const perCell = cycles / covered;
  const ratio = cycles / predicted;
  const hd = frameTiming(plan!, hwParams.validate({ ...o.hw, lrWidth: 1280, lrHeight: 720 }));
  const fps = 180e6 / (hd.cyclesPerFrame * ratio);
  const loadedNet = o.loadNet ?? o.net;
  return {
    video: o.hw.video,
    weight_source: o.hw.weightSource,
    weight_load: o.hw.weightSource === 'loaded' ? { net: loadedNet.path, words: o.weightWords?.length ?? weightMemory(loadedNet, plan!).words.length, cycles_per_job: loadCycles.reduce((a, b) => a + b, 0) / loadCycles.length } : null,
    frames: nFrames,
    sequences: out,
    pixels,
    mismatches: mis,
    hidden_mismatches: hmis,
    first_mismatch: first,
    psnr_y: { rtl: sums.rtl / nFrames, golden: sums.golden / nFrames, bicubic: sums.bicubic / nFrames },
    psnr_rgb: rgbMode ? { rtl: sumsRgb.rtl / nFrames, golden: sumsRgb.golden / nFrames, bicubic: sumsRgb.bicubic / nFrames } : null,
    crop: { lr: [o.lrWidth, o.lrHeight], hr: [W, H] },
    stripes_per_frame: stripeJobs(o.lrWidth / 2, plan!).length,
    cycles_per_frame: cycles / nFrames,
    cycles_per_covered_cell: perCell,
    measured_over_model: ratio,
    fps_720p_to_1080p_at_180mhz: fps,
    fps_method: `the profiler's cycle model (schedule.ts) for a 1280x720 frame, ${hd.cyclesPerFrame} cycles, scaled by measured/model = ${ratio.toFixed(4)} on the simulated stripe jobs, at 180 MHz`,
    fps_720p_per_cell_extrapolation: 180e6 / (perCell * coveredCells720p(plan!)),
    mac_utilisation: useful / (cycles * plan!.macs),
    macs: plan!.macs,
    cell_cycles: plan!.cellCycles,
    sim_pixels_per_s: pixels / wall,
    wall_s: wall,
  };
}
