// `screen bench`: run the benchmark scripts in bench/ one after another (each prints JSON and
// writes bench/results/<name>.json) and gather their results into one document.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { type Command, UsageError, stringOption } from '../command.ts';

const BENCH_DIR = fileURLToPath(new URL('../../bench/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Quick benchmarks first; synth and sweep run Yosys and take minutes. */
const DEFAULT = ['gen', 'core', 'sim', 'golden', 'camera'];

export const command: Command = {
  name: 'bench',
  summary: 'run the benchmarks in bench/ and collect their JSON results',
  usage: '[--only a,b] [--list] [--json]',
  options: {
    only: { type: 'string', arg: 'LIST', help: `comma-separated benchmarks (default: ${DEFAULT.join(',')}; also synth, sweep)` },
    list: { type: 'boolean', help: 'list the benchmarks and exit' },
  },
  details: 'Each benchmark is a script bench/<name>.ts run with nice; its results file is bench/results/<name>.json.',
  async run(ctx) {
    const all = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
    if (ctx.opts.list) return { exitCode: 0, json: { benchmarks: all }, text: all.join('\n') };
    const wanted = stringOption(ctx.opts, 'only')?.split(',').map((s) => s.trim()).filter(Boolean) ?? DEFAULT;
    const unknown = wanted.filter((w) => !all.includes(w));
    if (unknown.length) throw new UsageError(`unknown benchmark(s) ${unknown.join(', ')}; available: ${all.join(', ')}`);
    const results: Record<string, unknown> = {};
    const failed: string[] = [];
    for (const name of wanted) {
      ctx.log(`bench: ${name} ...`);
      const t0 = Date.now();
      const r = spawnSync('nice', ['node', '--import', 'tsx', join(BENCH_DIR, `${name}.ts`)], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (r.status !== 0) {
        failed.push(name);
        ctx.log(`bench: ${name} failed (exit ${r.status})`);
        continue;
      }
      results[name] = JSON.parse(readFileSync(join(BENCH_DIR, 'results', `${name}.json`), 'utf8'));
      ctx.log(`bench: ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s -> bench/results/${name}.json`);
    }
    const text = Object.entries(results).map(([n, v]) => `== ${n}\n${JSON.stringify(v, null, 2)}`).join('\n');
    return { exitCode: failed.length ? 1 : 0, json: { results, failed }, text };
  },
};
