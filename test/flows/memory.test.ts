// Inferred memories as black-box SRAM macros (--memories macro) versus flip-flops,
// on a small design: two instances of a 64 x 24 line RAM and a 4 x 8 register file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { resolvePdk } from '../../flows/pdk.ts';
import { DFF_TIMING_CELL, listMemories, macroizeNetlist, macroLiberty, MACRO_MIN_DEPTH } from '../../flows/synth/macros.ts';
import { MACRO_FIGURES, macroEstimate } from '../../flows/synth/memory.ts';
import { readNetlistJson } from '../../flows/synth/netlist.ts';
import { synthesize, type SynthReport } from '../../flows/synth/run.ts';
import { useScratch } from './helpers.ts';

describe('flows/synth memories: macros vs flip-flops', () => {
  const s = useScratch('mem');
  let macro: SynthReport;
  let flops: SynthReport;
  const common = { design: 'memfx', files: [join(FIXTURES_DIR, 'mem_fixture.v')], top: 'mem_fixture', corner: 'tt' as const, clockMhz: 180 };

  before(async () => {
    macro = await synthesize({ ...common, workDir: join(s.dir, 'm'), memories: 'macro', staCorners: ['ss'] });
    flops = await synthesize({ ...common, workDir: join(s.dir, 'f'), memories: 'flops' });
  });

  it('lists every memory with its instance paths, shape and bits', () => {
    const mems = listMemories(readNetlistJson(join(macro.work_dir, 'premap.json')), 'mem_fixture');
    assert.deepEqual(
      mems.map((m) => [m.paths, m.depth, m.width, m.bits, m.ineligible === null]),
      [
        [['mem_fixture/rf'], 4, 8, 32, false],
        [['mem_fixture/u0/ram', 'mem_fixture/u1/ram'], 64, 24, 1536, true],
      ],
    );
    assert.match(mems[0].ineligible!, new RegExp(`4 words deep \\(< ${MACRO_MIN_DEPTH}\\)`));
  });

  it('keeps the deep RAMs as macros, the register file as flops, and adds the published macro area', () => {
    const ram = macro.memories.find((m) => m.name === 'ram')!;
    const rf = macro.memories.find((m) => m.name === 'rf')!;
    assert.equal(macro.memory_mode, 'macro');
    assert.equal(ram.macro_cell, 'screen_sram_64x24_1r1w');
    assert.equal(ram.instances, 2);
    assert.equal(ram.bits, 3072);
    assert.ok(Math.abs(ram.area_um2! - 3072 * MACRO_FIGURES.openram.um2PerBit) < 0.01, `${ram.area_um2}`);
    assert.equal(rf.macro_cell, null);
    assert.match(rf.implementation, /flip-flops/);
    assert.equal(macro.memory_bits, 3072 + 32);
    assert.equal(flops.memory_bits, 3072 + 32);
    // Area totals include the macros; per-module areas too.
    assert.ok(Math.abs(macro.macro_area_um2 - ram.area_um2!) < 0.01);
    assert.ok(Math.abs(macro.area_um2 - (macro.logic_area_um2 + macro.macro_area_um2)) < 0.01);
    const ld = macro.modules.find((m) => m.module === 'line_delay')!;
    assert.equal(ld.instances, 2);
    assert.ok(Math.abs(ld.macro_area_um2 - ram.area_um2! / 2) < 0.01);
    // The RAM bits and their read registers left the flop count: 2 x (64 x 24 + 24).
    assert.equal(flops.flops - macro.flops, 2 * (64 * 24 + 24));
    assert.equal(flops.macro_area_um2, 0);
    assert.match(flops.memories.find((m) => m.name === 'ram')!.implementation, /^flip-flops/);
    const netlist = readFileSync(macro.outputs.netlist, 'utf8');
    assert.equal((netlist.match(/\bscreen_sram_64x24_1r1w\s+ram_macro\b/g) ?? []).length, 1, 'one macro instance in the line_delay module');
  });

  it('flags a macro slower than the clock', () => {
    const ram = macro.memories.find((m) => m.name === 'ram')!;
    assert.equal(ram.too_slow_for_clock, true, 'OpenRAM 6.6 ns vs 5.556 ns');
    assert.equal(ram.min_period_ns, MACRO_FIGURES.openram.minPeriodNs);
    assert.ok(macro.notes.some((n) => /slower than the 5\.556 ns clock: ram in line_delay/.test(n)));
    assert.equal(macroEstimate('openram', 3072, 10).too_slow_for_clock, false, 'keeps up with a 100 MHz clock');
  });

  it('times macro outputs as register start points', () => {
    // The slowest path is the 24-bit add of the RAM output: it must start at the macro, not at a flop.
    assert.ok(macro.critical_path, 'a critical path');
    assert.match(macro.critical_path.startpoint, /^u[01]\/ram_macro$/);
    assert.equal(macro.critical_path.cells[0], 'screen_sram_64x24_1r1w');
    assert.equal(macro.critical_path.kind, 'reg-to-reg');
    assert.match(flops.critical_path!.cells[0], /dfxtp/);
  });

  it('times the same netlist at the ss corner too, with the ss macro liberty', () => {
    assert.deepEqual(macro.corners.map((c) => c.corner), ['tt', 'ss']);
    const [tt, ss] = macro.corners;
    assert.equal(tt.worst_slack_ns, macro.worst_slack_ns);
    assert.equal(tt.fmax_mhz, macro.fmax_mhz);
    assert.ok(ss.fmax_mhz < tt.fmax_mhz * 0.8, `ss ${ss.fmax_mhz} vs tt ${tt.fmax_mhz} MHz`);
    assert.match(ss.critical_path!.startpoint, /ram_macro/);
    assert.match(ss.analysis, /mapped with the tt liberty, timed with the ss liberty/);
    assert.match(readFileSync(join(macro.work_dir, 'macros_ss.lib'), 'utf8'), /ss_100C_1v60/);
    assert.deepEqual(flops.corners.map((c) => c.corner), ['tt']);
  });

  it('writes a macro liberty with flop timing on the pins, in the corner units', () => {
    const nl = readNetlistJson(join(macro.work_dir, 'premap.json'));
    const { cells, netlist } = macroizeNetlist(nl, listMemories(nl, 'mem_fixture').filter((m) => !m.ineligible), 'openram');
    assert.deepEqual(cells.map((c) => c.pins.map((p) => `${p.name}:${p.dir}:${p.width}`)), [
      ['CLK:input:1', 'R0_EN:input:1', 'R0_ADDR:input:6', 'R0_DATA:output:24', 'W0_EN:input:1', 'W0_ADDR:input:6', 'W0_DATA:input:24'],
    ]);
    assert.equal(netlist.modules.screen_sram_64x24_1r1w.attributes?.blackbox, '00000000000000000000000000000001');
    const lib = macroLiberty(resolvePdk('ss').liberty, cells);
    assert.match(lib, /library \("screen_sram_macros"\)/);
    assert.match(lib, /operating_conditions \("ss_100C_1v60"\)/);
    assert.match(lib, /cell \("screen_sram_64x24_1r1w"\)[^]*bus \("R0_DATA"\)[^]*timing_type : "rising_edge"/);
    assert.match(lib, /bus \("W0_DATA"\)[^]*timing_type : "setup_rising"/);
    assert.match(lib, new RegExp(`pin timing of ${DFF_TIMING_CELL}`));
    assert.equal((lib.match(/\{/g) ?? []).length, (lib.match(/\}/g) ?? []).length);
  });
});
