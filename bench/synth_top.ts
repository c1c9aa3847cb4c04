// Synthesis wall time and results of the accelerator top (screen_top, default config)
// next to the DSL MAC array, through the same path as `screen synth --design ...`
// (RTL from `screen gen`, Yosys, OpenSTA at tt and ss on the tt-mapped netlist).
// Prints JSON and writes bench/results/synth_top.json. Takes tens of minutes on the
// shared 2-core machine: run it under nice.
//   nice npx tsx bench/synth_top.ts [--only mac-array,top,top-loaded] [--memories macro|flops] [--top-rtl DIR] [--out FILE]
// Cases left out by --only keep their previous entry in the output file (each entry has its own date).
// --top-rtl DIR: synthesise screen_top from Verilog already generated there (`screen gen --design top --out DIR`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../flows/paths.ts';
import type { MemoryImpl } from '../flows/synth/macros.ts';
import type { SynthReport } from '../flows/synth/run.ts';
import { nativeYosysVersion } from '../flows/yosys.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'mac-array,top' },
    memories: { type: 'string', default: 'macro' },
    'top-rtl': { type: 'string' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/synth_top.json', import.meta.url)) },
  },
});

interface Case {
  name: string;
  args: string[];
}
const CASES: Case[] = [
  { name: 'mac-array', args: ['--design', 'mac-array', '--rows', '16', '--cols', '16', '--quant-bits', '8'] },
  {
    name: 'top',
    args: [
      '--design', 'top', '--memories', values.memories as MemoryImpl,
      ...(values['top-rtl'] ? ['--top', 'screen_top', '--verilog', ...readdirSync(values['top-rtl']).filter((f) => f.endsWith('.v')).sort().map((f) => join(values['top-rtl']!, f))] : []),
    ],
  },
  // The same chip with its weights loaded at start-up (hwParams.weightSource 'loaded': flip-flop tables, s_axis_weights).
  { name: 'top-loaded', args: ['--design', 'top', '--weight-source', 'loaded', '--memories', values.memories as MemoryImpl] },
];
const wanted = values.only.split(',');
const unknown = wanted.filter((w) => !CASES.some((c) => c.name === w));
if (unknown.length) throw new Error(`--only: unknown case(s) ${unknown.join(', ')}; known: ${CASES.map((c) => c.name).join(', ')}`);

const work = mkdtempSync(join(tmpdir(), 'screen-bench-synth-top-'));
const results: Record<string, unknown>[] = [];
try {
  for (const c of CASES.filter((x) => wanted.includes(x.name))) {
    // The CLI, as a user runs it: generation + synthesis + STA in one process.
    const args = ['synth', ...c.args, '--corner', 'tt', '--sta-corners', 'tt,ss', '--clock-mhz', '180', '--allow-violations', '--json', '--out', join(work, c.name)];
    process.stderr.write(`[bench] screen ${args.join(' ')}\n`);
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'screen.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
    const wall = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`screen synth ${c.name} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    const j = JSON.parse(r.stdout) as SynthReport;
    const ss = j.corners.find((x) => x.corner === 'ss');
    results.push({
      name: c.name,
      date: new Date().toISOString(),
      command: `npx screen ${args.slice(0, -2).join(' ')}`,
      wall_s: Math.round(wall * 10) / 10,
      synth_s: j.synth_seconds,
      sta_s: j.sta_seconds,
      yosys: `${j.tool_versions.yosys} [${j.tool_versions.yosys_engine}]`,
      area_mm2: j.area_mm2,
      logic_area_mm2: Math.round(j.logic_area_um2) / 1e6,
      macro_area_mm2: Math.round(j.macro_area_um2) / 1e6,
      cells: j.cells,
      flops: j.flops,
      memory_bits: j.memory_bits,
      memory_mode: j.memory_mode,
      memories: j.memories.map((m) => ({ path: m.paths[0], instances: m.instances, shape: `${m.depth}x${m.width}`, bits: m.bits, implementation: m.implementation, too_slow_for_clock: m.too_slow_for_clock })),
      modules: [...j.modules].sort((a, b) => b.total_area_um2 * b.instances - a.total_area_um2 * a.instances).slice(0, 12).map((m) => ({ module: m.module, instances: m.instances, area_um2: m.total_area_um2, macro_um2: m.macro_area_um2 })),
      tt: { worst_slack_ns: j.worst_slack_ns, tns_ns: j.tns_ns, fmax_mhz: j.fmax_mhz, fmax_reg2reg_mhz: j.fmax_reg2reg_mhz, critical_path: j.critical_path },
      ss: ss && { worst_slack_ns: ss.worst_slack_ns, tns_ns: ss.tns_ns, fmax_mhz: ss.fmax_mhz, fmax_reg2reg_mhz: ss.fmax_reg2reg_mhz, critical_path: ss.critical_path },
      power_mw: j.power_mw,
      activity: j.activity_source,
      max_fanout: j.max_fanout,
      max_fanout_logic: j.max_fanout_logic,
      top_fanout: j.top_fanout,
      abc_delay_target_ps: j.abc_delay_target_ps,
      wire_model: j.wire_model,
      notes: j.notes,
    });
    process.stderr.write(`[bench]   ${c.name}: ${wall.toFixed(0)} s, ${j.area_mm2} mm², fmax tt ${j.fmax_mhz} / ss ${ss?.fmax_mhz} MHz\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const doc = {
  bench: 'synth_top',
  date: new Date().toISOString(),
  clock_mhz: 180,
  native_yosys: nativeYosysVersion(),
  notes: [
    'wall_s = screen gen + Yosys + OpenSTA (tt and ss) for one design, on the shared 2-core machine under nice (other jobs share it)',
    'mac-array = generators/blocks/mac_array 16x16 int8 x int8 (pipelined); top = screen_top, default config (crnn_q8, cellCycles 16, stripeCells 64); top-loaded = the same with weightSource loaded',
    'ss timing is the tt-mapped netlist timed with the ss liberty',
    ...(values['top-rtl'] ? [`top: RTL read from ${values['top-rtl']} (--top-rtl), not regenerated from this tree`] : []),
  ],
  results: mergeKept(results),
};

/** Cases not run this time (--only) keep their earlier entry from the output file, with its own date. */
function mergeKept(fresh: Record<string, unknown>[]): Record<string, unknown>[] {
  if (!existsSync(values.out)) return fresh;
  const old = (JSON.parse(readFileSync(values.out, 'utf8')) as { date?: string; results?: Record<string, unknown>[] });
  const earlier = (name: string) => {
    const r = old.results?.find((x) => x.name === name);
    return r && { ...r, date: r.date ?? old.date };
  };
  return CASES.map((c) => fresh.find((f) => f.name === c.name) ?? earlier(c.name)).filter((r): r is Record<string, unknown> => !!r);
}
const json = JSON.stringify(doc, null, 2);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, json + '\n');
process.stdout.write(json + '\n');
