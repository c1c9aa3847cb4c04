// `screen profile`: MACs, cycles (from the schedule), utilisation, memory, DRAM traffic and fps
// of an upscaler config against the frame-rate budget.
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

function table(p: Profile): string {
  const lines = [
    `network ${p.config.net.name}: ${p.macs_per_lr_pixel} MACs per LR pixel, ${p.params} parameters`,
    '',
    'layer      cin cout k  MACs/LR px',
    ...p.layers.map((l) => `${l.name.padEnd(10)} ${String(l.cin).padStart(3)} ${String(l.cout).padStart(4)} ${l.k}  ${String(l.macs_per_lr_pixel).padStart(10)}`),
    '',
    `array ${p.config.hw.rows}x${p.config.hw.cols} at ${p.config.hw.clockMhz} MHz, ${p.config.hw.lrWidth}x${p.config.hw.lrHeight} in, ${p.stripes} stripes of ${p.config.hw.stripeCells} cells (halo ${p.halo_cells})`,
    'pass        cycles/frame  utilisation',
    ...p.passes.map((q) => `${q.name.padEnd(10)} ${String(q.cyclesPerFrame).padStart(13)}  ${(q.utilisation * 100).toFixed(1).padStart(10)}%`),
    `vector ops ${String(p.vector_cycles_per_frame).padStart(13)}`,
    `total      ${String(p.cycles_per_frame).padStart(13)}  ${(p.utilisation * 100).toFixed(1).padStart(10)}%`,
    '',
    `on-chip memory ${p.onchip_memory_bits} bits (${p.onchip_memory_mm2.sram.toFixed(3)} mm² as SRAM, ${p.onchip_memory_mm2.flipflop.toFixed(3)} mm² as flip-flops)`,
    `DRAM ${(p.dram_bytes_per_frame / 1e6).toFixed(2)} MB/frame = ${p.dram_gb_per_s.toFixed(3)} GB/s at ${p.fps.toFixed(1)} fps`,
    '',
    p.verdict,
  ];
  return lines.join('\n');
}

export const command: Command = {
  name: 'profile',
  summary: 'MACs, cycles, utilisation, memory, DRAM traffic and fps of an upscaler config',
  usage: '[--weights FILE | --net CONFIG.json] [--rows R --cols C --stripe CELLS ...] [--json]',
  options: {
    weights: { type: 'string', arg: 'FILE', help: 'network weights (its config is used); default weights/crnn_q8.json' },
    net: { type: 'string', arg: 'FILE', help: 'network config JSON (train/configs/*.json) instead of --weights' },
    'n-gcr': { type: 'string', arg: 'N', help: 'override N_GCR (ConvGRU layers)' },
    'hidden-c': { type: 'string', arg: 'C', help: 'override HIDDEN_C' },
    'upsample-mode': { type: 'string', arg: 'MODE', help: 'override UPSAMPLE_MODE: pixelshuffle | deconv' },
    'quant-bits': { type: 'string', arg: 'B', help: 'override QUANT_BITS: 8 | 6 | 4' },
    rows: { type: 'string', arg: 'R', help: `MAC array rows (default ${hwParams.specs.rows.default})` },
    cols: { type: 'string', arg: 'C', help: `MAC array columns (default ${hwParams.specs.cols.default})` },
    stripe: { type: 'string', arg: 'CELLS', help: `stripe width in grid cells, 2 LR px each (default ${hwParams.specs.stripeCells.default})` },
    'clock-mhz': { type: 'string', arg: 'MHZ', help: `clock (default ${hwParams.specs.clockMhz.default})` },
    width: { type: 'string', arg: 'PX', help: `LR frame width (default ${hwParams.specs.lrWidth.default})` },
    height: { type: 'string', arg: 'PX', help: `LR frame height (default ${hwParams.specs.lrHeight.default})` },
    fps: { type: 'string', arg: 'FPS', help: 'target frame rate', default: '30' },
  },
  details: 'Exit code 1 when the config cannot reach the target frame rate. Cycles come from the conv-engine schedule in generators/designs/upscaler/schedule.ts.',
  async run(ctx) {
    const o = ctx.opts;
    const netPath = stringOption(o, 'net');
    const weightsPath = stringOption(o, 'weights');
    if (netPath && weightsPath) throw new UsageError('give --weights or --net, not both');
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
      rows: num('rows'),
      cols: num('cols'),
      stripeCells: num('stripe'),
      clockMhz: num('clock-mhz'),
      lrWidth: num('width'),
      lrHeight: num('height'),
    });
    const p = profileUpscaler(net, hw, intOption(o, 'fps', 30, 1, 1000));
    return { exitCode: p.meets_target ? 0 : 1, json: p, text: table(p) };
  },
};
