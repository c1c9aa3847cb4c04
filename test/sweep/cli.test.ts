// `screen sweep` through the CLI: the table, exit codes, the Makefile, the cache and --merge.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CACHE_DIR, jobFileName } from '../../flows/sweep/cache.ts';
import { screen, useScratch } from './helpers.ts';

const TINY = ['--cell-cycles', '9,16', '--stripe', '16,32', '--quant-bits', '8,4', '--array-rows', '2', '--array-cols', '2'];

interface Row { id: string; cell_cycles: number; stripe: number; quant_bits: number; macs: number; fps: number; utilisation: number; onchip_memory_bits: number; dram_mb_per_frame: number; dram_gb_per_s: number; memory_area_mm2: number; array_area_mm2: number | null; total_area_mm2: number | null; fmax_mhz: number | null; weights: string; psnr_y_db: number | null; pareto: boolean; synth_source: string | null }
interface Doc { configs: number; rows: Row[]; pareto: string[]; area_label: string; synth: { jobs: number; from_cache: number; ran: number; merged: number; missing: number; failed: unknown[] }; outputs: { csv: string; json: string; svg: string } }

describe('screen sweep (CLI)', () => {
  const s = useScratch('cli');

  it('profiles the grid without synthesis: one row per config, CSV/JSON/SVG written, PSNR only where measured', () => {
    const psnr = join(s.dir, 'psnr.json');
    writeFileSync(psnr, JSON.stringify({ crnn_q8: 36.5 }));
    const out = join(s.dir, 'nosynth');
    const r = screen(['sweep', ...TINY, '--no-synth', '--cache', join(s.dir, 'empty-cache'), '--psnr-from', psnr, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as Doc;
    assert.equal(j.configs, 8);
    assert.equal(j.rows.length, 8);
    assert.deepEqual(j.synth, { mode: 'no-synth', jobs: 2, from_cache: 0, ran: 0, merged: 0, failed: [], missing: 2 } as unknown as Doc['synth']);
    assert.match(j.area_label, /MACs \+ memory estimate, not full-chip/);
    for (const row of j.rows) {
      assert.equal(row.array_area_mm2, null);
      assert.equal(row.total_area_mm2, null);
      // RAMs at 10 µm²/bit, registers at 20: between the two bounds.
      assert.ok(row.memory_area_mm2 >= row.onchip_memory_bits * 10 / 1e6 - 1e-4 && row.memory_area_mm2 <= row.onchip_memory_bits * 20 / 1e6, row.id);
      // weights/crnn_q8.json is the 8-bit network with these knobs; the 4-bit configs have no trained weights.
      assert.equal(row.psnr_y_db, row.quant_bits === 8 ? 36.5 : null, row.id);
    }
    // Fewer cycles per cell need more MACs; a wider stripe recomputes fewer halo cells.
    const byId = (id: string) => j.rows.find((x) => x.id === id)!;
    assert.ok(byId('c9-s32-q8-h12-g1').macs > byId('c16-s32-q8-h12-g1').macs);
    assert.ok(byId('c16-s32-q8-h12-g1').fps > byId('c16-s16-q8-h12-g1').fps);
    assert.ok(byId('c16-s32-q8-h12-g1').dram_mb_per_frame < byId('c16-s16-q8-h12-g1').dram_mb_per_frame);
    // The same numbers as `screen profile` for one config.
    const p = screen(['profile', '--cell-cycles', '16', '--stripe-cells', '32', '--quant-bits', '4', '--json']);
    const pj = JSON.parse(p.stdout) as { fps: number; onchip_memory_bits: number; macs: number; dram_bytes_per_frame: number };
    const row = byId('c16-s32-q4-h12-g1');
    assert.equal(row.fps, Math.round(pj.fps * 100) / 100);
    assert.equal(row.onchip_memory_bits, pj.onchip_memory_bits);
    assert.equal(row.macs, pj.macs);
    assert.equal(row.dram_mb_per_frame, Math.round(pj.dram_bytes_per_frame / 1e6 * 1e4) / 1e4);
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(csv.length, 9);
    assert.ok(csv[0].startsWith('id,cell_cycles,stripe,quant_bits'));
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')).rows, j.rows);
    assert.match(readFileSync(join(out, 'pareto.svg'), 'utf8'), /no config with a known area/);
  });

  it('exits 2 listing every bad knob value, before writing anything', () => {
    const out = join(s.dir, 'bad');
    const r = screen(['sweep', '--cell-cycles', '0,8,5000', '--stripe', '2,16', '--quant-bits', '8,5', '--hidden-c', 'x', '--no-synth', '--out', out, '--json']);
    assert.equal(r.code, 2, r.stderr);
    const e = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(e.code, 'E_SWEEP_KNOB');
    for (const want of ['--cell-cycles 0:', '--cell-cycles 5000:', '--stripe 2:', '--quant-bits 5:', "--hidden-c 'x'"]) assert.ok(e.message.includes(want), `${want} missing from\n${e.message}`);
    assert.ok(!existsSync(out));
    assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/);
  });

  it('emits a GNU Make file: one target per synth job and a merge target (make -n)', function () {
    if (spawnSync('make', ['--version']).status !== 0) this.skip();
    const mk = join(s.dir, 'sweep.mk');
    const out = join(s.dir, 'cluster');
    const r = screen(['sweep', ...TINY, '--emit-make', mk, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { jobs: number }).jobs, 2);
    const n = spawnSync('make', ['-n', '-f', mk], { encoding: 'utf8' });
    assert.equal(n.status, 0, n.stderr);
    const synthLines = n.stdout.split('\n').filter((l) => / synth --design mac-array /.test(l));
    assert.equal(synthLines.length, 2, n.stdout);
    for (const qb of [8, 4]) {
      const file = jobFileName({ rows: 2, cols: 2, quant_bits: qb, corner: 'tt', clock_mhz: 180 });
      assert.ok(synthLines.some((l) => l.includes(`--rows 2 --cols 2 --quant-bits ${qb} `) && l.endsWith(`> ${out}/synth/${file}.tmp`)), `no job for 2x2 w${qb}`);
    }
    const merge = n.stdout.split('\n').filter((l) => / sweep /.test(l));
    assert.equal(merge.length, 1);
    assert.ok(merge[0].includes(`--cell-cycles 9,16 --stripe 16,32 --quant-bits 4,8`) && merge[0].includes('--array-rows 2 --array-cols 2') && merge[0].includes(`--merge ${out}/synth --out ${out}`), merge[0]);
    // Only the missing job reruns once a report exists.
    const one = join(out, 'synth', jobFileName({ rows: 2, cols: 2, quant_bits: 8, corner: 'tt', clock_mhz: 180 }));
    mkdirSync(join(out, 'synth'), { recursive: true });
    writeFileSync(one, '{}');
    const n2 = spawnSync('make', ['-n', '-f', mk], { encoding: 'utf8' });
    assert.equal(n2.stdout.split('\n').filter((l) => / synth --design mac-array /.test(l)).length, 1);
  });

  it('synthesises the 2x2 reference array once (cache), then reuses it; --merge reads the same report', () => {
    const grid = ['--cell-cycles', '16', '--stripe', '16,32', '--quant-bits', '8', '--array-rows', '2', '--array-cols', '2'];
    const psnr = join(s.dir, 'psnr-2x2.json');
    writeFileSync(psnr, JSON.stringify({ crnn_q8: 37.5 }));
    const r1 = screen(['sweep', ...grid, '-j', '2', '--psnr-from', psnr, '--out', join(s.dir, 's1'), '--json']);
    assert.equal(r1.code, 0, r1.stderr);
    const j1 = JSON.parse(r1.stdout) as Doc;
    assert.equal(j1.synth.jobs, 1);
    assert.equal(j1.synth.ran + j1.synth.from_cache, 1, r1.stderr);
    const area = j1.rows[0].array_area_mm2!;
    // The engine's MACs at the per-MAC area of the synthesised 2x2 array.
    const perMac = area / j1.rows[0].macs;
    assert.ok(perMac > 1e-4 && perMac < 0.02, `${perMac} mm² per MAC`);
    assert.ok(j1.rows[0].fmax_mhz! > 50);
    for (const row of j1.rows) assert.ok(Math.abs(row.total_area_mm2! - (row.array_area_mm2! + row.memory_area_mm2)) <= 1.5e-4, `${row.total_area_mm2} vs ${row.array_area_mm2} + ${row.memory_area_mm2}`);
    // The MAC count does not depend on the stripe, so both rows have the same array area; the wider stripe has more memory and more fps.
    assert.deepEqual(j1.pareto, j1.rows[0].fps > j1.rows[1].fps ? [j1.rows[0].id] : j1.rows[0].total_area_mm2! < j1.rows[1].total_area_mm2! ? [j1.rows[0].id, j1.rows[1].id] : [j1.rows[1].id]);
    assert.deepEqual((j1 as Doc & { pareto_measured_psnr: string[] }).pareto_measured_psnr, j1.pareto, 'every config here has the measured crnn_q8 PSNR');
    const svg = readFileSync(j1.outputs.svg, 'utf8');
    assert.equal((svg.match(/<title>/g) ?? []).length, 2);

    const r2 = screen(['sweep', ...grid, '--out', join(s.dir, 's2'), '--json']);
    const j2 = JSON.parse(r2.stdout) as Doc;
    assert.equal(j2.synth.from_cache, 1);
    assert.equal(j2.synth.ran, 0);
    assert.match(r2.stderr, /1 cached, 0 to run/);
    assert.deepEqual(j2.rows.map((x) => x.array_area_mm2), j1.rows.map((x) => x.array_area_mm2));

    // --merge: reports from a directory (what the Makefile's jobs write).
    const dir = join(s.dir, 'merge');
    const r3 = screen(['sweep', ...grid, '--merge', dir, '--out', join(s.dir, 's3'), '--json']);
    assert.equal(r3.code, 2);
    assert.match((JSON.parse(r3.stdout) as { error: { message: string } }).error.message, /no synth report for 1 of 1 job\(s\): 2x2 w8/);
    mkdirSync(dir);
    const name = jobFileName({ rows: 2, cols: 2, quant_bits: 8, corner: 'tt', clock_mhz: 180 });
    copyFileSync(join(DEFAULT_CACHE_DIR, name), join(dir, name));
    const r4 = screen(['sweep', ...grid, '--merge', dir, '--out', join(s.dir, 's4'), '--json']);
    assert.equal(r4.code, 0, r4.stderr);
    const j4 = JSON.parse(r4.stdout) as Doc;
    assert.equal(j4.synth.merged, 1);
    assert.deepEqual(j4.rows.map((x) => [x.array_area_mm2, x.synth_source]), j1.rows.map((x) => [x.array_area_mm2, 'merge']));

    // A report of another job under this job's name is refused, not used.
    const cache = join(s.dir, 'bad-cache');
    mkdirSync(cache);
    const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { config: { rows: number } };
    doc.config.rows = 3;
    writeFileSync(join(cache, name), JSON.stringify(doc));
    const r5 = screen(['sweep', ...grid, '--no-synth', '--cache', cache, '--out', join(s.dir, 's5'), '--json']);
    assert.equal(r5.code, 2);
    assert.match((JSON.parse(r5.stdout) as { error: { message: string } }).error.message, /config\.rows is 3, expected 2.*delete it/s);
  });

  it('exits 1 and keeps the table when a synth job fails (worker error reported, nothing cached)', () => {
    const cache = join(s.dir, 'fail-cache');
    const r = screen(['sweep', '--cell-cycles', '16', '--stripe', '16', '--quant-bits', '4', '--array-rows', '2', '--array-cols', '2', '--cache', cache, '--out', join(s.dir, 'fail'), '--json'], { ...process.env, PDK_ROOT: join(s.dir, 'no-pdk') });
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout) as Doc & { rows: (Row & { synth_error: string })[]; synth: { failed: { error: string }[] } };
    assert.equal(j.synth.failed.length, 1);
    assert.match(j.synth.failed[0].error, /no-pdk/);
    assert.match(j.rows[0].synth_error, /exited 2/);
    assert.equal(j.rows[0].array_area_mm2, null);
    assert.match(r.stderr, /synth FAILED 1\/1: 2x2 w4/);
    assert.ok(!existsSync(join(cache, jobFileName({ rows: 2, cols: 2, quant_bits: 4, corner: 'tt', clock_mhz: 180 }))));
  });
});
