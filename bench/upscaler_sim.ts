// Verilator speed of the accelerator (`screen_core`, default hardware config) on real frames:
// output pixels and cycles per second of the simulation, the model's build time, and the
// measured cycles per cell and 720p -> 1080p fps extrapolation the simulation reports.
// Two measurements on the same crops of one val sequence:
//   - loop: the frames back to back in one runStreamSim call (hidden_reset = 1, no stalls),
//     timed inside the C++ loop and end to end; every pixel checked against the golden model;
//   - screen sim: `simulateFrames` (what `screen sim --frames` runs: stripe jobs, the recurrent
//     state through the TypeScript DRAM model, golden model and PSNR), timed end to end.
// Prints JSON and writes bench/results/upscaler_sim.json.
//   nice npx tsx bench/upscaler_sim.ts [--seq blackswan] [--crop 128x64] [--frames 4] [--warm] [--out FILE]
// The build is cold by default (a fresh sim cache, Verilator runtime objects included); --warm
// reuses build/sim-cache.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hwParams } from '../generators/designs/upscaler/config.ts';
import { loadNetWeights } from '../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../model/net/upscaler.ts';
import { FixedNet } from '../model/net/fixed.ts';
import { listSequences } from '../model/io/frames.ts';
import { readImage } from '../model/io/image-file.ts';
import { crop } from '../model/image.ts';
import { lrFromHr } from '../model/protocol.ts';
import { rgbToYcbcrInt } from '../model/color.ts';
import { DAVIS_ROOT } from '../sim/frames.ts';
import { runStreamSim } from '../sim/run.ts';
import { simulateFrames, upscalerDesign } from '../sim/upscaler.ts';
import type { BeatIn } from '../sim/types.ts';

const { values } = parseArgs({
  options: {
    seq: { type: 'string', default: 'blackswan' },
    crop: { type: 'string', default: '128x64' },
    frames: { type: 'string', default: '4' },
    weights: { type: 'string', default: DEFAULT_NET_WEIGHTS },
    warm: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results/upscaler_sim.json', import.meta.url)) },
  },
});
const m = /^(\d+)x(\d+)$/.exec(values.crop!);
if (!m) throw new Error(`--crop must be WxH (LR pixels), got '${values.crop}'`);
const [w, h] = [Number(m[1]), Number(m[2])];
const nFrames = Number(values.frames);
if (!Number.isSafeInteger(nFrames) || nFrames < 1) throw new Error(`--frames must be a positive integer, got ${values.frames}`);
const seqDir = join(DAVIS_ROOT, 'val', values.seq!);

const cache = values.warm ? undefined : mkdtempSync(join(tmpdir(), 'screen-upscaler-bench-'));
if (cache) process.env.SCREEN_SIM_CACHE = cache; // read by sim/build.ts at build time
try {
  const net = loadNetWeights(values.weights!);
  const hw = hwParams.validate({});
  const t0 = performance.now();
  const { design, plan } = upscalerDesign(net, hw);
  const generateSeconds = (performance.now() - t0) / 1000;

  // The same LR crops simulateFrames makes: HR centre crop 1.5x the LR size, downscaled by the
  // evaluation protocol, integer luma.
  const W = (3 * w) / 2, H = (3 * h) / 2;
  const seq = listSequences(seqDir)[0];
  const lr = seq.frames.slice(0, nFrames).map((p) => {
    const img = readImage(p);
    return rgbToYcbcrInt(lrFromHr(crop(img, (img.width - W) >> 1, (img.height - H) >> 1, W, H), p)).y;
  });
  if (lr.length < nFrames) throw new Error(`${seqDir} has ${lr.length} frames, --frames ${nFrames}`);
  if (w / 2 > plan.stripeCells) throw new Error(`--crop ${values.crop}: the loop run needs one stripe (at most ${2 * plan.stripeCells} LR pixels wide)`);

  // ---- loop: frames back to back, one build ------------------------------------------------------
  const video: BeatIn[] = [];
  for (const y8 of lr) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) video.push({ data: y8[y * w + x], user: y === 0 && x === 0, last: x === w - 1 });
  const t1 = performance.now();
  const r = await runStreamSim({
    design,
    inputs: { s_axis_video: video },
    expect: { m_axis_video: nFrames * W * H, m_axis_hidden: nFrames * (w / 2) * (h / 2) },
    constInputs: { cfg_width: w, cfg_height: h, cfg_own_lo: 0, cfg_own_hi: w / 2, cfg_hidden_reset: 1 },
    seed: 1,
  });
  const loopTotal = (performance.now() - t1) / 1000;
  const golden = new FixedNet(net, true);
  let mismatches = 0;
  lr.forEach((y8, f) => {
    const g = golden.run(y8, w, h);
    for (let i = 0; i < W * H; i++) if (Number(r.outputs.m_axis_video[f * W * H + i].data) !== g[i]) mismatches++;
  });
  if (mismatches) throw new Error(`loop run: ${mismatches} pixels differ from the golden model; the speed of a wrong simulation is not a result`);
  const pixels = nFrames * W * H;
  const endToEnd = loopTotal - r.buildSeconds;
  const loop = {
    frames: nFrames,
    output_pixels: pixels,
    cycles: r.cycles,
    cycles_per_frame: Math.round(r.cycles / nFrames),
    sim_seconds: +r.wallSeconds.toFixed(3),
    cycles_per_s: Math.round(r.cyclesPerSecond),
    output_pixels_per_s: Math.round(pixels / r.wallSeconds),
    end_to_end_seconds: +endToEnd.toFixed(3),
    end_to_end_output_pixels_per_s: Math.round(pixels / endToEnd),
    mismatches,
  };
  process.stderr.write(`upscaler_sim: build ${r.buildSeconds.toFixed(1)} s, loop ${loop.cycles_per_s} cycles/s, ${loop.output_pixels_per_s} px/s\n`);

  // ---- screen sim: stripe jobs, recurrent state, golden model, PSNR -------------------------------
  const s = await simulateFrames({ net, hw, dir: seqDir, lrWidth: w, lrHeight: h, maxFrames: nFrames, seed: 1 });
  if (s.mismatches || s.hidden_mismatches) throw new Error(`screen sim: ${s.mismatches} pixels / ${s.hidden_mismatches} hidden bytes differ from the golden model`);
  const simCycles = s.cycles_per_frame * s.frames;

  const result = {
    bench: 'upscaler_sim',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', verilator: execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim() },
    note: 'loop: C++ loop only (sim_seconds) and the runStreamSim call minus build (end_to_end: beat files, decoding); screen_sim: simulateFrames end to end (frame decode, golden model, stripe jobs, PSNR), as `screen sim --frames` reports it. Machine shared with other jobs.',
    config: { net: net.name, cellCycles: hw.cellCycles, stripeCells: hw.stripeCells, macs: plan.macs, plan_cell_cycles: plan.cellCycles, sequence: values.seq, lr: [w, h], hr: [W, H], frames: nFrames },
    generate_seconds: +generateSeconds.toFixed(2),
    build: { seconds: +r.buildSeconds.toFixed(1), cold: !values.warm, built: r.built },
    loop,
    screen_sim: {
      frames: s.frames,
      output_pixels: s.pixels,
      mismatches: s.mismatches,
      hidden_mismatches: s.hidden_mismatches,
      wall_s: +s.wall_s.toFixed(2),
      sim_pixels_per_s: Math.round(s.sim_pixels_per_s),
      cycles_per_s: Math.round(simCycles / s.wall_s),
      cycles_per_frame: s.cycles_per_frame,
      cycles_per_covered_cell: +s.cycles_per_covered_cell.toFixed(3),
      fps_720p_to_1080p_at_180mhz: +s.fps_720p_to_1080p_at_180mhz.toFixed(1),
      fps_method: s.fps_method,
      mac_utilisation: +s.mac_utilisation.toFixed(3),
      psnr_y: s.psnr_y,
    },
  };
  mkdirSync(dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  if (cache) rmSync(cache, { recursive: true, force: true });
}
