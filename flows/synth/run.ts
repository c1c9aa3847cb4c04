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
import { macroEstimate, type MacroEstimate, type MacroKind } from './memory.ts';
import { inferredMemoryBits, readNetlistJson, summarizeNetlist, type FanoutNet, type ModuleArea } from './netlist.ts';
import { KOGGE_STONE_MAP, SYNTH_OUTPUTS, yosysScript, type AdderArch } from './script.ts';
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
  engine?: YosysEngine;
  /** Default toggle rate of primary inputs when no VCD is given. */
  inputActivity?: number;
  vcd?: string;
  /** Memories kept as SRAM macros (not in the netlist): area from published figures. */
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
  /** Bits of inferred memories (implemented as flip-flops) + macro bits. */
  memory_bits: number;
  memories: { bits: number; implementation: string; area_um2: number | null; source: string }[];
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
  power_mw: number;
  power_breakdown_mw: StaResult['power_mw'];
  activity_source: string;
  max_fanout: FanoutNet;
  /** Largest fanout apart from the clock and the (false-path, asynchronous) reset: the control-locality check. */
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
  synth_seconds: number;
  sta_seconds: number;
  work_dir: string;
  outputs: { netlist: string; json_netlist: string; sdc: string; yosys_log: string; sta_log: string; stat: string };
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

  log(`[synth] ${o.design}: yosys (${engine}) on ${srcs.length} file(s), ${o.corner} corner, ${o.clockMhz} MHz (abc -D ${Math.round(period * 1000)}), hierarchy ${o.flatten ? 'flattened' : 'kept'}, ${o.adder ?? 'ripple'} adders ...`);
  const adder = o.adder ?? 'ripple';
  if (adder === 'kogge-stone') copyFileSync(fileURLToPath(new URL(`./${KOGGE_STONE_MAP}`, import.meta.url)), join(work, KOGGE_STONE_MAP));
  const script = yosysScript({ files: srcs, top: o.top, params: o.params, liberty: libName, periodPs: period * 1000, flatten: !!o.flatten, adder });
  const ys = await runYosys(script, { cwd: work, engine, scriptName: 'synth.ys' });
  log(`[synth] yosys done in ${ys.seconds.toFixed(1)} s`);

  const nl = readNetlistJson(join(work, SYNTH_OUTPUTS.json));
  const topKey = o.top ?? Object.keys(nl.modules).find((m) => nl.modules[m].attributes?.top && /1$/.test(nl.modules[m].attributes!.top));
  if (!topKey || !nl.modules[topKey]) throw new FlowError('E_NETLIST', `cannot find the top module in ${join(work, SYNTH_OUTPUTS.json)}`, 1);
  const sum = summarizeNetlist(nl, topKey, lib);
  const premap = readNetlistJson(join(work, SYNTH_OUTPUTS.premap));
  const ffMemBits = inferredMemoryBits(premap, topKey);

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
  const sta = await runSta({
    cwd: work,
    liberty: libName,
    netlist: SYNTH_OUTPUTS.netlist,
    top: topName,
    sdc: sdcName,
    periodNs: period,
    inputActivity: o.inputActivity ?? 0.1,
    portActivity: activity ?? undefined,
  });
  const staSeconds = (performance.now() - t0) / 1000;
  if (sta.power_mw.internal === 0 && sta.power_mw.switching > 0) {
    notes.push(`${sta.version} reports zero internal (short-circuit + internal-node) power with the sky130 hd liberty: power_mw is switching + leakage only, an underestimate`);
  }
  notes.push('clock tree not synthesised: clock network power and skew are not included');

  const macros: MacroEstimate[] = (o.macros ?? []).map((m) => macroEstimate(m.kind, m.bits, period));
  for (const m of macros) if (m.too_slow_for_clock) notes.push(`${m.kind} macro (${m.source}) is slower than the ${period} ns clock`);
  const macroArea = macros.reduce((a, m) => a + m.area_um2, 0);
  const area = sum.area_um2 + macroArea;
  const fmax = (slack: number) => Math.round((1000 / (period - slack)) * 100) / 100;
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
    logic_area_um2: sum.area_um2,
    macro_area_um2: rnd(macroArea),
    cells: sum.cells,
    flops: sum.flops,
    latches: sum.latches,
    memory_bits: ffMemBits + macros.reduce((a, m) => a + m.bits, 0),
    memories: [
      ...(ffMemBits ? [{ bits: ffMemBits, implementation: 'flip-flops (Yosys memory_map), included in logic area', area_um2: null, source: 'synthesised' }] : []),
      ...macros.map((m) => ({ bits: m.bits, implementation: `${m.kind} SRAM macro (estimate)`, area_um2: m.area_um2, source: m.source })),
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
    power_mw: Math.round(sta.power_mw.total * 1e4) / 1e4,
    power_breakdown_mw: sta.power_mw,
    activity_source: activitySource,
    max_fanout: sum.max_fanout,
    max_fanout_logic: sum.top_fanout.find((n) => !(n.module === topName && n.net === resetName)) ?? sum.max_fanout,
    top_fanout: sum.top_fanout,
    input_fanout: sum.input_fanout,
    clock_fanout: sum.clock_fanout,
    wire_model: WIRE_MODEL,
    tool_versions: { yosys: ys.version, yosys_engine: ys.engine, sta: sta.version },
    liberty: pdk.liberty + (dontUse.length ? ` (${dontUse.length} lpflow/probe cells marked dont_use)` : ''),
    flatten: !!o.flatten,
    adder,
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
    },
    notes,
  };
}
