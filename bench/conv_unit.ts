// conv_unit: area, flip-flops, Fmax (Yosys 0.23 + OpenSTA, Sky130 hd, 180 MHz target, hierarchy
// kept) for a realistic layer shape with random constants, plus the sustained rate and latency
// measured in Verilator (bit-exact against the model).
// Prints JSON and writes bench/results/conv_unit.json.
//   nice npx tsx bench/conv_unit.ts [--T 144] [--cout 16] [--cpar 1] [--P 144] [--wbits 8] [--quick [--corner tt] [--adder ripple] [--tree-levels 2] [--weights baked|loaded]] [--out FILE]
// Cases: the default build (treeLevels 2) at tt and ss, treeLevels 1 and 3 at tt; --quick runs
// one case (--adder kogge-stone: flows/synth's Kogge-Stone carries; --weights loaded: the
// start-up loaded variant, its words sent on s_axis_w before the cells).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Corner } from '../flows/pdk.ts';
import { synthesize } from '../flows/synth/run.ts';
import type { AdderArch } from '../flows/synth/script.ts';
import { packLanes } from '../generators/blocks/bits.ts';
import { buildConvUnit } from '../generators/blocks/conv_unit/index.ts';
import { loadWords } from '../generators/blocks/conv_unit/loader.ts';
import { convUnitAccBits, convUnitCycles, convUnitModel, type ConvUnitConfig } from '../generators/blocks/conv_unit/model.ts';
import { elaborate, writeVerilog } from '../generators/core/index.ts';
import { assertBeatsEqual, runStreamSim } from '../sim/index.ts';

const { values } = parseArgs({
  options: {
    T: { type: 'string', default: '144' },
    cout: { type: 'string', default: '16' },
    cpar: { type: 'string', default: '1' },
    P: { type: 'string', default: '144' },
    wbits: { type: 'string', default: '8' },
    corner: { type: 'string', default: 'tt' },
    adder: { type: 'string', default: 'ripple' },
    quick: { type: 'boolean', default: false },
    'tree-levels': { type: 'string', default: '2' },
    weights: { type: 'string', default: 'baked' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/conv_unit.json', import.meta.url)) },
  },
});
const [T, cout, cpar, P, wBits] = [values.T, values.cout, values.cpar, values.P, values.wbits].map(Number);

/** Deterministic PRNG (mulberry32), as in the block tests. */
function prng(seed: number) {
  let a = seed >>> 0;
  return (lo: number, hi: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (((t ^ (t >>> 14)) >>> 0) % (hi - lo + 1));
  };
}
const rnd = prng(2024);
const wmax = 2 ** (wBits - 1) - 1;
const cfg: ConvUnitConfig = {
  name: `conv_unit_bench_t${T}_c${cout}_p${cpar}x${P}`,
  T,
  cout,
  cpar,
  P,
  passBits: 0,
  wBits,
  weights: Array.from({ length: T * cout }, () => rnd(-wmax, wmax)),
  bias: Array.from({ length: cout }, () => rnd(-20000, 20000)),
  M: Array.from({ length: cout }, () => rnd(2 ** 14, 2 ** 15 - 1)),
  S: Array.from({ length: cout }, () => rnd(20, 26)),
  lo: 0,
  hi: 127,
};
/** The register a flop instance of the netlist drives (its Q net), so paths read as RTL names. */
function flopNet(netlist: string, inst: string): string {
  const i = netlist.indexOf(` ${inst} (`);
  const m = i < 0 ? null : /\.Q\(\\?([^)\s]+)\s*\)/.exec(netlist.slice(i, i + 400));
  return m ? m[1] : inst;
}

if (values.weights !== 'baked' && values.weights !== 'loaded') throw new Error(`--weights ${values.weights}: expected baked or loaded`);
interface Case {
  weightSource: 'baked' | 'loaded';
  treeLevels: number;
  adder: AdderArch;
  corner: Corner;
}
// The default build at tt and ss, then the tree register spacing at tt. (Kogge-Stone carries,
// --adder, only touch the accumulator and requantiser adds: the tree has no carry-propagate adder.)
const cases: Case[] = values.quick
  ? [{ weightSource: values.weights, treeLevels: Number(values['tree-levels']), adder: values.adder as AdderArch, corner: values.corner as Corner }]
  : [
      { weightSource: 'baked', treeLevels: 2, adder: 'ripple', corner: 'tt' },
      { weightSource: 'baked', treeLevels: 2, adder: 'ripple', corner: 'ss' },
      { weightSource: 'baked', treeLevels: 1, adder: 'ripple', corner: 'tt' },
      { weightSource: 'baked', treeLevels: 3, adder: 'ripple', corner: 'tt' },
    ];
const cells = Array.from({ length: 64 }, (_, k) => ({ data: packLanes(Array.from({ length: T }, () => rnd(-128, 127)), 8), last: k % 16 === 15, user: k === 0 }));
const expected = convUnitModel(cfg, cells);
const results: Record<string, unknown>[] = [];
const work = mkdtempSync(join(tmpdir(), 'screen-bench-conv-unit-'));
const simOuts = new Map<string, { outs: { cycle: number }[]; firstAccept: number; loadCycles?: number }>();
try {
  for (const [i, c] of cases.entries()) {
    const loaded = c.weightSource === 'loaded';
    const info = buildConvUnit({ ...cfg, treeLevels: c.treeLevels, weightSource: c.weightSource });
    const design = elaborate(info.module);
    // Sustained rate and latency in Verilator: 64 random cells, input always valid, output always
    // ready; once per RTL (adders and corner are synthesis options). Loaded: the words go first
    // on s_axis_w; the unit holds the cells until the table is complete.
    const key = `${c.weightSource}/${c.treeLevels}`;
    let simr = simOuts.get(key);
    if (!simr) {
      const words = loadWords(cfg).map((w, k, a) => ({ data: w, last: k === a.length - 1 }));
      const sim = await runStreamSim({ design, inputs: loaded ? { s_axis_w: words, s_axis: cells } : { s_axis: cells }, expect: loaded ? { m_axis: cells.length, m_axis_w: 0 } : { m_axis: cells.length }, seed: 1 });
      assertBeatsEqual(expected, sim.outputs.m_axis, { label: 'bench conv_unit' });
      // Input always valid: the stall cycles are the wait for the table plus N-1 per later cell.
      const N = convUnitCycles(cfg);
      const firstAccept = 1 + sim.inputs.s_axis.stallCycles - (cells.length - 1) * (N - 1);
      simr = { outs: sim.outputs.m_axis, firstAccept, loadCycles: loaded ? sim.inputs.s_axis_w.doneCycle : undefined };
      simOuts.set(key, simr);
    }
    const outs = simr.outs;
    const files = writeVerilog(design, join(work, `rtl${i}`));
    process.stderr.write(`[bench] synthesising ${cfg.name}, ${c.weightSource} weights, treeLevels ${c.treeLevels}, ${c.adder} adders, ${c.corner} ...\n`);
    const t0 = performance.now();
    const r = await synthesize({ design: cfg.name, files, top: design.top.name, corner: c.corner, clockMhz: 180, workDir: join(work, `synth${i}`), adder: c.adder, log: (m) => process.stderr.write(m + '\n') });
    const wall = (performance.now() - t0) / 1000;
    const netlist = readFileSync(resolve(r.work_dir, r.outputs.netlist), 'utf8');
    const cp = r.critical_path;
    results.push({
      ...c,
      latency: info.latency,
      measured_latency: outs[0].cycle - simr.firstAccept,
      ...(loaded ? { load_words: loadWords(cfg).length, measured_load_cycles: simr.loadCycles } : {}),
      measured_cycles_per_cell: (outs[outs.length - 1].cycle - outs[0].cycle) / (outs.length - 1),
      fifo_depth: info.fifoDepth,
      tree_stages: info.treeStages,
      corner: r.corner,
      wall_s: Math.round(wall * 10) / 10,
      synth_s: r.synth_seconds,
      sta_s: r.sta_seconds,
      area_um2: r.area_um2,
      area_mm2: r.area_mm2,
      cells: r.cells,
      flops: r.flops,
      worst_slack_ns: r.worst_slack_ns,
      fmax_mhz: r.fmax_mhz,
      fmax_reg2reg_mhz: r.fmax_reg2reg_mhz,
      critical_path: cp && { kind: cp.kind, stages: cp.stages, delay_ns: cp.delay_ns, from: flopNet(netlist, cp.startpoint), to: flopNet(netlist, cp.endpoint) },
      max_fanout_logic: r.max_fanout_logic,
      modules: r.modules.map((x) => ({ module: x.module, instances: x.instances, flops: x.flops, total_area_um2: x.total_area_um2 })),
      power_mw: r.power_mw,
    });
    process.stderr.write(`[bench]   ${wall.toFixed(1)} s, ${r.area_mm2} mm², ${r.flops} flops, fmax ${r.fmax_mhz} MHz (${cp ? `${flopNet(netlist, cp.startpoint)} -> ${flopNet(netlist, cp.endpoint)}` : 'no path'})\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const doc = {
  bench: 'conv_unit',
  date: new Date().toISOString(),
  shape: { T, cout, cpar, P, wBits, macs: cpar * P },
  weights: values.quick ? values.weights : 'baked',
  constants: 'random (seed 2024): weights uniform in +-(2^(wBits-1)-1), |B| <= 20000, M in [2^14, 2^15), S in [20, 26], ReLU clamp [0, 127]',
  cycles_per_cell: convUnitCycles(cfg),
  acc_bits: convUnitAccBits(cfg),
  sim_bit_exact_cells: cells.length,
  results,
  notes: [
    'Yosys 0.23 + OpenSTA through flows/synth (screen synth): no wire load, no placement, no buffer insertion; hierarchy kept',
    'wall_s = Yosys + OpenSTA on the shared 2-core machine under nice',
  ],
};
const json = JSON.stringify(doc, null, 2);
mkdirSync(dirname(values.out!), { recursive: true });
// A loaded --quick run into the stored file goes under its "loaded" key, next to the baked cases.
const defaultOut = fileURLToPath(new URL('./results/conv_unit.json', import.meta.url));
if (values.weights === 'loaded' && resolve(values.out!) === defaultOut) {
  let stored: Record<string, unknown> = {};
  try {
    stored = JSON.parse(readFileSync(defaultOut, 'utf8'));
  } catch {
    // no stored baked results yet
  }
  writeFileSync(defaultOut, JSON.stringify({ ...stored, loaded: doc }, null, 2) + '\n');
} else writeFileSync(values.out!, json + '\n');
process.stdout.write(json + '\n');
