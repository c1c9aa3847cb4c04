// `screen profile`: the layer pipeline's stages, MACs, cycles, utilisation, on-chip memory, DRAM
// traffic and fps of an upscaler config against the frame-rate budget.
import { readFileSync } from 'node:fs';
import { type Command, UsageError, intOption, stringOption, choiceOption } from '../command.ts';
import { hwParams, netKnobs } from '../../generators/designs/upscaler/config.ts';
import { profileUpscaler, type Profile } from '../../generators/designs/upscaler/profile.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';

function readNetConfig(path: string): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`cannot read network config ${path}: ${(e as Error).message}`);
  }
  // A weights file embeds its config; a train/configs/*.json file is the config itself.
  return doc.format === 'screen-crnn-weights' ? (doc.config as Record<string, unknown>) : doc;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function table(p: Profile): string {
  const hw = p.config.hw;
  const r = (v: string | number, n: number) => String(v).padStart(n);
  const lines = [
    `network ${p.config.net.name}: ${p.macs_per_lr_pixel} MACs per LR pixel, ${p.params} parameters`,
    `engine: ${p.stages.length} pipeline stages, ${p.macs} MACs, target ${hw.cellCycles} cycles/cell -> ${p.cell_cycles} (slowest stage) at ${hw.clockMhz} MHz`,
    '',
    'stage       cin cout k     T cpar    P  MACs cyc/cell useful/cell  lanes  frame',
    ...p.stages.map(
      (s) =>
        `${s.name.padEnd(10)} ${r(s.cin, 4)} ${r(s.cout, 4)} ${s.k} ${r(s.T, 5)} ${r(s.cpar, 4)} ${r(s.P, 4)} ${r(s.macs, 5)} ${r(s.cycles_per_cell, 8)} ${r(s.useful_macs_per_cell, 11)} ${r(pct(s.lane_utilisation), 6)} ${r(pct(s.utilisation), 6)}`,
    ),
    '',
    `frame ${hw.lrWidth}x${hw.lrHeight} LR: ${p.stripes} stripe(s) of <= ${hw.stripeCells} cells, halo ${p.halo} cells per side, ${p.owned_cells} owned cells per interior stripe (${pct(p.halo_overhead)} cells recomputed)`,
    `cycles/frame ${p.cycles_per_frame} (fill/drain ${p.fill_cycles_per_frame}, incl. ${p.stripe_pipeline_latency} per stripe of pipeline latency), utilisation ${pct(p.utilisation)}, bound: ${p.bound}`,
    '',
    `on-chip memory ${p.onchip_memory_bits} bits (${p.onchip_memory.sram_bits} SRAM + ${p.onchip_memory.flop_bits} flip-flop bits = ${p.onchip_memory.area_mm2.toFixed(3)} mm²; * = estimate)`,
    ...p.buffers.map((b) => `  ${(b.name + (b.estimate ? ' *' : '')).padEnd(20)} ${r(b.bits, 8)} ${b.impl.padEnd(5)}  ${b.why}`),
    '',
    `DRAM ${(p.dram_bytes_per_frame / 1e6).toFixed(3)} MB/frame = ${p.dram_gb_per_s.toFixed(3)} GB/s at ${p.fps.toFixed(1)} fps: hidden read ${(p.dram.hiddenReadBytes / 1e6).toFixed(3)}, hidden write ${(p.dram.hiddenWriteBytes / 1e6).toFixed(3)}, video in ${(p.dram.videoInBytes / 1e6).toFixed(3)}, video out ${(p.dram.videoOutBytes / 1e6).toFixed(3)} MB`,
    '',
    p.verdict,
  ];
  return lines.join('\n');
}

export const command: Command = {
  name: 'profile',
  summary: 'stages, MACs, cycles, utilisation, memory, DRAM traffic and fps of an upscaler config',
  usage: '[--weights FILE | --net CONFIG.json] [--cell-cycles N --stripe-cells CELLS ...] [--json]',
  options: {
    weights: { type: 'string', arg: 'FILE', help: 'network weights (its config is used); default weights/crnn_q8.json' },
    net: { type: 'string', arg: 'FILE', help: 'network config JSON (train/configs/*.json) instead of --weights' },
    config: { type: 'string', arg: 'FILE', help: 'same as --net' },
    'n-gcr': { type: 'string', arg: 'N', help: 'override N_GCR (ConvGRU layers)' },
    'hidden-c': { type: 'string', arg: 'C', help: 'override HIDDEN_C' },
    'upsample-mode': { type: 'string', arg: 'MODE', help: 'override UPSAMPLE_MODE: pixelshuffle | deconv' },
    'quant-bits': { type: 'string', arg: 'B', help: 'override QUANT_BITS: 8 | 6 | 4' },
    'cell-cycles': { type: 'string', arg: 'N', help: `target cycles per grid cell of every stage (default ${hwParams.specs.cellCycles.default})` },
    'stripe-cells': { type: 'string', arg: 'CELLS', help: `widest stripe in grid cells incl. halos (default ${hwParams.specs.stripeCells.default})` },
    'pixels-per-beat': { type: 'string', arg: '1|2', help: `LR pixels per video-in beat (default ${hwParams.specs.pixelsPerBeat.default})` },
    'clock-mhz': { type: 'string', arg: 'MHZ', help: `clock (default ${hwParams.specs.clockMhz.default})` },
    width: { type: 'string', arg: 'PX', help: `LR frame width (default ${hwParams.specs.lrWidth.default})` },
    height: { type: 'string', arg: 'PX', help: `LR frame height (default ${hwParams.specs.lrHeight.default})` },
    video: { type: 'string', arg: 'y8|rgb888', help: `video format (default ${hwParams.specs.video.default}): rgb888 carries Y, Cb, Cr through the pipeline (3x the X0 pass bits, larger line buffers) and 3 bytes per pixel to and from DRAM` },
    'weight-source': { type: 'string', arg: 'baked|loaded', help: 'weights baked (default: constants in the conv units\' logic, no storage) or loaded at start-up (each conv unit\'s table counted as flip-flops: <stage>.weights)' },
    fps: { type: 'string', arg: 'FPS', help: 'target frame rate', default: '30' },
  },
  details:
    'Exit code 1 when the config cannot reach the target frame rate. Stages come from the engine plan ' +
    '(generators/designs/upscaler/plan.ts), cycles from schedule.ts, memory and DRAM from memory.ts; ' +
    'docs/architecture.md explains the model.',
  async run(ctx) {
    const o = ctx.opts;
    if (ctx.positionals.length) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`);
    const netPath = stringOption(o, 'net') ?? stringOption(o, 'config');
    const weightsPath = stringOption(o, 'weights');
    if (o.net !== undefined && o.config !== undefined) throw new UsageError('give --net or --config, not both');
    if (netPath && weightsPath) throw new UsageError('give --weights or --net/--config, not both');
    const raw = readNetConfig(netPath ?? weightsPath ?? DEFAULT_NET_WEIGHTS);
    // Flags only parse integers; defaults and ranges live once, in netParams / hwParams.
    const num = (flag: string) => (o[flag] === undefined ? undefined : intOption(o, flag, 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    const overrides: Record<string, unknown> = {};
    if (o['n-gcr'] !== undefined) overrides.n_gcr = num('n-gcr');
    if (o['hidden-c'] !== undefined) overrides.hidden_c = num('hidden-c');
    if (o['upsample-mode'] !== undefined) overrides.upsample_mode = choiceOption(o, 'upsample-mode', 'pixelshuffle', ['pixelshuffle', 'deconv'] as const);
    if (o['quant-bits'] !== undefined) overrides.quant_bits = Number(choiceOption(o, 'quant-bits', '8', ['8', '6', '4'] as const));
    const net = netKnobs({ ...raw, ...overrides });
    const hw = hwParams.validate({
      cellCycles: num('cell-cycles'),
      stripeCells: num('stripe-cells'),
      pixelsPerBeat: num('pixels-per-beat'),
      clockMhz: num('clock-mhz'),
      lrWidth: num('width'),
      lrHeight: num('height'),
      video: o.video === undefined ? undefined : choiceOption(o, 'video', 'y8', ['y8', 'rgb888'] as const),
      weightSource: o['weight-source'] === undefined ? undefined : choiceOption(o, 'weight-source', 'baked', ['baked', 'loaded'] as const),
    });
    const p = profileUpscaler(net, hw, intOption(o, 'fps', 30, 1, 1000));
    return { exitCode: p.meets_target ? 0 : 1, json: p, text: table(p) };
  },
};
