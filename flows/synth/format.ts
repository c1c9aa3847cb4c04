// Human-readable summary of a synthesis report (the JSON has everything).
import type { SynthReport } from './run.ts';

const f = (x: number, d = 3) => x.toFixed(d);

export function formatSynthReport(r: SynthReport): string {
  const cp = r.critical_path;
  const lines = [
    `design ${r.design} (top ${r.top}) — Sky130 hd ${r.corner}, ${r.clock_mhz} MHz (${r.period_ns} ns), ${r.adder} adders${r.flatten ? ', flattened' : ''}`,
    `area       ${f(r.area_mm2, 4)} mm² (${f(r.area_um2, 1)} µm²: logic ${f(r.logic_area_um2, 1)}, macros ${f(r.macro_area_um2, 1)})`,
    `cells      ${r.cells}, flops ${r.flops}${r.latches ? `, latches ${r.latches}` : ''}, memory bits ${r.memory_bits}`,
    ...r.memories.map((m) => `  memory   ${m.bits} bits as ${m.implementation}${m.area_um2 !== null ? `: ${f(m.area_um2, 0)} µm² (${m.source})` : ''}`),
    'area by module (one instance, including submodules):',
    ...r.modules.map((m) => `  ${m.module.padEnd(40)} x${String(m.instances).padEnd(5)} ${f(m.total_area_um2, 1).padStart(12)} µm²  own ${f(m.own_area_um2, 1)} µm², ${m.cells} cells, ${m.flops} flops`),
    `timing     worst slack ${f(r.worst_slack_ns)} ns, WNS ${f(r.wns_ns)} ns, TNS ${f(r.tns_ns)} ns`,
    `fmax       ${f(r.fmax_mhz, 1)} MHz (all paths)${r.fmax_reg2reg_mhz !== null ? `, ${f(r.fmax_reg2reg_mhz, 1)} MHz (reg-to-reg)` : ''}`,
    cp
      ? `critical   ${cp.kind} ${cp.startpoint} -> ${cp.endpoint}: ${cp.stages} stages, ${f(cp.delay_ns)} ns arrival, slack ${f(cp.slack_ns)} ns`
      : 'critical   no constrained path',
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
