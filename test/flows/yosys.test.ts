// The Yosys runner: native and WebAssembly builds give a netlist from the same script.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../../flows/paths.ts';
import { runYosys, yosysAvailable, type YosysEngine } from '../../flows/yosys.ts';
import { useScratch } from './helpers.ts';

describe('flows/yosys runner', () => {
  const s = useScratch('yosys');

  for (const engine of ['native', 'yowasp'] as YosysEngine[]) {
    it(`runs a script with ${engine} yosys in the work directory`, async function () {
      if (!(await yosysAvailable(engine))) this.skip();
      const dir = join(s.dir, engine);
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir);
      copyFileSync(join(FIXTURES_DIR, 'regfile.v'), join(dir, 'regfile.v'));
      const r = await runYosys('read_verilog regfile.v\nsynth -top regfile\ntee -q -o stat.json stat -json\n', { cwd: dir, engine });
      assert.equal(r.engine, engine);
      assert.match(r.version, /Yosys/);
      assert.ok(existsSync(join(dir, 'stat.json')));
      const st = JSON.parse(readFileSync(join(dir, 'stat.json'), 'utf8')) as { modules: Record<string, { num_cells: number }> };
      assert.ok(st.modules['\\regfile'].num_cells > 100);
    });
  }

  it('reports a Verilog error as E_YOSYS_FAILED with the offending line', async () => {
    const dir = join(s.dir, 'bad');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'bad.v'), 'module bad(input a, output b);\n assign b = a +;\nendmodule\n');
    await assert.rejects(runYosys('read_verilog bad.v\n', { cwd: dir }), (e: Error & { code?: string; exitCode?: number }) => {
      assert.equal(e.code, 'E_YOSYS_FAILED');
      assert.equal(e.exitCode, 2);
      assert.match(e.message, /bad\.v/);
      return true;
    });
  });
});
