// The profiler's trade-off tables for docs/architecture.md: stripe width against halo overhead,
// on-chip memory, DRAM traffic and fps; and one knob at a time against the default config.
// Prints JSON (or, with --markdown, the two tables) and writes bench/results/stripe_tradeoff.json.
//   npx tsx bench/stripe_tradeoff.ts [--markdown] [--weights FILE] [--cell-cycles N] [--out FILE]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hwParams, netKnobs } from '../generators/designs/upscaler/config.ts';
import { profileUpscaler, type Profile } from '../generators/designs/upscaler/profile.ts';
import { DEFAULT_NET_WEIGHTS } from '../model/net/upscaler.ts';

const { values } = parseArgs({
  options: {
    markdown: { type: 'boolean', default: false },
    weights: { type: 'string', default: DEFAULT_NET_WEIGHTS },
    'cell-cycles': { type: 'string', default: String(hwParams.specs.cellCycles.default) },
    out: { type: 'string', default: fileURLToPath(new URL('./results/stripe_tradeoff.json', import.meta.url)) },
  },
});
const doc = JSON.parse(readFileSync(values.weights, 'utf8')) as Record<string, unknown>;
const baseNet = (doc.format === 'screen-crnn-weights' ? doc.config : doc) as Record<string, unknown>;
const cellCycles = Number(values['cell-cycles']);
const net = netKnobs(baseNet);

const row = (p: Profile) => ({
  macs: p.macs,
  cell_cycles: p.cell_cycles,
  bound: p.bound,
  stripes: p.stripes,
  halo: p.halo,
  halo_overhead_pct: Math.round(p.halo_overhead * 1000) / 10,
  onchip_kbit: Math.round(p.onchip_memory_bits / 100) / 10,
  sram_kbit: Math.round(p.onchip_memory.sram_bits / 100) / 10,
  memory_mm2: Math.round(p.onchip_memory.area_mm2 * 1000) / 1000,
  dram_mb_per_frame: Math.round(p.dram_bytes_per_frame / 1e4) / 100,
  dram_gb_per_s: Math.round(p.dram_gb_per_s * 1000) / 1000,
  fps: Math.round(p.fps * 10) / 10,
  macs_per_lr_pixel: p.macs_per_lr_pixel,
});

const stripes = [16, 24, 32, 48, 64, 96, 128, 192, 320, 640].map((stripeCells) => ({
  stripe_cells: stripeCells,
  ...row(profileUpscaler(net, hwParams.validate({ cellCycles, stripeCells }))),
}));

// One knob changed at a time from the default network and hardware.
const knobCases: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['default', {}, {}],
  ...[4, 6, 9, 12, 24, 32, 64].map((c): [string, Record<string, unknown>, Record<string, unknown>] => [`cellCycles ${c}`, {}, { cellCycles: c }]),
  ...[128, 256].map((s): [string, Record<string, unknown>, Record<string, unknown>] => [`stripeCells ${s}`, {}, { stripeCells: s }]),
  ...[8, 16, 24].map((h): [string, Record<string, unknown>, Record<string, unknown>] => [`hidden_c ${h}`, { hidden_c: h }, {}]),
  ['n_gcr 2', { n_gcr: 2 }, {}],
  ['quant_bits 4', { quant_bits: 4 }, {}],
  ['upsample_mode deconv', { upsample_mode: 'deconv' }, {}],
];
const knobs = knobCases.map(([name, n, h]) => ({ case: name, ...row(profileUpscaler(netKnobs({ ...baseNet, ...n }), hwParams.validate({ cellCycles, ...h }))) }));

const result = { bench: 'stripe_tradeoff', weights: values.weights, net: net.name, cell_cycles: cellCycles, frame: '1280x720 LR at 180 MHz', stripes, knobs };
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');

if (values.markdown) {
  const lines = [
    `Stripe width at cellCycles ${cellCycles} (${net.name}, 1280x720 LR, 180 MHz):`,
    '',
    '| stripe cells | stripes | halo overhead | on-chip memory (kbit, of it SRAM) | memory mm² | DRAM MB/frame | fps |',
    '|---|---|---|---|---|---|---|',
    ...stripes.map((r) => `| ${r.stripe_cells} | ${r.stripes} | ${r.halo_overhead_pct}% | ${r.onchip_kbit} (${r.sram_kbit}) | ${r.memory_mm2} | ${r.dram_mb_per_frame} | ${r.fps} |`),
    '',
    'One knob at a time:',
    '',
    '| change | MACs | MACs/LR px | cycles/cell | bound | halo | on-chip kbit | DRAM MB/frame | GB/s | fps |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...knobs.map((r) => `| ${r.case} | ${r.macs} | ${r.macs_per_lr_pixel} | ${r.cell_cycles} | ${r.bound} | ${r.halo} | ${r.onchip_kbit} | ${r.dram_mb_per_frame} | ${r.dram_gb_per_s} | ${r.fps} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
} else process.stdout.write(JSON.stringify(result, null, 2) + '\n');
