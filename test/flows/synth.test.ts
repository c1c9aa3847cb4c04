// The Yosys + OpenSTA flow end to end on tiny designs (seconds with native yosys).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { macArrayFixture } from '../../flows/synth/designs.ts';
import { synthesize, type SynthReport } from '../../flows/synth/run.ts';
import { abcDelayTargetPs } from '../../flows/synth/script.ts';
import { useScratch } from './helpers.ts';

describe('flows/synth on fixtures (Sky130 hd tt)', () => {
  const s = useScratch('synth');
  let pipe: SynthReport;
  let flat: SynthReport;

  before(async () => {
    const f = macArrayFixture({ rows: 2, cols: 2, pipelined: true });
    pipe = await synthesize({ design: 'mac2x2', files: f.files, top: f.top, params: f.params, corner: 'tt', clockMhz: 180, workDir: join(s.dir, 'p') });
    const u = macArrayFixture({ rows: 2, cols: 2, pipelined: false });
    flat = await synthesize({ design: 'mac2x2u', files: u.files, top: u.top, params: u.params, corner: 'tt', clockMhz: 180, workDir: join(s.dir, 'u') });
  });

  it('maps exactly the flops the RTL declares (46 per pipelined cell, 32 per one-cycle cell)', () => {
    assert.equal(pipe.flops, macArrayFixture({ rows: 2, cols: 2, pipelined: true }).expectedFlops);
    assert.equal(pipe.flops, 184);
    assert.equal(flat.flops, 128);
    assert.equal(pipe.memory_bits, 0);
  });

  it('reports area per module that adds up to the total', () => {
    assert.ok(pipe.area_um2 > 1000 && pipe.area_um2 < 50000, `area ${pipe.area_um2}`);
    assert.equal(pipe.area_mm2, Math.round(pipe.area_um2) / 1e6);
    const top = pipe.modules.find((m) => m.module === 'mac_array')!;
    const cell = pipe.modules.find((m) => m.module === 'mac_cell_pipe')!;
    assert.equal(cell.instances, 4);
    assert.ok(Math.abs(top.total_area_um2 - (top.own_area_um2 + 4 * cell.total_area_um2)) < 0.01);
    assert.ok(Math.abs(pipe.area_um2 - top.total_area_um2) < 0.01);
    assert.ok(pipe.cells > pipe.flops);
  });

  it('gives finite timing, a reg-to-reg critical path, and Fmax from the worst slack', () => {
    assert.ok(Number.isFinite(pipe.fmax_mhz) && pipe.fmax_mhz > 50 && pipe.fmax_mhz < 1000, `fmax ${pipe.fmax_mhz}`);
    assert.ok(Math.abs(pipe.fmax_mhz - 1000 / (pipe.period_ns - pipe.worst_slack_ns)) < 0.01);
    assert.equal(pipe.wns_ns, Math.min(0, pipe.worst_slack_ns));
    assert.ok(pipe.critical_path && pipe.critical_path.stages >= 3);
    assert.equal(pipe.reg2reg_path?.kind, 'reg-to-reg');
    assert.ok(pipe.critical_path.delay_ns > 1 && pipe.critical_path.delay_ns < pipe.period_ns + 5);
    // ABC's target leaves the flops' clk->Q + setup out of the 5.556 ns period.
    assert.equal(pipe.abc_delay_target_ps, 5556 - 500);
    assert.equal(abcDelayTargetPs(5.556, 'ss'), 5556 - 900);
  });

  it('keeps control local when pipelined and shows the shared enable when not', () => {
    // Pipelined: en/clr are registered in every cell, so no logic net leaves a cell.
    assert.equal(pipe.max_fanout_logic.module === 'mac_array' && /^(en|clr)$/.test(pipe.max_fanout_logic.net), false);
    // The pipelined array's en/clr enter cell (0,0) only; the one-cycle array's reach all 4 cells.
    assert.ok(pipe.input_fanout.en <= 2 && pipe.input_fanout.clr <= 2, JSON.stringify(pipe.input_fanout));
    assert.ok(flat.input_fanout.en >= 4 && flat.input_fanout.clr >= 4, JSON.stringify(flat.input_fanout));
    assert.equal(pipe.clock_fanout?.fanout, 184);
    assert.equal(pipe.max_fanout.net, 'rst_n');
  });

  it('states power, activity, wire model and tool versions', () => {
    assert.ok(pipe.power_mw > 0 && pipe.power_mw < 100, `power ${pipe.power_mw}`);
    assert.match(pipe.activity_source, /toggles 0\.1 times per clock cycle/);
    assert.match(pipe.wire_model, /no wire load model/);
    assert.match(pipe.tool_versions.yosys, /Yosys/);
    assert.match(pipe.tool_versions.sta, /OpenSTA/);
  });

  it('counts inferred memory bits (mapped to flip-flops)', async () => {
    const r = await synthesize({ design: 'regfile', files: [join(FIXTURES_DIR, 'regfile.v')], corner: 'tt', clockMhz: 180, workDir: join(s.dir, 'rf') });
    assert.equal(r.top, 'regfile');
    assert.equal(r.memory_bits, 128);
    assert.equal(r.flops, 128 + 8);
    assert.match(r.memories[0].implementation, /flip-flops/);
  });

  it('adds SRAM macro area from the published figure', async () => {
    const r = await synthesize({
      design: 'regfile',
      files: [join(FIXTURES_DIR, 'regfile.v')],
      corner: 'tt',
      clockMhz: 180,
      workDir: join(s.dir, 'rf2'),
      macros: [{ kind: 'openram', bits: 16384 }],
    });
    assert.ok(Math.abs(r.macro_area_um2 - 158000) < 1);
    assert.ok(Math.abs(r.area_um2 - (r.logic_area_um2 + 158000)) < 0.01);
    assert.equal(r.memory_bits, 128 + 16384);
    assert.ok(r.notes.some((n) => /slower than the 5\.556 ns clock/.test(n)));
  });

  it('takes input activity from a VCD and says so', async () => {
    // 40 cycles of the register file's ports: writes every cycle, wdata counting up.
    const lines = ['$timescale 1ns $end', '$scope module tb $end', '$scope module dut $end',
      '$var wire 1 ! clk $end', '$var wire 1 " we $end', '$var wire 4 # waddr [3:0] $end', '$var wire 4 $ raddr [3:0] $end', '$var wire 8 % wdata [7:0] $end',
      '$upscope $end', '$upscope $end', '$enddefinitions $end'];
    for (let c = 0; c < 40; c++) {
      lines.push(`#${c * 10}`, '0!', '1"', `b${(c % 16).toString(2)} #`, `b${((c * 7) % 16).toString(2)} $`, `b${c.toString(2)} %`, `#${c * 10 + 5}`, '1!');
    }
    lines.push('#400');
    const vcd = join(s.dir, 'rf.vcd');
    writeFileSync(vcd, lines.join('\n') + '\n');
    const common = { design: 'regfile', files: [join(FIXTURES_DIR, 'regfile.v')], corner: 'tt' as const, clockMhz: 180 };
    const withVcd = await synthesize({ ...common, workDir: join(s.dir, 'vcd'), vcd });
    assert.match(withVcd.activity_source, /^VCD .*rf\.vcd: per-input toggle rates .*\(4 ports matched\)/);
    const quiet = await synthesize({ ...common, workDir: join(s.dir, 'novcd'), inputActivity: 0.01 });
    assert.ok(withVcd.power_mw > quiet.power_mw, `${withVcd.power_mw} vs ${quiet.power_mw}`);
  });

  it('maps carry chains as Kogge-Stone on request: same flops, shorter reg-to-reg path', async () => {
    const f = macArrayFixture({ rows: 2, cols: 2, pipelined: true });
    const ks = await synthesize({ design: 'mac2x2ks', files: f.files, top: f.top, params: f.params, corner: 'tt', clockMhz: 180, workDir: join(s.dir, 'ks'), adder: 'kogge-stone' });
    assert.equal(ks.adder, 'kogge-stone');
    assert.equal(pipe.adder, 'ripple');
    assert.equal(ks.flops, pipe.flops);
    assert.ok(ks.reg2reg_path!.delay_ns < pipe.reg2reg_path!.delay_ns, `${ks.reg2reg_path!.delay_ns} vs ${pipe.reg2reg_path!.delay_ns} ns`);
  });
});
