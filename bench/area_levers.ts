// Area levers of the accelerator (issue 6: <= 1.2 mm² cells + memory at >= 30 fps, >= 180 MHz tt):
// screen_top synthesised for one hardware/network config per case, through the same path as
// `screen synth --design top --gen-arg ...` (RTL from `screen gen`, Yosys, OpenSTA at tt and ss
// on the tt-mapped netlist), with the profiler's fps for the same config and the area of every
// block instance under screen_core (from the synthesised netlist's hierarchy), grouped as
// conv units / line buffers / GRU elementwise / cell_unpack / rest.
// Prints JSON and writes bench/results/area_levers.json. Each case is a full top synthesis
// (~10-15 min of one core on the shared machine): run it under nice, one case at a time.
//   nice npx tsx bench/area_levers.ts --only cc21 [--out FILE]
//   nice npx tsx bench/area_levers.ts --list
// Cases left out by --only keep their previous entry in the output file (each entry has its own date).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../flows/paths.ts';
import type { SynthReport } from '../flows/synth/run.ts';
import { nativeYosysVersion } from '../flows/yosys.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    list: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('./results/area_levers.json', import.meta.url)) },
  },
});

interface Case {
  name: string;
  what: string;
  /** `screen gen` / `screen profile` options (--KEY VALUE). */
  gen: Record<string, string>;
}
// Every case names all three knobs, so a later change of the defaults does not change what a row measured.
const base = { 'cell-cycles': '16', 'stripe-cells': '64', weights: 'weights/crnn_q8.json' };
const CASES: Case[] = [
  { name: 'base', what: 'crnn_q8, cellCycles 16, stripeCells 64 (the default before this bench)', gen: { ...base } },
  { name: 'cc21', what: 'lever 1: cellCycles 21 (240 MACs)', gen: { ...base, 'cell-cycles': '21' } },
  { name: 'sc36', what: 'lever 2: stripeCells 36', gen: { ...base, 'stripe-cells': '36' } },
  { name: 'q6', what: 'lever 3: crnn_q6 weights (3 radix-4 digits)', gen: { ...base, weights: 'weights/crnn_q6.json' } },
  { name: 'q4', what: 'lever 3: crnn_q4 weights (2 radix-4 digits)', gen: { ...base, weights: 'weights/crnn_q4.json' } },
  { name: 'q8_cc20_sc36', what: 'combined: crnn_q8, cellCycles 20, stripeCells 36', gen: { ...base, 'cell-cycles': '20', 'stripe-cells': '36' } },
  { name: 'q6_cc20_sc36', what: 'combined: crnn_q6, cellCycles 20, stripeCells 36', gen: { ...base, weights: 'weights/crnn_q6.json', 'cell-cycles': '20', 'stripe-cells': '36' } },
  { name: 'q4_cc20_sc36', what: 'combined: crnn_q4, cellCycles 20, stripeCells 36', gen: { ...base, weights: 'weights/crnn_q4.json', 'cell-cycles': '20', 'stripe-cells': '36' } },
  { name: 'q4_cc20_sc32', what: 'combined: crnn_q4, cellCycles 20, stripeCells 32', gen: { ...base, weights: 'weights/crnn_q4.json', 'cell-cycles': '20', 'stripe-cells': '32' } },
  { name: 'q8_cc20_sc32', what: 'combined: crnn_q8, cellCycles 20, stripeCells 32', gen: { ...base, 'cell-cycles': '20', 'stripe-cells': '32' } },
  { name: 'base_new', what: 'crnn_q8, cellCycles 16, stripeCells 64 with the block changes (shared requantisers, operands in place, serial GRU units, single column registers, combinational join)', gen: { ...base } },
];
if (values.list) {
  for (const c of CASES) process.stdout.write(`${c.name.padEnd(16)} ${c.what}\n`);
  process.exit(0);
}
const wanted = (values.only ?? CASES.map((c) => c.name).join(',')).split(',');
const unknown = wanted.filter((w) => !CASES.some((c) => c.name === w));
if (unknown.length) throw new Error(`--only: unknown case(s) ${unknown.join(', ')}; known: ${CASES.map((c) => c.name).join(', ')}`);

const screen = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'screen.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
const flags = (gen: Record<string, string>) => Object.entries(gen).flatMap(([k, v]) => [`--${k}`, v]);

/** Block groups of screen_core's instances (by instance name, see generators/designs/upscaler/core.ts). */
function group(inst: string, module: string): string {
  if (module.startsWith('conv_')) return 'conv_units';
  if (module.startsWith('line_buffer')) return 'line_buffers';
  if (module.startsWith('gru_')) return 'gru_elementwise';
  if (inst === 'u_unpack') return 'cell_unpack';
  if (inst === 'u_pack' || inst === 'u_cell_fifo') return 'cell_pack_fifo';
  if (inst === 'u_skip_add' || inst === 'u_head_slice') return 'skip_add';
  return 'other';
}

interface NetModule {
  cells: Record<string, { type: string }>;
}
/** Instance -> module of every submodule cell of `parent` in a Yosys JSON netlist. */
function children(netlist: { modules: Record<string, NetModule> }, parent: string): { inst: string; module: string }[] {
  const mods = netlist.modules;
  const p = mods[parent];
  if (!p) throw new Error(`module ${parent} is not in the netlist`);
  return Object.entries(p.cells)
    .filter(([, c]) => mods[c.type] !== undefined)
    .map(([inst, c]) => ({ inst, module: c.type }))
    .sort((a, b) => a.inst.localeCompare(b.inst));
}

// The generator the RTL came from: HEAD, plus '+dirty' when generators/ has uncommitted changes.
const git = (args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();
const rtlCommit = `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--', 'generators']) ? '+dirty' : ''}`;
const work = mkdtempSync(join(tmpdir(), 'screen-bench-area-levers-'));
const results: Record<string, unknown>[] = [];
try {
  for (const c of CASES.filter((x) => wanted.includes(x.name))) {
    const prof = screen(['profile', ...flags(c.gen), '--json']);
    if (prof.status !== 0 && prof.status !== 1) throw new Error(`screen profile ${c.name} failed (exit ${prof.status}):\n${prof.stderr.slice(-2000)}`);
    const p = JSON.parse(prof.stdout) as { macs: number; fps: number; cycles_per_frame: number; onchip_memory_bits: number };
    const args = ['synth', '--design', 'top', '--memories', 'macro', ...Object.entries(c.gen).flatMap(([k, v]) => ['--gen-arg', `${k}=${v}`]), '--corner', 'tt', '--sta-corners', 'tt,ss', '--clock-mhz', '180', '--allow-violations', '--json', '--out', join(work, c.name)];
    process.stderr.write(`[bench] ${c.name}: screen ${args.join(' ')}\n`);
    const t0 = performance.now();
    const r = screen(args);
    const wall = (performance.now() - t0) / 1000;
    writeFileSync(join(work, `${c.name}.json`), r.stdout);
    if (r.status !== 0) throw new Error(`screen synth ${c.name} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    const j = JSON.parse(r.stdout) as SynthReport;
    const ss = j.corners.find((x) => x.corner === 'ss');
    const netlist = JSON.parse(readFileSync(j.outputs.json_netlist, 'utf8')) as { modules: Record<string, NetModule> };
    const byModule = new Map(j.modules.map((m) => [m.module, m]));
    // Flops of a module including its submodules (the report's `flops` are the module's own).
    const flopMemo = new Map<string, number>();
    const totalFlops = (mod: string): number => {
      if (!flopMemo.has(mod)) flopMemo.set(mod, (byModule.get(mod)?.flops ?? 0) + children(netlist, mod).reduce((a, ch) => a + totalFlops(ch.module), 0));
      return flopMemo.get(mod)!;
    };
    const blocks = children(netlist, 'screen_core').map(({ inst, module }) => {
      const m = byModule.get(module);
      if (!m) throw new Error(`module ${module} (${inst}) has no area in the report`);
      return { inst, module, group: group(inst, module), area_um2: Math.round(m.total_area_um2), macro_um2: Math.round(m.macro_area_um2), flops: totalFlops(module) };
    });
    const groups: Record<string, { area_mm2: number; macro_mm2: number; flops: number }> = {};
    for (const b of blocks) {
      const g = (groups[b.group] ??= { area_mm2: 0, macro_mm2: 0, flops: 0 });
      g.area_mm2 += b.area_um2 / 1e6;
      g.macro_mm2 += b.macro_um2 / 1e6;
      g.flops += b.flops;
    }
    const core = byModule.get('screen_core')!;
    const coreChildren = blocks.reduce((a, b) => a + b.area_um2, 0);
    (groups.other ??= { area_mm2: 0, macro_mm2: 0, flops: 0 }).area_mm2 += (j.area_um2 - coreChildren) / 1e6; // screen_top, its register file and screen_core's own cells
    for (const g of Object.values(groups)) {
      g.area_mm2 = Math.round(g.area_mm2 * 1e4) / 1e4;
      g.macro_mm2 = Math.round(g.macro_mm2 * 1e4) / 1e4;
    }
    results.push({
      name: c.name,
      what: c.what,
      date: new Date().toISOString(),
      rtl_commit: rtlCommit,
      config: c.gen,
      profile_command: `npx screen profile ${flags(c.gen).join(' ')}`,
      synth_command: `npx screen ${args.slice(0, -2).join(' ')}`,
      macs: p.macs,
      fps: Math.round(p.fps * 100) / 100,
      cycles_per_frame: p.cycles_per_frame,
      wall_s: Math.round(wall),
      synth_s: j.synth_seconds,
      area_mm2: j.area_mm2,
      logic_area_mm2: Math.round(j.logic_area_um2) / 1e6,
      macro_area_mm2: Math.round(j.macro_area_um2) / 1e6,
      cells: j.cells,
      flops: j.flops,
      memory_bits: j.memory_bits,
      fmax_tt_mhz: j.fmax_mhz,
      fmax_ss_mhz: ss?.fmax_mhz,
      critical_path_tt: j.critical_path && { startpoint: j.critical_path.startpoint, endpoint: j.critical_path.endpoint, stages: j.critical_path.stages, delay_ns: j.critical_path.delay_ns },
      critical_path_ss: ss?.critical_path && { startpoint: ss.critical_path.startpoint, endpoint: ss.critical_path.endpoint, stages: ss.critical_path.stages },
      power_mw: j.power_mw,
      max_fanout_logic: j.max_fanout_logic && { net: j.max_fanout_logic.net, module: j.max_fanout_logic.module, fanout: j.max_fanout_logic.fanout },
      groups,
      blocks,
      core_own_um2: Math.round(core.own_area_um2),
    });
    process.stderr.write(`[bench]   ${c.name}: ${wall.toFixed(0)} s, ${j.area_mm2} mm² (${(j.macro_area_um2 / 1e6).toFixed(3)} macros), ${p.fps.toFixed(2)} fps, fmax tt ${j.fmax_mhz} / ss ${ss?.fmax_mhz} MHz\n`);
    // Write after every case, so a long run that is stopped keeps what it finished.
    save(results);
  }
  rmSync(work, { recursive: true, force: true });
} catch (e) {
  process.stderr.write(`[bench] failed; work directory kept: ${work}\n`);
  throw e;
}

function save(fresh: Record<string, unknown>[]) {
  const doc = {
    bench: 'area_levers',
    date: new Date().toISOString(),
    clock_mhz: 180,
    native_yosys: nativeYosysVersion(),
    notes: [
      'one full screen_top synthesis per case (screen synth --design top, memories as macros at the OpenRAM figure), on the shared 2-core machine under nice',
      'fps from screen profile of the same config (720p -> 1080p at 180 MHz); ss timing is the tt-mapped netlist timed with the ss liberty',
      'groups: area of screen_core\'s block instances by kind (total incl. submodules and macros); other = screen_top, register file, joins/forks, crop, reset copies',
    ],
    results: mergeKept(fresh),
  };
  const json = JSON.stringify(doc, null, 2);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, json + '\n');
  return json;
}

/** Cases not run this time (--only) keep their earlier entry from the output file, with its own date. */
function mergeKept(fresh: Record<string, unknown>[]): Record<string, unknown>[] {
  const old = existsSync(values.out) ? (JSON.parse(readFileSync(values.out, 'utf8')) as { results?: Record<string, unknown>[] }) : {};
  return CASES.map((c) => fresh.find((f) => f.name === c.name) ?? old.results?.find((x) => x.name === c.name)).filter((r): r is Record<string, unknown> => !!r);
}
process.stdout.write(readFileSync(values.out, 'utf8'));
