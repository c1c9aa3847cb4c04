// The design-space sweep of issue 6 item 7 on the layer pipeline: cell cycles {9,16,32} x stripe
// {32,64,128} x weight bits {8,4} at 180 MHz tt, with synthesis of the 8x8 reference MAC array per
// weight width (cached in build/sweep-cache, so a rerun only re-profiles).
// Records the wall time, how many synth jobs ran, and the Pareto front(s).
// Prints JSON and writes bench/results/sweep.json.
//   nice npx tsx bench/sweep.ts [-j N] [--fresh] [--psnr-from EVAL.json] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../flows/paths.ts';
import { DEFAULT_CACHE_DIR } from '../flows/sweep/cache.ts';
import { runSweep } from '../flows/sweep/run.ts';
import { DEFAULT_NET_WEIGHTS } from '../model/net/upscaler.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', short: 'j', default: '2' },
    fresh: { type: 'boolean', default: false },
    'psnr-from': { type: 'string', multiple: true },
    out: { type: 'string', default: fileURLToPath(new URL('./results/sweep.json', import.meta.url)) },
  },
});

const t0 = performance.now();
const r = await runSweep({
  grid: { cell_cycles: [9, 16, 32], stripe: [32, 64, 128], quant_bits: [4, 8], hidden_c: [12], n_gcr: [1], corner: 'tt', clock_mhz: 180, target_fps: 30, lr_width: 1280, lr_height: 720, base_net: DEFAULT_NET_WEIGHTS, array_rows: 8, array_cols: 8 },
  mode: 'synth',
  parallel: Number(values.jobs),
  cacheDir: DEFAULT_CACHE_DIR,
  fresh: values.fresh,
  outDir: join(REPO_ROOT, 'build', 'sweep-bench'),
  psnrFiles: (values['psnr-from'] ?? []).map((p) => resolve(p)),
  paretoOn: 'fps',
  log: (m) => process.stderr.write(m + '\n'),
});
const pick = (id: string) => {
  const x = r.rows.find((row) => row.id === id)!;
  return { id, total_area_mm2: x.total_area_mm2, array_area_mm2: x.array_area_mm2, memory_area_mm2: x.memory_area_mm2, fps: x.fps, fmax_mhz: x.fmax_mhz, psnr_y_db: x.psnr_y_db, dram_gb_per_s: x.dram_gb_per_s };
};
const best = [...r.rows].sort((a, b) => b.fps - a.fps || (a.total_area_mm2 ?? 0) - (b.total_area_mm2 ?? 0))[0];
const doc = {
  bench: 'sweep',
  date: new Date().toISOString(),
  wall_s: Math.round((performance.now() - t0) / 10) / 100,
  parallel: Number(values.jobs),
  cpus: cpus().length,
  load_average_1min: Math.round(loadavg()[0] * 100) / 100,
  configs: r.configs,
  synth: { jobs: r.synth.jobs, ran: r.synth.ran, from_cache: r.synth.from_cache, failed: r.synth.failed.length },
  area_label: r.area_label,
  pareto: r.pareto.map(pick),
  pareto_measured_psnr: r.pareto_measured_psnr.map(pick),
  fastest: pick(best.id),
  configs_meeting_30fps: r.rows.filter((x) => x.meets_fps).map((x) => x.id),
  psnr_sources: r.psnr_sources,
  outputs: r.outputs,
};
const json = JSON.stringify(doc, null, 2);
process.stdout.write(json + '\n');
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, json + '\n');
