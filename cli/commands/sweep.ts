// `screen sweep`: the design-space sweep (profile + reference MAC-array synthesis over a grid of configs)
// into a CSV/JSON table and a Pareto plot; or the same jobs as a GNU Make file.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { choiceOption, intOption, stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { CORNERS, type Corner } from '../../flows/pdk.ts';
import { REPO_ROOT } from '../../flows/paths.ts';
import { DEFAULT_CACHE_DIR, uniqueJobs } from '../../flows/sweep/cache.ts';
import { checkGridValues, expandGrid, GRID_KNOBS, synthPoints, parseList, type KnobName, type SweepGrid } from '../../flows/sweep/grid.ts';
import { emitMakefile, shownPath } from '../../flows/sweep/make.ts';
import { loadBaseNet, runSweep, type ParetoOn, type SweepResult } from '../../flows/sweep/run.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';

const DEFAULTS: Record<KnobName, string> = { cell_cycles: '9,16,32', stripe: '32,64,128', quant_bits: '8', hidden_c: '12', n_gcr: '1' };

function readGrid(ctx: CommandContext): SweepGrid {
  const lists = {} as Record<KnobName, number[]>;
  const bad: string[] = [];
  for (const [k, { flag }] of Object.entries(GRID_KNOBS) as [KnobName, (typeof GRID_KNOBS)[KnobName]][]) {
    const p = parseList(flag, stringOption(ctx.opts, flag, DEFAULTS[k])!);
    lists[k] = p.values;
    bad.push(...p.bad);
  }
  checkGridValues(lists, bad);
  return {
    ...lists,
    corner: choiceOption<Corner>(ctx.opts, 'corner', 'tt', CORNERS),
    clock_mhz: intOption(ctx.opts, 'clock-mhz', 180, 10, 1000),
    target_fps: intOption(ctx.opts, 'fps', 30, 1, 1000),
    lr_width: intOption(ctx.opts, 'width', 1280, 8, 8192),
    lr_height: intOption(ctx.opts, 'height', 720, 8, 8192),
    base_net: resolve(stringOption(ctx.opts, 'weights') ?? DEFAULT_NET_WEIGHTS),
    array_rows: intOption(ctx.opts, 'array-rows', 8, 1, 64),
    array_cols: intOption(ctx.opts, 'array-cols', 8, 1, 64),
  };
}

function text(r: SweepResult): string {
  const f = (v: number | null, d = 1) => (v === null ? '–' : v.toFixed(d));
  const head = `${'config'.padEnd(22)} ${'MACs'.padStart(5)} ${'fps'.padStart(7)} ${'util%'.padStart(6)} ${'bound'.padStart(9)} ${'halo%'.padStart(6)} ${'mem kbit'.padStart(9)} ${'DRAM MB'.padStart(8)} ${'array'.padStart(7)} ${'memory'.padStart(7)} ${'total'.padStart(7)} ${'fmax'.padStart(6)} ${'PSNR'.padStart(6)}  pareto`;
  const lines = [
    `sweep: ${r.configs} configs, ${r.synth.jobs} synth jobs (${r.synth.from_cache} cached, ${r.synth.ran} run, ${r.synth.merged} merged, ${r.synth.failed.length} failed, ${r.synth.missing} without a result)`,
    `areas in mm²: ${r.area_label}`,
    '',
    head,
    ...r.rows.map(
      (x) =>
        `${x.id.padEnd(22)} ${String(x.macs).padStart(5)} ${f(x.fps).padStart(7)} ${(x.utilisation * 100).toFixed(1).padStart(6)} ${x.bound.padStart(9)} ${(x.halo_overhead * 100).toFixed(1).padStart(6)} ${(x.onchip_memory_bits / 1000).toFixed(1).padStart(9)} ${x.dram_mb_per_frame.toFixed(2).padStart(8)} ${f(x.array_area_mm2, 3).padStart(7)} ${f(x.memory_area_mm2, 3).padStart(7)} ${f(x.total_area_mm2, 3).padStart(7)} ${f(x.fmax_mhz, 0).padStart(6)} ${f(x.psnr_y_db, 2).padStart(6)}  ${x.pareto ? '*' : ''}`,
    ),
    '',
    `Pareto front (min area, max ${r.pareto_on}): ${r.pareto.length ? r.pareto.join(', ') : 'none (no synthesised reference array)'}`,
    `Pareto front among configs with measured PSNR: ${r.pareto_measured_psnr.length ? r.pareto_measured_psnr.join(', ') : 'none'}`,
    ...r.synth.failed.map((x) => `synth FAILED ${x.job.rows}x${x.job.cols} w${x.job.quant_bits}: ${x.error}`),
    `wrote ${shownPath(r.outputs.csv)}, ${shownPath(r.outputs.json)}, ${shownPath(r.outputs.svg)}`,
  ];
  return lines.join('\n');
}

export const command: Command = {
  name: 'sweep',
  summary: 'design-space sweep: profile + reference MAC-array synthesis over a grid of configs; table, Pareto plot, Makefile',
  usage: '[--cell-cycles 9,16,32] [--stripe 32,64,128] [--quant-bits 8,4] [--hidden-c 12] [--n-gcr 1] [-j N] [--out DIR] [--no-synth | --merge DIR | --emit-make FILE]',
  options: {
    'cell-cycles': { type: 'string', arg: 'LIST', default: DEFAULTS.cell_cycles, help: 'target cycles per grid cell of every pipeline stage (comma-separated)' },
    stripe: { type: 'string', arg: 'LIST', default: DEFAULTS.stripe, help: 'widest stripe in grid cells incl. halos (stripeCells)' },
    'quant-bits': { type: 'string', arg: 'LIST', default: DEFAULTS.quant_bits, help: 'weight bits (8, 6, 4): network and MACs' },
    'hidden-c': { type: 'string', arg: 'LIST', default: DEFAULTS.hidden_c, help: 'ConvGRU hidden channels' },
    'n-gcr': { type: 'string', arg: 'LIST', default: DEFAULTS.n_gcr, help: 'ConvGRU layers' },
    weights: { type: 'string', arg: 'FILE', help: 'base network (weights or config JSON) the knobs override (default weights/crnn_q8.json)' },
    'array-rows': { type: 'string', arg: 'R', default: '8', help: 'rows of the reference MAC array synthesised for the area/fmax of one MAC' },
    'array-cols': { type: 'string', arg: 'C', default: '8', help: 'columns of the reference MAC array' },
    corner: { type: 'string', arg: 'tt|ss', default: 'tt', help: 'liberty corner for synthesis' },
    'clock-mhz': { type: 'string', arg: 'MHZ', default: '180', help: 'clock: profile fps and synthesis target' },
    fps: { type: 'string', arg: 'FPS', default: '30', help: 'target frame rate' },
    width: { type: 'string', arg: 'PX', default: '1280', help: 'LR frame width' },
    height: { type: 'string', arg: 'PX', default: '720', help: 'LR frame height' },
    jobs: { type: 'string', short: 'j', arg: 'N', default: '1', help: 'synthesis jobs in parallel (worker processes)' },
    out: { type: 'string', arg: 'DIR', help: 'output directory for sweep.csv, sweep.json, pareto.svg (default build/sweep)' },
    'no-synth': { type: 'boolean', help: 'do not synthesise: use cached array results only (area empty otherwise)' },
    fresh: { type: 'boolean', help: 'ignore cached synthesis results and rerun them' },
    cache: { type: 'string', arg: 'DIR', help: 'synthesis cache (default build/sweep-cache)' },
    merge: { type: 'string', arg: 'DIR', help: "take every synth report from DIR (written by the --emit-make jobs) instead of synthesising" },
    'emit-make': { type: 'string', arg: 'FILE', help: 'write the jobs as a GNU Make file (one target per synth job + a merge target) and stop' },
    'psnr-from': { type: 'string', multiple: true, arg: 'FILE', help: "PSNR results: 'screen eval --json' output or { weights name: dB } (repeatable; default bench/results/quality.json when present)" },
    'pareto-on': { type: 'string', arg: 'fps|fps-at-fmax', default: 'fps', help: 'y of the Pareto front: fps at the clock, or fps with the clock capped at the array fmax' },
  },
  details: `
Each config = (cell_cycles, stripe, quant_bits, hidden_c, n_gcr) over the base network. fps,
utilisation, bound, memory and DRAM traffic come from 'screen profile' (the layer pipeline of
generators/designs/upscaler/plan.ts). Area is an ESTIMATE of MACs + memory, not the full chip: the
engine's MAC count x the cell area per MAC of a synthesised reference MAC array
('screen synth --design mac-array --rows R --cols C', --array-rows/--array-cols, default 8x8) +
on-chip RAM bits x 10 µm²/bit (SRAM) + register bits x 20 µm²/bit. Synthesis runs once per
quant_bits, cached in build/sweep-cache by a hash of (rows, cols, quant_bits, corner, clock).
PSNR is filled only for configs whose network knobs equal a weights/*.json and whose PSNR is in
a results file; it is never estimated.
Exit 1 when a synthesis job failed.`,
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`unexpected argument '${ctx.positionals[0]}'`);
    const grid = readGrid(ctx);
    // Cross-parameter checks and the base network, before any long job starts.
    const configs = expandGrid(grid, loadBaseNet(grid.base_net));
    const outDir = resolve(stringOption(ctx.opts, 'out') ?? join(REPO_ROOT, 'build', 'sweep'));
    const psnrFiles = ((ctx.opts['psnr-from'] as string[] | undefined) ?? []).map((p) => resolve(p));
    const paretoOn = choiceOption<ParetoOn>(ctx.opts, 'pareto-on', 'fps', ['fps', 'fps-at-fmax']);
    const parallel = intOption(ctx.opts, 'jobs', 1, 1, 256);
    const merge = stringOption(ctx.opts, 'merge');
    const emit = stringOption(ctx.opts, 'emit-make');
    const noSynth = Boolean(ctx.opts['no-synth']);
    const exclusive = [merge && '--merge', emit && '--emit-make', noSynth && '--no-synth'].filter(Boolean);
    if (exclusive.length > 1) throw new UsageError(`${exclusive.join(' and ')} cannot be combined`);

    if (emit) {
      const jobs = uniqueJobs(synthPoints(grid, configs), grid.corner, grid.clock_mhz);
      const mergeArgs = [...psnrFiles.flatMap((p) => ['--psnr-from', p]), '--pareto-on', paretoOn];
      const file = resolve(emit);
      const mk = emitMakefile({ grid, jobs, outDir, mergeArgs });
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, mk);
      ctx.log(`[sweep] wrote ${file}: ${jobs.length} synth target(s) + merge into ${outDir}`);
      return {
        exitCode: 0,
        json: { makefile: file, configs: configs.length, jobs: jobs.length, out: outDir, run: `make -j N -f ${file}` },
        text: `wrote ${shownPath(file)}: ${jobs.length} synth job(s) for ${configs.length} config(s); run 'make -j N -f ${shownPath(file)}' (table into ${shownPath(outDir)})`,
      };
    }
    const r = await runSweep({
      grid,
      mode: merge ? 'merge' : noSynth ? 'no-synth' : 'synth',
      mergeDir: merge ? resolve(merge) : undefined,
      parallel,
      cacheDir: resolve(stringOption(ctx.opts, 'cache') ?? DEFAULT_CACHE_DIR),
      fresh: Boolean(ctx.opts.fresh),
      outDir,
      psnrFiles,
      paretoOn,
      log: ctx.log,
    });
    return { exitCode: r.synth.failed.length ? 1 : 0, json: r, text: text(r) };
  },
};
