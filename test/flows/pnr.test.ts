// ORFS config generation and its consistency checks, without OpenROAD.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { MACRO_HALO_FACTOR, planFloorplan, SITE_H_UM, SITE_W_UM } from '../../flows/pnr/floorplan.ts';
import { checkOrfsDesign, readConfigMk, writeOrfsDesign } from '../../flows/pnr/orfs.ts';
import { renderSdc } from '../../flows/sdc.ts';
import { screen, useScratch } from './helpers.ts';

describe('flows/pnr (OpenROAD-flow-scripts configs)', () => {
  const s = useScratch('pnr');

  it('sizes the core from cell area / utilisation on the site grid, die inside the budget', () => {
    const fp = planFloorplan({ cellAreaUm2: 170000, utilization: 0.5 });
    const [cx0, cy0, cx1, cy1] = fp.core;
    const coreArea = (cx1 - cx0) * (cy1 - cy0);
    assert.ok(coreArea >= 170000 / 0.5, `core ${coreArea}`);
    assert.ok(coreArea < (170000 / 0.5) * 1.05, `core ${coreArea} far above the need`);
    const onGrid = (x: number, st: number) => Math.abs(x / st - Math.round(x / st)) < 1e-6;
    assert.ok(onGrid(cx1 - cx0, SITE_W_UM) && onGrid(cy1 - cy0, SITE_H_UM));
    assert.ok(fp.die[2] > cx1 && fp.die[3] > cy1 && cx0 > 0 && cy0 > 0);
    assert.ok(fp.dieAreaMm2 <= 2);
  });

  it('refuses a design over the 2 mm² budget with exit code 1', () => {
    assert.throws(() => planFloorplan({ cellAreaUm2: 1.2e6, utilization: 0.5 }), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_OVER_BUDGET');
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /exceeds the 2 mm² budget/);
      return true;
    });
  });

  it('writes config.mk + SDC that agree, and the check catches edits that break them', () => {
    const dir = join(s.dir, 'd');
    const fp = planFloorplan({ cellAreaUm2: 10000, utilization: 0.4 });
    writeOrfsDesign(dir, {
      design: 'mac-array-fixture',
      top: 'mac_array',
      files: [join(FIXTURES_DIR, 'mac_array.v')],
      params: { ROWS: 2, COLS: 2, PIPELINED: 1 },
      clockMhz: 180,
      sdc: renderSdc({ design: 'mac-array-fixture', clockMhz: 180, inputs: ['clk', 'rst_n', 'a_in'], outputs: ['acc_out'] }),
      floorplan: fp,
      cellAreaUm2: 10000,
      areaCorner: 'tt',
    });
    assert.deepEqual(checkOrfsDesign(dir), []);
    const v = readConfigMk(join(dir, 'config.mk'));
    assert.equal(v.PLATFORM, 'sky130hd');
    assert.equal(v.DESIGN_NAME, 'mac_array');
    assert.equal(v.ABC_CLOCK_PERIOD_IN_PS, '5556');
    assert.equal(v.VERILOG_TOP_PARAMS, 'ROWS 2 COLS 2 PIPELINED 1');
    assert.equal(v.DIE_AREA, fp.die.join(' '));
    assert.ok(Number(v.PLACE_DENSITY) >= 0.4);

    // GNU make, as ORFS includes it from another directory, resolves the paths to real files.
    const mk = spawnSync('make', ['-s', '-C', s.dir, '-f', '-', 'show'], {
      input: `include ${join(dir, 'config.mk')}\nshow:\n\t@echo $(VERILOG_FILES) $(SDC_FILE) $(DESIGN_NAME)\n`,
      encoding: 'utf8',
    });
    if (mk.error === undefined) {
      assert.equal(mk.status, 0, mk.stderr);
      const [verilog, sdcFile, name] = mk.stdout.trim().split(/\s+/);
      assert.equal(verilog, join(dir, 'src', '00_mac_array.v'));
      assert.equal(sdcFile, join(dir, 'constraint.sdc'));
      assert.equal(name, 'mac_array');
    }

    const sdcPath = join(dir, 'constraint.sdc');
    const sdc = readFileSync(sdcPath, 'utf8');
    writeFileSync(sdcPath, sdc.replace('set clk_period 5.556', 'set clk_period 6.000'));
    assert.ok(checkOrfsDesign(dir).some((p) => /clock mismatch/.test(p)));
    writeFileSync(sdcPath, sdc);

    const cfgPath = join(dir, 'config.mk');
    const cfg = readFileSync(cfgPath, 'utf8');
    writeFileSync(cfgPath, cfg.replace(/CORE_AREA\s+=.*/, 'CORE_AREA = 11.04 10.88 50.14 50.32'));
    const probs = checkOrfsDesign(dir);
    assert.ok(probs.some((p) => /smaller than cell area \/ utilisation/.test(p)), probs.join('; '));
    writeFileSync(cfgPath, cfg.replace(/00_mac_array\.v/, '00_missing.v'));
    assert.ok(checkOrfsDesign(dir).some((p) => /VERILOG_FILES entry .*00_missing\.v' does not exist/.test(p)));
  });

  it('reserves core area for memory macros and notes them in config.mk with their liberty', () => {
    const plain = planFloorplan({ cellAreaUm2: 100000, utilization: 0.5 });
    const fp = planFloorplan({ cellAreaUm2: 100000, utilization: 0.5, macroAreaUm2: 50000 });
    assert.equal(fp.macroReserveUm2, 50000 * (1 + MACRO_HALO_FACTOR));
    assert.ok(fp.coreAreaUm2 >= 100000 / 0.5 + fp.macroReserveUm2 && fp.coreAreaUm2 > plain.coreAreaUm2);
    assert.throws(() => planFloorplan({ cellAreaUm2: 600000, utilization: 0.5, macroAreaUm2: 800000 }), /for memory macros and halos\) exceeds the 2 mm² budget/);
    const dir = join(s.dir, 'm');
    const lib = join(s.dir, 'fake_macros.lib');
    writeFileSync(lib, 'library ("screen_sram_macros") { }\n');
    writeOrfsDesign(dir, {
      design: 'memfx',
      top: 'mem_fixture',
      files: [join(FIXTURES_DIR, 'mem_fixture.v')],
      clockMhz: 180,
      sdc: renderSdc({ design: 'memfx', clockMhz: 180, inputs: ['clk', 'rst_n', 'in_data'], outputs: ['a'] }),
      floorplan: fp,
      cellAreaUm2: 100000,
      areaCorner: 'tt',
      macros: [{ cell: 'screen_sram_64x24_1r1w', paths: ['mem_fixture/u0/ram', 'mem_fixture/u1/ram'], area_um2: 29625 }],
      macroLiberty: lib,
    });
    assert.deepEqual(checkOrfsDesign(dir), []);
    const cfg = readFileSync(join(dir, 'config.mk'), 'utf8');
    assert.match(cfg, /#   screen_sram_64x24_1r1w x2 \(29625 µm²\): mem_fixture\/u0\/ram mem_fixture\/u1\/ram/);
    assert.equal(readConfigMk(join(dir, 'config.mk')).ADDITIONAL_LIBS, '$(SCREEN_DESIGN_DIR)/macros.lib');
    assert.equal(readFileSync(join(dir, 'macros.lib'), 'utf8'), readFileSync(lib, 'utf8'));
  });

  it('screen pnr --synth-json refuses a file that is not a synth report', () => {
    const bad = join(s.dir, 'bad.json');
    writeFileSync(bad, '{"design": "x"}');
    const r = screen(['pnr', '--design', 'mac-array-fixture', '--rows', '2', '--cols', '2', '--synth-json', bad, '--out', join(s.dir, 'p'), '--work', join(s.dir, 'w'), '--json']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--synth-json: .*bad\.json' is not a 'screen synth --json' report/);
  });
});
