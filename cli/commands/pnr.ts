// `screen pnr`: OpenROAD-flow-scripts config for sky130hd (and the ORFS run when installed).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { choiceOption, numOption, stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { DESIGN_SOURCE_OPTIONS, resolveSources } from '../design-sources.ts';
import { REPO_ROOT } from '../../flows/paths.ts';
import { AREA_BUDGET_MM2, planFloorplan } from '../../flows/pnr/floorplan.ts';
import { checkOrfsDesign, orfsAvailable, runOrfs, writeOrfsDesign } from '../../flows/pnr/orfs.ts';
import { renderSdc } from '../../flows/sdc.ts';
import { MACRO_DESIGNS, MEMORY_IMPLS, type MemoryImpl } from '../../flows/synth/macros.ts';
import { synthesize, type SynthReport } from '../../flows/synth/run.ts';

export const command: Command = {
  name: 'pnr',
  summary: 'write an OpenROAD-flow-scripts sky130hd config for a design and run it when OpenROAD is installed',
  usage: '--design <name> [--rows R --cols C ...] [--verilog <file> ... --top <module>] [--clock-mhz 180] [--utilization 0.5]',
  options: {
    design: { type: 'string', arg: 'NAME', help: "design: mac-array-fixture, any design 'screen gen' knows, or a name for --verilog files" },
    ...DESIGN_SOURCE_OPTIONS,
    'clock-mhz': { type: 'string', arg: 'MHZ', default: '180', help: 'target clock' },
    utilization: { type: 'string', arg: 'U', default: '0.5', help: 'core utilisation (standard-cell area / core area)' },
    aspect: { type: 'string', arg: 'W/H', default: '1', help: 'core aspect ratio' },
    'margin-um': { type: 'string', arg: 'UM', default: '10', help: 'core-to-die margin for the power ring' },
    'place-density': { type: 'string', arg: 'D', help: 'ORFS PLACE_DENSITY (default: utilisation + 0.1, within [0.6, 0.9])' },
    'budget-mm2': { type: 'string', arg: 'MM2', default: String(AREA_BUDGET_MM2), help: 'die area budget' },
    out: { type: 'string', arg: 'DIR', help: 'ORFS design directory to write (default build/pnr/<design>)' },
    work: { type: 'string', arg: 'DIR', help: 'scratch directory for the sizing synthesis (default build/pnr-work/<design>)' },
    'pdk-root': { type: 'string', arg: 'DIR', help: 'PDK root for the sizing synthesis (default $PDK_ROOT, else ../shared/pdk)' },
    'synth-json': { type: 'string', arg: 'FILE', help: "size from this 'screen synth --json' report of the same design and clock instead of synthesising again" },
    memories: { type: 'string', arg: 'macro|flops', help: `inferred RAMs as black-box macros (core area reserved for them) or flip-flops; default macro for ${MACRO_DESIGNS.join(', ')}` },
    'clock-port': { type: 'string', arg: 'PORT', default: 'clk', help: 'clock port' },
    'reset-port': { type: 'string', arg: 'PORT', help: 'reset port, given a false path; default rst_n when present' },
  },
  details: `
The core is sized from a Yosys synthesis of the design (Sky130 hd tt cell area / utilisation),
snapped to the unithd site grid, plus a margin for the power ring; the die must fit the budget.
Writes <out>/config.mk, constraint.sdc (same template as screen synth), src/ and screen-pnr.json,
then checks them for consistency. When 'openroad' is on PATH and $FLOW_HOME points at
OpenROAD-flow-scripts/flow, runs 'make -C $FLOW_HOME DESIGN_CONFIG=<out>/config.mk'.
Exit 0: configs written and consistent (ORFS ran, or is not installed: the output says so).
Exit 1: inconsistent config, over the area budget, or ORFS failed. Exit 2: bad usage/input.`,
  async run(ctx: CommandContext) {
    const design = stringOption(ctx.opts, 'design');
    if (!design) throw new UsageError('--design is required (e.g. --design mac-array-fixture, or --design NAME --verilog FILE ...)');
    if (!/^[\w.-]+$/.test(design)) throw new UsageError(`--design must be a plain name (letters, digits, _ . -), got '${design}'`);
    const clockMhz = numOption(ctx.opts, 'clock-mhz', 180, 1, 2000);
    const utilization = numOption(ctx.opts, 'utilization', 0.5, 0.05, 0.9);
    const out = resolve(stringOption(ctx.opts, 'out') ?? join(REPO_ROOT, 'build', 'pnr', design));
    const work = resolve(stringOption(ctx.opts, 'work') ?? join(REPO_ROOT, 'build', 'pnr-work', design));
    const src = resolveSources(ctx, design, work);
    const memories = choiceOption<MemoryImpl>(ctx.opts, 'memories', MACRO_DESIGNS.includes(design) ? 'macro' : 'flops', MEMORY_IMPLS);

    const synthJson = stringOption(ctx.opts, 'synth-json');
    const syn = synthJson ? readSynthReport(synthJson, clockMhz) : await synthesize({
      design,
      ...src,
      corner: 'tt',
      clockMhz,
      workDir: join(work, 'synth'),
      pdkRoot: stringOption(ctx.opts, 'pdk-root'),
      clockPort: stringOption(ctx.opts, 'clock-port'),
      resetPort: stringOption(ctx.opts, 'reset-port'),
      memories,
      log: ctx.log,
    });
    ctx.log(synthJson ? `[pnr] sizing ${design} from ${synthJson}` : `[pnr] sized ${design} by a synthesis at tt, ${clockMhz} MHz`);
    const floorplan = planFloorplan({
      cellAreaUm2: syn.logic_area_um2,
      macroAreaUm2: syn.macro_area_um2,
      utilization,
      aspect: numOption(ctx.opts, 'aspect', 1, 0.1, 10),
      marginUm: numOption(ctx.opts, 'margin-um', 10, 0, 500),
      budgetMm2: numOption(ctx.opts, 'budget-mm2', AREA_BUDGET_MM2, 0.001, 1000),
    });
    const sdc = renderSdc({
      design,
      clockMhz,
      inputs: syn.ports.inputs,
      outputs: syn.ports.outputs,
      clockPort: stringOption(ctx.opts, 'clock-port'),
      resetPort: stringOption(ctx.opts, 'reset-port'),
    });
    const density = ctx.opts['place-density'] === undefined ? undefined : numOption(ctx.opts, 'place-density', 0.6, 0.05, 1);
    const written = writeOrfsDesign(out, {
      design,
      top: syn.top,
      files: src.files,
      params: src.params,
      clockMhz,
      sdc,
      floorplan,
      cellAreaUm2: syn.logic_area_um2,
      areaCorner: 'tt',
      placeDensity: density,
      regenArgs: regenArgs(ctx),
      macros: syn.memories.filter((m) => m.macro_cell).map((m) => ({ cell: m.macro_cell!, paths: m.paths, area_um2: m.area_um2! })),
      macroLiberty: syn.outputs.macro_liberty,
    });
    const problems = checkOrfsDesign(out);
    const tools = orfsAvailable();
    let orfs: { ran: boolean; log?: string; seconds?: number; note: string };
    if (problems.length) orfs = { ran: false, note: 'not run: the config is inconsistent' };
    else if (!tools.openroad) {
      orfs = { ran: false, note: "OpenROAD is not installed ('openroad' not on PATH): configs written, place and route not run" };
    } else if (!tools.flowHome) {
      orfs = { ran: false, note: 'openroad found but $FLOW_HOME is unset or has no Makefile (set it to OpenROAD-flow-scripts/flow): configs written, not run' };
    } else {
      const r = await runOrfs(written.config, tools.flowHome, ctx.log);
      orfs = { ran: true, log: r.logPath, seconds: Math.round(r.seconds), note: `ORFS finished; results under ${tools.flowHome}/results/sky130hd/` };
    }
    const json = {
      design,
      top: syn.top,
      dir: written.dir,
      config: written.config,
      sdc: written.sdc,
      clock_mhz: clockMhz,
      cell_area_um2: syn.logic_area_um2,
      synth: { area_mm2: syn.area_mm2, fmax_mhz: syn.fmax_mhz, flops: syn.flops },
      floorplan,
      checks: problems,
      openroad: { installed: tools.openroad, flow_home: tools.flowHome, ...orfs },
    };
    const text = [
      `wrote ${written.config}`,
      `      ${written.sdc}`,
      `floorplan: die ${floorplan.die.join(' ')} µm (${floorplan.dieAreaMm2} mm² of ${floorplan.budgetMm2}), core ${floorplan.core.join(' ')} µm at ${utilization * 100} % utilisation of ${syn.logic_area_um2.toFixed(0)} µm² cells`,
      problems.length ? `config check FAILED:\n  ${problems.join('\n  ')}` : 'config check: consistent',
      `openroad: ${orfs.note}`,
    ].join('\n');
    return { exitCode: problems.length ? 1 : 0, json, text };
  },
};

/** A saved `screen synth --json` report, checked to be a tt report at this clock. */
function readSynthReport(path: string, clockMhz: number): SynthReport {
  let r: SynthReport;
  try {
    r = JSON.parse(readFileSync(path, 'utf8')) as SynthReport;
  } catch (e) {
    throw new UsageError(`--synth-json: cannot read '${path}': ${(e as Error).message}`);
  }
  if (typeof r.logic_area_um2 !== 'number' || !Array.isArray(r.memories) || !r.ports) throw new UsageError(`--synth-json: '${path}' is not a 'screen synth --json' report`);
  if (r.clock_mhz !== clockMhz) throw new UsageError(`--synth-json: '${path}' was synthesised at ${r.clock_mhz} MHz, not --clock-mhz ${clockMhz}`);
  if (r.corner !== 'tt') throw new UsageError(`--synth-json: '${path}' is a ${r.corner} report; the floorplan is sized from tt`);
  return r;
}

/** The options of this run as flags, for the config header (design and output excluded). */
function regenArgs(ctx: CommandContext): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(ctx.opts)) {
    if (k === 'design' || k === 'json' || k === 'out' || k === 'work' || k === 'help' || v === undefined || v === false) continue;
    if (v === true) out.push(`--${k}`);
    else for (const x of Array.isArray(v) ? v : [v]) out.push(`--${k}`, /^[\w.,/=+-]+$/.test(x) ? x : JSON.stringify(x));
  }
  return out.join(' ');
}
