// The accelerator through `screen synth` end to end. The full `--design top` takes over 10
// minutes of Yosys on the 2-core build machine (bench/synth_top.ts records it), so the test
// synthesises the same datapath, screen_core, in a small configuration: the tiny test network
// (4 channels), 64 cycles per cell and 16-cell stripes (16-word line buffers and RAMs), about
// 1.5 minutes. It checks the flow's contract on a generated design with every kind of block.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../flows/paths.ts';
import type { SynthReport } from '../../flows/synth/run.ts';
import { screen, useScratch } from './helpers.ts';

describe('screen synth --design screen-core (tiny config, macros, tt + ss)', function () {
  this.timeout(600_000);
  const s = useScratch('core');
  let r: SynthReport;
  let code: number;

  before(() => {
    const out = screen([
      'synth', '--design', 'screen-core',
      '--gen-arg', `weights=${join(REPO_ROOT, 'test', 'fixtures', 'net', 'tiny_deconv_q8.json')}`,
      '--gen-arg', 'cell-cycles=64', '--gen-arg', 'stripe-cells=16',
      '--corner', 'tt', '--sta-corners', 'tt,ss', '--clock-mhz', '180', '--allow-violations', '--json', '--out', join(s.dir, 'core'),
    ]);
    code = out.code;
    assert.equal(out.code, 0, out.stderr.slice(-3000));
    r = JSON.parse(out.stdout) as SynthReport;
  });

  it('prints the contract fields', () => {
    assert.equal(code, 0);
    for (const k of ['design', 'corner', 'clock_mhz', 'area_um2', 'area_mm2', 'cells', 'flops', 'memory_bits', 'wns_ns', 'fmax_mhz', 'critical_path', 'power_mw']) {
      assert.ok(k in r, `missing ${k}`);
    }
    assert.equal(r.design, 'screen-core');
    assert.equal(r.top, 'screen_core');
    assert.ok(r.cells > 10_000 && r.flops > 1000, `${r.cells} cells, ${r.flops} flops`);
    assert.ok(r.power_mw > 0 && r.power_mw < 2000, `${r.power_mw} mW`);
  });

  it('keeps every RAM of 16+ words as a macro and adds its area, memories listed by path', () => {
    assert.equal(r.memory_mode, 'macro', 'default for the accelerator designs');
    const macros = r.memories.filter((m) => m.macro_cell);
    const flops = r.memories.filter((m) => !m.macro_cell);
    // Cell FIFO, two line buffers' rows (feat0, head), cell_pack's row and cell_unpack's two banks.
    assert.deepEqual(macros.map((m) => m.paths[0].replace(/^screen_core\//, '')).sort(), [
      'u_cell_fifo/mem', 'u_lb_feat0/lines', 'u_lb_head/lines', 'u_pack/even_row', 'u_unpack/bank0', 'u_unpack/bank1',
    ]);
    assert.ok(macros.every((m) => m.depth === 16 && m.too_slow_for_clock));
    assert.ok(flops.every((m) => m.depth < 16 && /flip-flops/.test(m.implementation)), JSON.stringify(flops));
    assert.equal(r.memory_bits, r.memories.reduce((a, m) => a + m.bits, 0));
    const macroArea = macros.reduce((a, m) => a + m.area_um2!, 0);
    assert.ok(Math.abs(r.macro_area_um2 - macroArea) < 0.1, `${r.macro_area_um2} vs ${macroArea}`);
    assert.ok(Math.abs(r.area_um2 - (r.logic_area_um2 + r.macro_area_um2)) < 0.1);
    assert.equal(r.area_mm2, Math.round(r.area_um2) / 1e6);
    // Per-module areas add up, macros included.
    const top = r.modules.find((m) => m.module === 'screen_core')!;
    assert.ok(Math.abs(top.total_area_um2 - r.area_um2) < 0.1);
    assert.ok(Math.abs(top.macro_area_um2 - r.macro_area_um2) < 0.1);
    const netlist = readFileSync(r.outputs.netlist, 'utf8');
    for (const m of macros) assert.match(netlist, new RegExp(`\\b${m.macro_cell}\\b`));
  });

  it('times tt and ss on the same netlist and names the critical path', () => {
    assert.deepEqual(r.corners.map((c) => c.corner), ['tt', 'ss']);
    const [tt, ss] = r.corners;
    assert.ok(tt.fmax_mhz > 100 && tt.fmax_mhz < 1000, `tt ${tt.fmax_mhz} MHz`);
    assert.ok(ss.fmax_mhz < tt.fmax_mhz, `ss ${ss.fmax_mhz} vs tt ${tt.fmax_mhz} MHz`);
    assert.ok(r.critical_path && r.critical_path.stages >= 2 && r.critical_path.startpoint && r.critical_path.endpoint);
    assert.equal(r.wns_ns, Math.min(0, r.worst_slack_ns));
  });

  it('buffers high-fanout nets inside modules and states the wire model', () => {
    assert.equal(r.buffering, true);
    // ABC's buffer pass bounds fanout inside each module; what is left large crosses module ports.
    assert.ok(r.max_fanout_logic.fanout < 500, JSON.stringify(r.max_fanout_logic));
    assert.match(r.wire_model, /no wire load model/);
    assert.match(r.activity_source, /toggles 0\.1 times per clock cycle/);
  });
});
