// ORFS config generation and its consistency checks, without OpenROAD.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { planFloorplan, SITE_H_UM, SITE_W_UM } from '../../flows/pnr/floorplan.ts';
import { checkOrfsDesign, readConfigMk, writeOrfsDesign } from '../../flows/pnr/orfs.ts';
import { renderSdc } from '../../flows/sdc.ts';
import { useScratch } from './helpers.ts';

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
});
