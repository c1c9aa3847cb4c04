// The synthesis + timing + power flow: Verilog -> Yosys (Sky130 hd) -> OpenSTA.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlowError } from '../errors.ts';
import { readLiberty, writeDontUseLiberty } from '../liberty.ts';
import { resolvePdk, type Corner } from '../pdk.ts';
import { periodNs, renderSdc, SDC_DEFAULTS } from '../sdc.ts';
import { runSta, staAvailable, type CriticalPath, type StaResult } from '../sta.ts';
import { runYosys, yosysAvailable, type YosysEngine } from '../yosys.ts';
import { listMemories, MACRO_MIN_DEPTH, macroizeNetlist, withMacroCells, writeMacroLiberty, DFF_TIMING_CELL, type InferredMemory, type MacroCell, type MemoryImpl } from './macros.ts';
import { MACRO_FIGURES, macroEstimate, type MacroEstimate, type MacroKind } from './memory.ts';
import { readNetlistJson, summarizeNetlist, type FanoutNet, type ModuleArea } from './netlist.ts';
import { abcConstraints, abcDelayTargetPs, KOGGE_STONE_MAP, SYNTH_OUTPUTS, yosysElabScript, yosysMapScript, yosysScript, type AdderArch } from './script.ts';
import { vcdInputActivity, type PortActivity } from './vcd.ts';

export interface SynthOptions {
  design: string;
  /** Verilog sources (any paths; copied into the work directory). */
  files: string[];
  top?: string;
  params?: Record<string, number>;
  /** Design configuration echoed into the report (rows, cols, ...). */
  config?: Record<string, unknown>;
  corner: Corner;
  clockMhz: number;
  workDir: string;
  pdkRoot?: string;
  flatten?: boolean;
  /** Carry-chain architecture (default ripple, Yosys's own). */
  adder?: AdderArch;
  /**
   * Fanout buffering and gate sizing in ABC (default true): with a constraint file ABC runs
   * `buffer; upsize; dnsize` after mapping, as OpenROAD-flow-scripts' synthesis does, so no
   * net inside a module is left driven by one small gate. Nets that cross module boundaries
   * are not buffered (ABC maps one module at a time).
   */
  buffering?: boolean;
  engine?: YosysEngine;
  /** Default toggle rate of primary inputs when no VCD is given. */
  inputActivity?: number;
  vcd?: string;
  /**
   * Inferred memories: 'flops' (Yosys memory_map, default) or 'macro' (every RAM at least
   * `macroMinDepth` words deep becomes a black-box SRAM macro, area from MACRO_FIGURES[macroKind]).
   */
  memories?: MemoryImpl;
  macroKind?: MacroKind;
  macroMinDepth?: number;
  /**
   * More corners to time the same netlist at (mapped with `corner`'s liberty): OpenSTA with each
   * corner's liberty. The report's `corners` lists every corner, `corner` first.
   */
  staCorners?: Corner[];
  /** Extra memory kept as SRAM macros outside the netlist (not in the RTL): area from published figures. */
  macros?: { kind: MacroKind; bits: number }[];
  clockPort?: string;
  resetPort?: string;
  ioFraction?: number;
  log?: (msg: string) => void;
}

export interface SynthReport {
  design: string;
  top: string;
  config: Record<string, unknown>;
  corner: Corner;
  clock_mhz: number;
  period_ns: number;
  /** Standard cells + memory macros, µm² / mm². */
  area_um2: number;
  area_mm2: number;
  logic_area_um2: number;
  macro_area_um2: number;
  cells: number;
  flops: number;
  latches: number;
  /** Bits of all inferred memories (every instance; macros and flip-flops) + extra macro bits. */
  memory_bits: number;
  /** How inferred memories were implemented: 'macro' or 'flops' (the option). */
  memory_mode: MemoryImpl;
  memories: MemoryReport[];
  modules: ModuleArea[];
  /** Top-level port names (buses once). */
  ports: { inputs: string[]; outputs: string[] };
  cell_types: Record<string, number>;
  wns_ns: number;
  tns_ns: number;
  worst_slack_ns: number;
  fmax_mhz: number;
  fmax_reg2reg_mhz: number | null;
  fmax_definition: string;
  critical_path: CriticalPath | null;
  reg2reg_path: CriticalPath | null;
  /** Timing and power of this netlist at every analysed corner (`corner` first). */
  corners: CornerTiming[];
  power_mw: number;
  power_breakdown_mw: StaResult['power_mw'];
  activity_source: string;
  max_fanout: FanoutNet;
  /** Largest fanout apart from the clock, the (false-path) reset and tie-cell constants: the control-locality check. */
  max_fanout_logic: FanoutNet;
  top_fanout: FanoutNet[];
  /** Leaf loads of each top-level input (largest bit of a bus). */
  input_fanout: Record<string, number>;
  clock_fanout: FanoutNet | null;
  wire_model: string;
  tool_versions: { yosys: string; yosys_engine: YosysEngine; sta: string };
  liberty: string;
  flatten: boolean;
  adder: AdderArch;
  buffering: boolean;
  /** ABC's delay target (`abc -D`), ps: the period less the flops' clk->Q + setup (ABC_FLOP_OVERHEAD_NS). */
  abc_delay_target_ps: number;
  synth_seconds: number;
  sta_seconds: number;
  work_dir: string;
  outputs: { netlist: string; json_netlist: string; sdc: string; yosys_log: string; sta_log: string; stat: string; macro_liberty?: string };
  notes: string[];
}

export interface CornerTiming {
  corner: Corner;
  /** What was timed: the netlist mapped at the report's corner, with this corner's liberty. */
  analysis: string;
  wns_ns: number;
  tns_ns: number;
  worst_slack_ns: number;
  fmax_mhz: number;
  fmax_reg2reg_mhz: number | null;
  critical_path: CriticalPath | null;
  reg2reg_path: CriticalPath | null;
  power_mw: number;
}

export interface MemoryReport {
  /** Hierarchical path of each instance, `top/inst/.../memory` ('(extra)' for --sram-bits). */
  paths: string[];
  module: string;
  name: string;
  instances: number;
  depth: number;
  width: number;
  /** All instances, bits. */
  bits: number;
  implementation: string;
  /** The macro cell in the netlist (null: flip-flops or extra). */
  macro_cell: string | null;
  /** All instances, µm² (null: flip-flops, counted in the logic area). */
  area_um2: number | null;
  min_period_ns: number | null;
  too_slow_for_clock: boolean;
  source: string;
  notes: string[];
}

export const FMAX_DEFINITION =
  'fmax_mhz = 1000 / (period_ns - worst_slack_ns), worst setup slack over all constrained paths (I/O delays stay at their ns values for the given clock) ' +
  'at this corner with ideal clocks and no wire load; fmax_reg2reg_mhz uses register-to-register paths only. Positive slack gives fmax above the target.';

export const WIRE_MODEL =
  'no wire load model and no parasitics: OpenSTA loads each driver with pin capacitance only (wires are free), clocks are ideal; post-route timing will be slower';

export async function synthesize(o: SynthOptions): Promise<SynthReport> {
  const log = o.log ?? (() => {});
  const pdk = resolvePdk(o.corner, o.pdkRoot);
  const engine = await yosysAvailable(o.engine);
  if (!engine) {
    throw new FlowError('E_YOSYS_MISSING', "no Yosys found: install it with 'apt-get install yosys' or run 'npm ci' (installs @yowasp/yosys, a WebAssembly build)");
  }
  if (!staAvailable()) throw new FlowError('E_STA_MISSING', "OpenSTA ('sta') not found on PATH: install it with 'apt-get install opensta'");
  if (!o.files.length) throw new FlowError('E_NO_SOURCES', `design '${o.design}': no Verilog files given`);
  for (const f of o.files) if (!existsSync(f)) throw new FlowError('E_NO_SOURCES', `design '${o.design}': Verilog file '${f}' does not exist`);
  if (o.vcd && !existsSync(o.vcd)) throw new FlowError('E_NO_VCD', `VCD file '${o.vcd}' does not exist`);
  const period = periodNs(o.clockMhz);
  const work = resolve(o.workDir);
  mkdirSync(join(work, 'src'), { recursive: true });

  // Inputs go into the work directory: the WebAssembly Yosys sees only that directory.
  const srcs = o.files.map((f, i) => {
    const name = `src/${String(i).padStart(2, '0')}_${basename(f)}`;
    copyFileSync(f, join(work, name));
    return name;
  });
  const libName = basename(pdk.liberty).replace(/\.lib$/, '.screen.lib');
  const dontUse = writeDontUseLiberty(pdk.liberty, join(work, libName));
  const lib = readLiberty(pdk.liberty);

  const abcTarget = abcDelayTargetPs(period, o.corner);
  log(`[synth] ${o.design}: yosys (${engine}) on ${srcs.length} file(s), ${o.corner} corner, ${o.clockMhz} MHz (abc -D ${abcTarget}), hierarchy ${o.flatten ? 'flattened' : 'kept'}, ${o.adder ?? 'ripple'} adders ...`);
  const adder = o.adder ?? 'ripple';
  if (adder === 'kogge-stone') copyFileSync(fileURLToPath(new URL(`./${KOGGE_STONE_MAP}`, import.meta.url)), join(work, KOGGE_STONE_MAP));
  const memMode: MemoryImpl = o.memories ?? 'flops';
  const macroKind: MacroKind = o.macroKind ?? 'openram';
  const buffering = o.buffering ?? true;
  if (buffering) writeFileSync(join(work, 'abc.constr'), abcConstraints(SDC_DEFAULTS.drivingCell, SDC_DEFAULTS.outputLoadPf));
  const scriptOpts = { files: srcs, top: o.top, params: o.params, liberty: libName, periodPs: abcTarget, flatten: !!o.flatten, adder, abcConstr: buffering ? 'abc.constr' : undefined, resetPort: o.resetPort };
  const findTop = (nl: ReturnType<typeof readNetlistJson>, file: string) => {
    const key = o.top ?? Object.keys(nl.modules).find((m) => nl.modules[m].attributes?.top && /1$/.test(nl.modules[m].attributes!.top));
    if (!key || !nl.modules[key]) throw new FlowError('E_NETLIST', `cannot find the top module in ${join(work, file)}`, 1);
    return key;
  };
  let ys: Awaited<ReturnType<typeof runYosys>>;
  let mems: InferredMemory[];
  let macroCells: MacroCell[] = [];
  let macroLib: string | undefined;
  if (memMode === 'macro') {
    // Split run: stop with RAMs as $mem_v2 cells, swap eligible ones for macros, then map.
    const elab = await runYosys(yosysElabScript(scriptOpts), { cwd: work, engine, scriptName: 'elab.ys' });
    log(`[synth] yosys coarse synthesis done in ${elab.seconds.toFixed(1)} s`);
    const premap = readNetlistJson(join(work, SYNTH_OUTPUTS.premap));
    const top = findTop(premap, SYNTH_OUTPUTS.premap);
    mems = listMemories(premap, top, o.macroMinDepth ?? MACRO_MIN_DEPTH);
    const chosen = mems.filter((m) => !m.ineligible);
    const edited = macroizeNetlist(premap, chosen, macroKind);
    macroCells = edited.cells;
    writeFileSync(join(work, SYNTH_OUTPUTS.premapMacros), JSON.stringify(edited.netlist));
    macroLib = 'macros.lib';
    writeMacroLiberty(pdk.liberty, macroCells, join(work, macroLib));
    log(`[synth] ${chosen.length} of ${mems.length} memories kept as ${macroKind} macros (${macroCells.length} macro cells) ...`);
    const map = await runYosys(yosysMapScript({ ...scriptOpts, input: SYNTH_OUTPUTS.premapMacros, top: top.replace(/^\\/, '') }), { cwd: work, engine, scriptName: 'synth.ys' });
    ys = { ...map, seconds: elab.seconds + map.seconds };
  } else {
    ys = await runYosys(yosysScript(scriptOpts), { cwd: work, engine, scriptName: 'synth.ys' });
    mems = [];
  }
  log(`[synth] yosys done in ${ys.seconds.toFixed(1)} s`);

  const nl = readNetlistJson(join(work, SYNTH_OUTPUTS.json));
  const topKey = findTop(nl, SYNTH_OUTPUTS.json);
  const sum = summarizeNetlist(nl, topKey, withMacroCells(lib, macroCells));
  if (memMode === 'flops') mems = listMemories(readNetlistJson(join(work, SYNTH_OUTPUTS.premap)), topKey, o.macroMinDepth ?? MACRO_MIN_DEPTH);

  const sdcName = `${o.design.replace(/[^\w.-]/g, '_')}.sdc`;
  writeFileSync(
    join(work, sdcName),
    renderSdc({ design: o.design, clockMhz: o.clockMhz, inputs: sum.inputs, outputs: sum.outputs, clockPort: o.clockPort, resetPort: o.resetPort, ioFraction: o.ioFraction }),
  );

  const notes: string[] = [];
  let activity: PortActivity[] | null = null;
  let activitySource = `default: every primary input toggles ${o.inputActivity ?? 0.1} times per clock cycle (duty 0.5), OpenSTA propagates activity through the logic; clock activity from the SDC clock`;
  if (o.vcd) {
    activity = vcdInputActivity(o.vcd, sum.inputs, o.clockPort ?? SDC_DEFAULTS.clockPort);
    activitySource = `VCD ${o.vcd}: per-input toggle rates of the top-level ports (${activity.length} ports matched) over the dump, propagated by OpenSTA; ${staAvailable()} has no read_vcd, so internal nets are not annotated from the VCD`;
  }
  const topName = topKey.replace(/^\\/, '');
  const resetName = o.resetPort ?? SDC_DEFAULTS.resetPort;
  log(`[synth] OpenSTA: ${o.corner} corner, period ${period} ns ...`);
  const t0 = performance.now();
  // One netlist and SDC, timed with each corner's liberty (plus that corner's macro timing).
  const staWith = (liberty: string, macros: string | undefined, name?: string) =>
    runSta({
      cwd: work,
      liberty,
      extraLiberty: macros ? [macros] : [],
      netlist: SYNTH_OUTPUTS.netlist,
      top: topName,
      sdc: sdcName,
      periodNs: period,
      inputActivity: o.inputActivity ?? 0.1,
      portActivity: activity ?? undefined,
      ...(name ? { name } : {}),
    });
  const sta = await staWith(libName, macroLib);
  if (sta.power_activity === 'global') {
    activitySource = `default, not propagated: every net toggles ${o.inputActivity ?? 0.1} times per clock cycle (duty 0.5; set_power_activity -global), because ${sta.version} crashed propagating input activity through this netlist${o.vcd ? '; the VCD was not used for power' : ''}`;
    notes.push(`${sta.version} crashed (SIGSEGV) in report_power while propagating activity; power was computed in a second run with the same toggle rate on every net (sta_power.log)`);
  }
  const fmax = (slack: number) => Math.round((1000 / (period - slack)) * 100) / 100;
  const cornerTiming = (c: Corner, r: StaResult, analysis: string): CornerTiming => ({
    corner: c,
    analysis,
    wns_ns: r.wns_ns,
    tns_ns: r.tns_ns,
    worst_slack_ns: r.worst_slack_ns,
    fmax_mhz: fmax(r.worst_slack_ns),
    fmax_reg2reg_mhz: r.reg2reg_slack_ns === null ? null : fmax(r.reg2reg_slack_ns),
    critical_path: r.critical_path,
    reg2reg_path: r.reg2reg_path,
    power_mw: Math.round(r.power_mw.total * 1e4) / 1e4,
  });
  const corners: CornerTiming[] = [cornerTiming(o.corner, sta, `mapped and timed with the ${o.corner} liberty`)];
  for (const c of [...new Set(o.staCorners ?? [])].filter((c) => c !== o.corner)) {
    // Same netlist, another corner's liberty (and macro pin timing from that liberty).
    const cp = resolvePdk(c, o.pdkRoot);
    const cLib = basename(cp.liberty).replace(/\.lib$/, '.screen.lib');
    writeDontUseLiberty(cp.liberty, join(work, cLib));
    const cMacro = macroCells.length ? `macros_${c}.lib` : undefined;
    if (cMacro) writeMacroLiberty(cp.liberty, macroCells, join(work, cMacro));
    log(`[synth] OpenSTA: ${c} corner on the same netlist ...`);
    const r = await staWith(cLib, cMacro, `sta_${c}`);
    corners.push(cornerTiming(c, r, `mapped with the ${o.corner} liberty, timed with the ${c} liberty`));
  }
  const staSeconds = (performance.now() - t0) / 1000;
  if (sta.power_mw.internal === 0 && sta.power_mw.switching > 0) {
    notes.push(`${sta.version} reports zero internal (short-circuit + internal-node) power with the sky130 hd liberty: power_mw is switching + leakage only, an underestimate`);
  }
  notes.push('clock tree not synthesised: clock network power and skew are not included');

  const macros: MacroEstimate[] = (o.macros ?? []).map((m) => macroEstimate(m.kind, m.bits, period));
  for (const m of macros) if (m.too_slow_for_clock) notes.push(`${m.kind} macro (${m.source}) is slower than the ${period} ns clock`);
  const memories = memoryReports(mems, macroCells, macroKind, period, memMode);
  const slow = memories.filter((m) => m.too_slow_for_clock);
  if (slow.length) {
    notes.push(
      `${slow.length} memory macro(s) (${MACRO_FIGURES[macroKind].source}, min period ${MACRO_FIGURES[macroKind].minPeriodNs} ns) are slower than the ${period} ns clock: ${slow.map((m) => m.name + ' in ' + m.module).join(', ')}`,
    );
  }
  if (macroCells.length) {
    notes.push(
      `memory macros are black boxes: area ${MACRO_FIGURES[macroKind].um2PerBit.toFixed(3)} µm²/bit (${MACRO_FIGURES[macroKind].source}); in STA their outputs launch on clk like ${DFF_TIMING_CELL}'s Q (a timing start point) and their inputs are checked like its D; their access time and power are not modelled`,
    );
  }
  // Extra macros (--sram-bits) are outside the netlist; inferred macros are already in sum.area_um2.
  const extraArea = macros.reduce((a, m) => a + m.area_um2, 0);
  const macroArea = sum.macro_area_um2 + extraArea;
  const area = sum.area_um2 + extraArea;
  const rnd = (x: number) => Math.round(x * 1000) / 1000;

  return {
    design: o.design,
    top: topName,
    config: o.config ?? {},
    corner: o.corner,
    clock_mhz: o.clockMhz,
    period_ns: period,
    area_um2: rnd(area),
    area_mm2: Math.round(area) / 1e6,
    logic_area_um2: rnd(sum.area_um2 - sum.macro_area_um2),
    macro_area_um2: rnd(macroArea),
    cells: sum.cells,
    flops: sum.flops,
    latches: sum.latches,
    memory_bits: memories.reduce((a, m) => a + m.bits, 0) + macros.reduce((a, m) => a + m.bits, 0),
    memory_mode: memMode,
    memories: [
      ...memories,
      ...macros.map((m) => ({
        paths: ['(extra, --sram-bits)'],
        module: '',
        name: 'extra',
        instances: 1,
        depth: 0,
        width: 0,
        bits: m.bits,
        implementation: `${m.kind} SRAM macro outside the netlist (estimate)`,
        macro_cell: null,
        area_um2: m.area_um2,
        min_period_ns: MACRO_FIGURES[m.kind].minPeriodNs,
        too_slow_for_clock: m.too_slow_for_clock,
        source: m.source,
        notes: [],
      })),
    ],
    modules: sum.modules,
    ports: { inputs: sum.inputs, outputs: sum.outputs },
    cell_types: sum.cell_types,
    wns_ns: sta.wns_ns,
    tns_ns: sta.tns_ns,
    worst_slack_ns: sta.worst_slack_ns,
    fmax_mhz: fmax(sta.worst_slack_ns),
    fmax_reg2reg_mhz: sta.reg2reg_slack_ns === null ? null : fmax(sta.reg2reg_slack_ns),
    fmax_definition: FMAX_DEFINITION,
    critical_path: sta.critical_path,
    reg2reg_path: sta.reg2reg_path,
    corners,
    power_mw: Math.round(sta.power_mw.total * 1e4) / 1e4,
    power_breakdown_mw: sta.power_mw,
    activity_source: activitySource,
    max_fanout: sum.max_fanout,
    // Not the reset (a false path) nor a tie cell's constant (hilomap -singleton: one per module).
    max_fanout_logic: sum.top_fanout.find((n) => !(n.module === topName && n.net === resetName) && !/__conb_\d+\)$/.test(n.driver)) ?? sum.max_fanout,
    top_fanout: sum.top_fanout,
    input_fanout: sum.input_fanout,
    clock_fanout: sum.clock_fanout,
    wire_model: WIRE_MODEL,
    tool_versions: { yosys: ys.version, yosys_engine: ys.engine, sta: sta.version },
    liberty: pdk.liberty + (dontUse.length ? ` (${dontUse.length} lpflow/probe cells marked dont_use)` : ''),
    flatten: !!o.flatten,
    adder,
    buffering,
    abc_delay_target_ps: abcTarget,
    synth_seconds: Math.round(ys.seconds * 100) / 100,
    sta_seconds: Math.round(staSeconds * 100) / 100,
    work_dir: work,
    outputs: {
      netlist: join(work, SYNTH_OUTPUTS.netlist),
      json_netlist: join(work, SYNTH_OUTPUTS.json),
      sdc: join(work, sdcName),
      yosys_log: join(work, 'synth.ys.log'),
      sta_log: join(work, 'sta.log'),
      stat: join(work, SYNTH_OUTPUTS.stat),
      ...(macroLib ? { macro_liberty: join(work, macroLib) } : {}),
    },
    notes,
  };
}

function memoryReports(mems: InferredMemory[], cells: MacroCell[], kind: MacroKind, period: number, mode: MemoryImpl): MemoryReport[] {
  const fig = MACRO_FIGURES[kind];
  return mems.map((m) => {
    const cell = m.ineligible ? undefined : cells.find((c) => c.depth === m.depth && c.width === m.width && c.readPorts === m.readPorts && c.writePorts === m.writePorts);
    const n = m.paths.length;
    return {
      paths: m.paths,
      module: m.module,
      name: m.name,
      instances: n,
      depth: m.depth,
      width: m.width,
      bits: m.bits * n,
      implementation: cell ? `${kind} SRAM macro (black box ${cell.name})` : `flip-flops (Yosys memory_map), in the logic area${mode === 'macro' && m.ineligible ? `: ${m.ineligible}` : ''}`,
      macro_cell: cell?.name ?? null,
      area_um2: cell ? Math.round(cell.area_um2 * n * 1000) / 1000 : null,
      min_period_ns: cell ? fig.minPeriodNs : null,
      too_slow_for_clock: !!cell && fig.minPeriodNs !== null && period < fig.minPeriodNs,
      source: cell ? fig.source : 'synthesised',
      notes: cell ? m.caveats : [],
    };
  });
}
