// `screen synth` / `screen pnr` through the CLI: JSON contract, exit codes, error messages.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { screen, useScratch } from './helpers.ts';

describe('screen synth / screen pnr (CLI)', () => {
  const s = useScratch('cli');

  it('prints one JSON document with the contract fields for a 2x2 array', () => {
    const r = screen(['synth', '--design', 'mac-array-fixture', '--rows', '2', '--cols', '2', '--corner', 'tt', '--clock-mhz', '180', '--out', join(s.dir, 'a'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const k of ['design', 'corner', 'clock_mhz', 'area_um2', 'area_mm2', 'cells', 'flops', 'memory_bits', 'wns_ns', 'fmax_mhz', 'critical_path', 'power_mw', 'max_fanout', 'tool_versions']) {
      assert.ok(k in j, `missing ${k}`);
    }
    assert.equal(j.design, 'mac-array-fixture');
    assert.equal(j.flops, 184);
    assert.equal(j.clock_mhz, 180);
    assert.match(r.stderr, /\[synth\] yosys done/);
  });

  it('synthesises --verilog files with an auto-detected top', () => {
    const r = screen(['synth', '--design', 'rf', '--verilog', join(FIXTURES_DIR, 'regfile.v'), '--out', join(s.dir, 'rf'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { top: string; memory_bits: number };
    assert.equal(j.top, 'regfile');
    assert.equal(j.memory_bits, 128);
  });

  it('synthesises the DSL-generated MAC array (generators/blocks/mac_array)', () => {
    const r = screen(['synth', '--design', 'mac-array', '--rows', '2', '--cols', '2', '--quant-bits', '4', '--out', join(s.dir, 'gen'), '--allow-violations', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { top: string; flops: number; config: { expected_flops: number; weightBits: number } };
    assert.match(j.top, /^mac_array_2x2_a8w4/);
    assert.equal(j.config.weightBits, 4);
    // Yosys may retime a memory's read register, so allow a few flops either way.
    assert.ok(Math.abs(j.flops - j.config.expected_flops) <= 8, `${j.flops} flops vs ${j.config.expected_flops} from the builder`);
  });

  it('synthesises a catalog design generated into the default work dir (gen names files relative to the repo)', () => {
    const r = screen(['synth', '--design', 'camera-hdmi-timing', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { top: string; flops: number };
    assert.match(j.top, /^hdmi_timing_1920x1080/);
    assert.ok(j.flops > 20, `${j.flops} flops`);
  });

  it('exits 1 when timing is missed, 0 with --allow-violations', () => {
    const args = ['synth', '--design', 'mac-array-fixture', '--rows', '2', '--cols', '2', '--clock-mhz', '1000', '--out', join(s.dir, 'fast'), '--json'];
    const r = screen(args);
    assert.equal(r.code, 1, r.stderr);
    assert.ok((JSON.parse(r.stdout) as { worst_slack_ns: number }).worst_slack_ns < 0);
    assert.equal(screen([...args, '--allow-violations']).code, 0);
  });

  it('exits 2 naming PDK_ROOT when the PDK is missing', () => {
    const r = screen(['synth', '--design', 'mac-array-fixture', '--out', join(s.dir, 'x'), '--json'], { ...process.env, PDK_ROOT: join(s.dir, 'no-pdk') });
    assert.equal(r.code, 2);
    const j = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.equal(j.error.code, 'E_PDK_MISSING');
    assert.match(j.error.message, /no-pdk.*PDK_ROOT/s);
    assert.match(r.stderr, /sky130A\/libs\.ref\/sky130_fd_sc_hd/);
  });

  it('exits 2 naming the package when sta or native yosys is missing', () => {
    // A PATH with node and nice but no yosys / sta.
    const bin = join(s.dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const nice = spawnSync('sh', ['-c', 'command -v nice'], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(nice, join(bin, 'nice'));
    const env = { ...process.env, PATH: bin, SCREEN_YOSYS: 'native' };
    const r = screen(['synth', '--design', 'mac-array-fixture', '--out', join(s.dir, 'y')], env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_YOSYS_MISSING.*apt-get install yosys/);
    const r2 = screen(['synth', '--design', 'mac-array-fixture', '--out', join(s.dir, 'y')], { ...env, SCREEN_YOSYS: 'yowasp' });
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /E_STA_MISSING.*apt-get install opensta/);
  });

  it('rejects bad usage with exit 2', () => {
    // No --design defaults to the MAC array, except with --verilog, where the design must be named.
    const noName = screen(['synth', '--verilog', 'test/flows/fixtures/mac_array.v']);
    assert.equal(noName.code, 2);
    assert.match(noName.stderr, /--design NAME is required with --verilog/);
    assert.equal(screen(['synth', '--design', 'mac-array-fixture', '--corner', 'ff']).code, 2);
    const r = screen(['synth', '--design', 'no-such-design', '--out', join(s.dir, 'n')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-design/);
  });

  it('screen pnr writes a consistent ORFS config and says OpenROAD is missing', function () {
    if (spawnSync('openroad', ['-version']).status === 0) this.skip();
    const out = join(s.dir, 'pnr');
    const r = screen(['pnr', '--design', 'mac-array-fixture', '--rows', '2', '--cols', '2', '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { checks: string[]; openroad: { ran: boolean; note: string }; config: string };
    assert.deepEqual(j.checks, []);
    assert.equal(j.openroad.ran, false);
    assert.match(j.openroad.note, /OpenROAD is not installed/);
    assert.equal(j.config, join(out, 'config.mk'));
  });
});
