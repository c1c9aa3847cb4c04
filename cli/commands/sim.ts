// `screen sim`: run a Verilog module under the Verilator stream harness (sim/) with beats from a
// real frame or seeded random data, random backpressure and the protocol monitor.
import { writeFileSync } from 'node:fs';
import { choiceOption, intOption, numOption, stringOption, UsageError, type Command } from '../command.ts';
import { compareBeats } from '../../sim/compare.ts';
import { davisFramePath, frameToBeats, loadFrame } from '../../sim/frames.ts';
import { runStreamSim } from '../../sim/run.ts';
import { groupPorts } from '../../sim/streams.ts';
import type { BeatIn } from '../../sim/types.ts';
import { designFromVerilog } from '../../sim/verilog-ports.ts';
import { runRegressions } from '../../sim/regress.ts';
import type { CommandContext, CommandResult } from '../command.ts';
import { simulateFrames } from '../../sim/upscaler.ts';
import { hwParams } from '../../generators/designs/upscaler/config.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';

/** --frames: the accelerator (screen_core) on real frames against the golden model. */
async function upscalerOnFrames(ctx: CommandContext): Promise<CommandResult> {
  const c = stringOption(ctx.opts, 'crop') ?? '96x64';
  const m = /^(\d+)x(\d+)$/.exec(c);
  if (!m) throw new UsageError(`--crop expects WxH (the LR size simulated, e.g. 96x64), got '${c}'`);
  const lrWidth = Number(m[1]), lrHeight = Number(m[2]);
  if (lrWidth % 2 || lrHeight % 2 || lrWidth < 4 || lrHeight < 4) throw new UsageError(`--crop ${c}: LR width and height must be even and at least 4`);
  const hw = hwParams.validate({
    ...(ctx.opts['cell-cycles'] !== undefined ? { cellCycles: intOption(ctx.opts, 'cell-cycles', 16, 1, 4096) } : {}),
    ...(ctx.opts['stripe-cells'] !== undefined ? { stripeCells: intOption(ctx.opts, 'stripe-cells', 64, 4, 1024) } : {}),
    video: choiceOption(ctx.opts, 'video', 'y8', ['y8', 'rgb888'] as const),
    weightSource: choiceOption(ctx.opts, 'weight-source', 'baked', ['baked', 'loaded'] as const),
  });
  const net = loadNetWeights(stringOption(ctx.opts, 'weights') ?? DEFAULT_NET_WEIGHTS);
  const loadPath = stringOption(ctx.opts, 'load-weights');
  if (loadPath !== undefined && hw.weightSource !== 'loaded') throw new UsageError('--load-weights needs --weight-source loaded (a baked build has no weight port)');
  const loadNet = loadPath !== undefined ? loadNetWeights(loadPath) : undefined;
  const gap = numOption(ctx.opts, 'gap', 0, 0, 0.999), stall = numOption(ctx.opts, 'stall', 0, 0, 0.999);
  const r = await simulateFrames({
    net,
    hw,
    dir: stringOption(ctx.opts, 'frames')!,
    lrWidth,
    lrHeight,
    maxFrames: intOption(ctx.opts, 'max-frames', 4, 1, 1e6),
    seed: intOption(ctx.opts, 'seed', 1, 0, 2 ** 31),
    backpressure: { inputGap: gap, outputStall: stall },
    dramLatency: intOption(ctx.opts, 'dram-latency', 0, 0, 1_000_000),
    vcd: stringOption(ctx.opts, 'vcd'),
    log: ctx.log,
    loadNet,
  });
  const ok = r.mismatches === 0 && r.hidden_mismatches === 0;
  const { sequences, ...rest } = r;
  const json = { ok, weights: net.path, ...rest, sequences };
  const f = (x: number) => x.toFixed(3);
  const px = (v: number) => (r.video === 'rgb888' ? `0x${v.toString(16).padStart(6, '0')} (B G R)` : String(v));
  const text = [
    `screen_core (${net.name}, ${r.macs} MACs, ${r.cell_cycles} cycles/cell, video ${r.video}) on ${r.frames} frames, LR ${lrWidth}x${lrHeight} -> HR ${r.crop.hr[0]}x${r.crop.hr[1]}, ${r.stripes_per_frame} stripe(s) per frame`,
    ...(r.weight_load ? [`  weights loaded through s_axis_weights at the start of every stripe job: ${r.weight_load.net}, ${r.weight_load.words} words, ${Math.round(r.weight_load.cycles_per_job)} cycles (not counted below)`] : []),
    ...sequences.map((s) => `  ${s.name.padEnd(16)} ${String(s.frames).padStart(3)} frames  mismatches ${s.mismatches} (hidden ${s.hidden_mismatches})  Y-PSNR rtl ${f(s.psnr_y.rtl)} golden ${f(s.psnr_y.golden)} bicubic ${f(s.psnr_y.bicubic)} dB` + (s.psnr_rgb ? `  RGB-PSNR rtl ${f(s.psnr_rgb.rtl)} golden ${f(s.psnr_rgb.golden)} bicubic ${f(s.psnr_rgb.bicubic)} dB` : '')),
    `  ${ok ? 'BIT-EXACT' : 'MISMATCH'}: ${r.mismatches} of ${r.pixels} HR pixels differ${r.video === 'rgb888' ? ' (any of R, G, B)' : ''}, ${r.hidden_mismatches} hidden-state bytes differ` + (r.first_mismatch ? ` (first: ${r.first_mismatch.sequence} frame ${r.first_mismatch.frame} x=${r.first_mismatch.x} y=${r.first_mismatch.y}: rtl ${px(r.first_mismatch.rtl)}, golden ${px(r.first_mismatch.golden)})` : ''),
    `  Y-PSNR mean: rtl ${f(r.psnr_y.rtl)}, golden ${f(r.psnr_y.golden)}, bicubic ${f(r.psnr_y.bicubic)} dB` + (r.psnr_rgb ? `; RGB-PSNR mean: rtl ${f(r.psnr_rgb.rtl)}, golden ${f(r.psnr_rgb.golden)}, bicubic ${f(r.psnr_rgb.bicubic)} dB` : ''),
    `  ${Math.round(r.cycles_per_frame)} cycles/frame simulated = ${r.measured_over_model.toFixed(4)} x the profiler's model -> ${r.fps_720p_to_1080p_at_180mhz.toFixed(1)} fps 720p->1080p at 180 MHz (model x ratio; this crop's cycles per covered cell alone give ${r.fps_720p_per_cell_extrapolation.toFixed(1)}); MAC utilisation ${(100 * r.mac_utilisation).toFixed(1)}%`,
    `  simulated ${Math.round(r.sim_pixels_per_s)} HR pixels/s (${r.wall_s.toFixed(1)} s)`,
  ].join('\n');
  return { exitCode: ok ? 0 : 1, json, text };
}

/** No --verilog: the block regression on real val frames (what `npm run sim` runs). */
async function regression(ctx: CommandContext): Promise<CommandResult> {
  // --max-frames: frames of each val sequence for the accelerator's run (default 8).
  const upscalerFrames = ctx.opts['max-frames'] === undefined ? undefined : intOption(ctx.opts, 'max-frames', 8, 1, 1e6);
  const results = await runRegressions({ log: ctx.log, upscalerFrames });
  const ok = results.every((r) => r.ok);
  const text = results.map((r) => `${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(36)} ${String(r.beats).padStart(7)} beats  ${r.wall_s.toFixed(1)} s  ${r.message}`).join('\n');
  return { exitCode: ok ? 0 : 1, json: { regressions: results, ok }, text };
}

function keyValues(v: unknown, flag: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const s of (v as string[] | undefined) ?? []) {
    const m = /^([A-Za-z_]\w*)=(0x[0-9a-fA-F]+|\d+)$/.exec(s);
    if (!m) throw new UsageError(`--${flag} expects NAME=VALUE (decimal or 0x hex), got '${s}'`);
    out[m[1]] = BigInt(m[2]);
  }
  return out;
}

function randomBeats(n: number, width: number, seed: number): BeatIn[] {
  let s = BigInt(seed) | 1n;
  const mask = (1n << BigInt(width)) - 1n;
  return Array.from({ length: n }, (_, i) => {
    let v = 0n;
    for (let b = 0; b < width; b += 64) {
      s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      v = (v << 64n) | (s >> 1n);
    }
    return { data: v & mask, last: i === n - 1 };
  });
}

export const command: Command = {
  name: 'sim',
  summary: 'simulate a Verilog stream module under Verilator with backpressure and the AXI4-Stream monitor',
  usage: '--frames DIR [--crop WxH] [--max-frames N] [--vcd FILE]   |   [--verilog FILE [--verilog FILE...] --top NAME (--frame IMG | --davis SEQ[:N] | --random N)] [options]   (no --verilog: block regression on real frames)',
  options: {
    frames: { type: 'string', arg: 'DIR', help: 'simulate the accelerator on real frames (a sequence folder or a folder of sequences) against the golden model' },
    'max-frames': { type: 'string', arg: 'N', help: 'with --frames: first N frames of each sequence (default 4); without --frames or --verilog: frames of each val sequence in the regression\'s accelerator run (default 8)' },
    weights: { type: 'string', arg: 'FILE', help: 'with --frames: network weights (default weights/crnn_q8.json)' },
    'cell-cycles': { type: 'string', arg: 'N', help: 'with --frames: hardware knob cellCycles (default 16)' },
    'stripe-cells': { type: 'string', arg: 'N', help: 'with --frames: hardware knob stripeCells (default 64)' },
    video: { type: 'string', arg: 'y8|rgb888', help: 'with --frames: hardware knob video (default y8): rgb888 streams LR RGB888 in and HR RGB888 out, compared with the RGB golden model (model/net/rgb.ts)' },
    'weight-source': { type: 'string', arg: 'baked|loaded', help: 'with --frames: hardware knob weightSource (default baked); loaded streams the network\'s weight image (the words of screen_top_weights.hex) into s_axis_weights before every stripe job, then the frames' },
    'load-weights': { type: 'string', arg: 'FILE', help: 'with --frames --weight-source loaded: load this network (same shapes as --weights, which builds the RTL) instead; the golden model runs it' },
    'dram-latency': { type: 'string', arg: 'CYCLES', help: 'with --frames: the hidden-state read stream starts no earlier than this cycle of each stripe job (DRAM latency; --gap adds random stalls)' },
    verilog: { type: 'string', multiple: true, arg: 'FILE', help: 'Verilog source (repeat for several files)' },
    top: { type: 'string', arg: 'NAME', help: 'top module' },
    param: { type: 'string', multiple: true, arg: 'K=V', help: 'parameter override (repeatable)' },
    const: { type: 'string', multiple: true, arg: 'PORT=V', help: 'constant input value (repeatable; every non-stream input)' },
    in: { type: 'string', arg: 'PREFIX', help: 'input stream to drive (default: the only one)' },
    frame: { type: 'string', arg: 'IMG', help: 'JPEG/PNG whose pixels become the input beats' },
    davis: { type: 'string', arg: 'SEQ[:N]', help: 'DAVIS val frame N (default 0) of sequence SEQ' },
    crop: { type: 'string', arg: 'X,Y,W,H | WxH', help: 'with --frame/--davis: this window; with --frames: the LR size WxH (centre crop, default 96x64)' },
    format: { type: 'string', default: 'y', arg: 'y|rgb', help: 'pixel format: 8-bit luma or 24-bit RGB' },
    ppb: { type: 'string', default: '1', arg: 'N', help: 'pixels per beat' },
    random: { type: 'string', arg: 'N', help: 'N seeded random beats of the stream width instead of a frame' },
    seed: { type: 'string', default: '1', arg: 'N', help: 'seed for backpressure and random data' },
    gap: { type: 'string', default: '0', arg: 'P', help: 'probability of an input valid gap per cycle' },
    stall: { type: 'string', default: '0', arg: 'P', help: 'probability of an output ready stall per cycle' },
    expect: { type: 'string', arg: 'N', help: 'beats expected on each output (enables the liveness check)' },
    check: { type: 'string', default: 'none', arg: 'none|identity', help: "identity: outputs must equal the input beats (exit 1 if not)" },
    liveness: { type: 'string', default: '20000', arg: 'N', help: 'fail after N cycles without progress on a port' },
    'max-cycles': { type: 'string', default: '10000000', arg: 'N', help: 'overall cycle cap' },
    vcd: { type: 'string', arg: 'FILE', help: 'write a VCD waveform (trace build)' },
    'out-beats': { type: 'string', arg: 'FILE', help: 'write the recorded output beats as JSON' },
  },
  details: `Streams are found by port names <p>_tdata/_tvalid/_tready/_tlast/_tuser; clock clk, reset rst_n.
Frame beats follow the AXI4-Stream video convention: tuser = start of frame, tlast = end of line.
Protocol violations and liveness timeouts exit 1 with the cycle and port. Rules: sim/README.md.
Example: screen sim --verilog test/sim/fixtures/skid_buffer.v --top skid_buffer --davis blackswan --crop 0,0,64,8 --stall 0.3 --check identity`,
  async run(ctx) {
    const files = (ctx.opts.verilog as string[] | undefined) ?? [];
    const top = stringOption(ctx.opts, 'top');
    if (ctx.opts.frames !== undefined) {
      if (files.length || top) throw new UsageError('--frames simulates the accelerator; do not combine it with --verilog/--top');
      return upscalerOnFrames(ctx);
    }
    if (!files.length && !top) return regression(ctx);
    if (!files.length || !top) throw new UsageError('--verilog and --top are required together (or neither, for the block regression)');
    const params = Object.fromEntries(Object.entries(keyValues(ctx.opts.param, 'param')).map(([k, v]) => [k, Number(v)]));
    const design = designFromVerilog({ files, top, params });
    const groups = groupPorts(design.ports, 'clk', 'rst_n', top);
    const ins = groups.streams.filter((s) => s.dir === 'in');
    const inName = stringOption(ctx.opts, 'in') ?? (ins.length === 1 ? ins[0].name : undefined);
    const stream = ins.find((s) => s.name === inName);
    if (!stream && (ins.length > 0 || inName !== undefined))
      throw new UsageError(`${top} input streams: ${ins.map((s) => s.name).join(', ') || 'none'}; choose one with --in`);
    const seed = intOption(ctx.opts, 'seed', 1, 0, 2 ** 31);
    const sources = ['frame', 'davis', 'random'].filter((k) => ctx.opts[k] !== undefined);
    if (stream && sources.length !== 1) throw new UsageError('give exactly one of --frame, --davis, --random');
    if (!stream && sources.length) throw new UsageError(`${top} has no input stream; drop --${sources[0]} (use --expect to bound the run)`);
    let beats: BeatIn[] = [];
    let image: { width: number; height: number; pixelsPerBeat: number } | undefined;
    if (!stream) {
      // Source-only design: nothing to drive.
    } else if (ctx.opts.random !== undefined) {
      beats = randomBeats(intOption(ctx.opts, 'random', 0, 1, 50_000_000), stream.dataWidth, seed);
    } else {
      let path = stringOption(ctx.opts, 'frame');
      if (!path) {
        const [seq, idx] = stringOption(ctx.opts, 'davis')!.split(':');
        if (idx !== undefined && !/^\d+$/.test(idx)) throw new UsageError(`--davis expects SEQ[:N], got '${String(ctx.opts.davis)}'`);
        path = davisFramePath(seq, idx === undefined ? 0 : Number(idx));
      }
      const c = stringOption(ctx.opts, 'crop');
      let crop;
      if (c) {
        const n = c.split(',').map(Number);
        if (n.length !== 4 || !n.every((x) => Number.isInteger(x) && x >= 0)) throw new UsageError(`--crop expects X,Y,W,H, got '${c}'`);
        crop = { x: n[0], y: n[1], width: n[2], height: n[3] };
      }
      const format = choiceOption(ctx.opts, 'format', 'y', ['y', 'rgb'] as const);
      const ppb = intOption(ctx.opts, 'ppb', 1, 1, 64);
      const img = loadFrame(path, { format, crop });
      beats = frameToBeats(img, { pixelsPerBeat: ppb });
      image = { width: img.width, height: img.height, pixelsPerBeat: ppb };
      ctx.log(`${path}: ${img.width}x${img.height} ${format}, ${beats.length} beats`);
    }
    // Sideband the DUT's input stream does not have is dropped (and then not compared).
    if (stream && (!stream.hasLast || !stream.userWidth))
      beats = beats.map((b) => ({ data: b.data, ...(stream.hasLast ? { last: b.last } : {}), ...(stream.userWidth ? { user: b.user } : {}) }));
    const outs = groups.streams.filter((s) => s.dir === 'out');
    const exp = ctx.opts.expect !== undefined ? intOption(ctx.opts, 'expect', 0, 0, 1e9) : undefined;
    const check = choiceOption(ctx.opts, 'check', 'none', ['none', 'identity'] as const);
    const r = await runStreamSim({
      design,
      inputs: stream ? { [stream.name]: beats } : {},
      constInputs: keyValues(ctx.opts.const, 'const'),
      expect: exp !== undefined ? Object.fromEntries(outs.filter((s) => !s.passive).map((s) => [s.name, exp])) : undefined,
      seed,
      backpressure: { inputGap: numOption(ctx.opts, 'gap', 0, 0, 0.999), outputStall: numOption(ctx.opts, 'stall', 0, 0, 0.999) },
      livenessCycles: intOption(ctx.opts, 'liveness', 20000, 1, 1e9),
      maxCycles: intOption(ctx.opts, 'max-cycles', 10_000_000, 1, 1e12),
      vcd: stringOption(ctx.opts, 'vcd'),
    });
    const compares = check === 'identity' ? outs.filter((s) => !s.passive).map((s) => compareBeats(beats, r.outputs[s.name], { label: `${top}.${s.name}`, image })) : [];
    const outBeats = stringOption(ctx.opts, 'out-beats');
    if (outBeats)
      writeFileSync(
        outBeats,
        JSON.stringify(Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.map((b) => ({ cycle: b.cycle, data: `0x${b.data.toString(16)}`, last: b.last, user: Number(b.user) }))]))) + '\n',
      );
    const ok = compares.every((c) => c.ok);
    const json = {
      ok,
      top,
      input: stream ? { stream: stream.name, beats: beats.length, ...r.inputs[stream.name] } : null,
      outputs: Object.fromEntries(Object.entries(r.outputStats).map(([k, v]) => [k, v])),
      cycles: r.cycles,
      simSeconds: r.wallSeconds,
      cyclesPerSecond: Math.round(r.cyclesPerSecond),
      build: { built: r.built, seconds: r.buildSeconds, dir: r.buildDir },
      checks: compares.map((c) => ({ ok: c.ok, message: c.message })),
    };
    const text = [
      `${top}: ${r.cycles} cycles` + (stream ? `, ${beats.length} beats in on ${stream.name} (${r.inputs[stream.name].stallCycles} stall cycles)` : ''),
      ...Object.entries(r.outputStats).map(([k, v]) => `  ${k}: ${v.received} beats out, ${v.stallCycles} stalled, ${v.starveCycles} starved cycles`),
      `  ${Math.round(r.cyclesPerSecond)} cycles/s (${r.built ? `built in ${r.buildSeconds.toFixed(1)} s` : 'cached build'})`,
      ...compares.map((c) => `  ${c.ok ? 'ok' : 'FAIL'}: ${c.message}`),
    ].join('\n');
    return { exitCode: ok ? 0 : 1, json, text };
  },
};
