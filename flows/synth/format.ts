// Human-readable summary of a synthesis report (the JSON has everything).
import type { SynthReport } from './run.ts';

const f = (x: number, d = 3) => x.toFixed(d);

export function formatSynthReport(r: SynthReport): string {
  const cp = r.critical_path;
  const lines = [
    `design ${r.design} (top ${r.top}) — Sky130 hd ${r.corner}, ${r.clock_mhz} MHz (${r.period_ns} ns), ${r.adder} adders${r.buffering ? ', ABC fanout buffering' : ''}, abc -D ${r.abc_delay_target_ps} ps${r.flatten ? ', flattened' : ''}`,
    `area       ${f(r.area_mm2, 4)} mm² (${f(r.area_um2, 1)} µm²: standard cells ${f(r.logic_area_um2, 1)}, memory macros ${f(r.macro_area_um2, 1)})`,
    `cells      ${r.cells}, flops ${r.flops}${r.latches ? `, latches ${r.latches}` : ''}, memory bits ${r.memory_bits} (memories as ${r.memory_mode})`,
    ...r.memories.map(
      (m) =>
        `  memory   ${m.paths[0]}${m.instances > 1 ? ` (+${m.instances - 1} more)` : ''}: ${m.depth ? `${m.depth} x ${m.width}, ` : ''}${m.bits} bits as ${m.implementation}` +
        `${m.area_um2 !== null ? `, ${f(m.area_um2, 0)} µm²` : ''}${m.too_slow_for_clock ? ` — SLOWER than the clock (min period ${m.min_period_ns} ns)` : ''}`,
    ),
    'area by module (one instance, including submodules and macros):',
    ...r.modules.map(
      (m) =>
        `  ${m.module.padEnd(40)} x${String(m.instances).padEnd(5)} ${f(m.total_area_um2, 1).padStart(12)} µm²  own ${f(m.own_area_um2, 1)} µm², ${m.cells} cells, ${m.flops} flops` +
        (m.macro_area_um2 ? `, macros ${f(m.macro_area_um2, 1)} µm²` : ''),
    ),
    `timing     worst slack ${f(r.worst_slack_ns)} ns, WNS ${f(r.wns_ns)} ns, TNS ${f(r.tns_ns)} ns`,
    `fmax       ${f(r.fmax_mhz, 1)} MHz (all paths)${r.fmax_reg2reg_mhz !== null ? `, ${f(r.fmax_reg2reg_mhz, 1)} MHz (reg-to-reg)` : ''}`,
    cp
      ? `critical   ${cp.kind} ${cp.startpoint} -> ${cp.endpoint}: ${cp.stages} stages, ${f(cp.delay_ns)} ns arrival, slack ${f(cp.slack_ns)} ns`
      : 'critical   no constrained path',
    ...r.corners.slice(1).map(
      (c) =>
        `corner ${c.corner}  worst slack ${f(c.worst_slack_ns)} ns, TNS ${f(c.tns_ns)} ns, fmax ${f(c.fmax_mhz, 1)} MHz${c.fmax_reg2reg_mhz !== null ? ` (reg-to-reg ${f(c.fmax_reg2reg_mhz, 1)})` : ''}` +
        (c.critical_path ? `; critical ${c.critical_path.startpoint} -> ${c.critical_path.endpoint}, ${c.critical_path.stages} stages` : '') +
        ` (${c.analysis})`,
    ),
    `fanout     max ${r.max_fanout.fanout}: ${r.max_fanout.module}.${r.max_fanout.net} driven by ${r.max_fanout.driver}` +
      (r.clock_fanout ? `; clock ${r.clock_fanout.fanout} (ideal, buffered by CTS)` : ''),
    `           max without reset ${r.max_fanout_logic.fanout}: ${r.max_fanout_logic.module}.${r.max_fanout_logic.net} driven by ${r.max_fanout_logic.driver}`,
    `power      ${f(r.power_mw, 4)} mW (internal ${f(r.power_breakdown_mw.internal, 4)}, switching ${f(r.power_breakdown_mw.switching, 4)}, leakage ${f(r.power_breakdown_mw.leakage, 6)})`,
    `activity   ${r.activity_source}`,
    `wires      ${r.wire_model}`,
    `tools      ${r.tool_versions.yosys} [${r.tool_versions.yosys_engine}], ${r.tool_versions.sta}; synth ${f(r.synth_seconds, 1)} s, sta ${f(r.sta_seconds, 1)} s`,
    ...r.notes.map((n) => `note       ${n}`),
    `outputs    ${r.work_dir}`,
  ];
  return lines.join('\n');
}
