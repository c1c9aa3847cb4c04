// Generation speed of every block `screen gen` knows: elaborate + write Verilog (and the
// regfile's C/TS/markdown), median of several runs in one process. Prints JSON and writes
// bench/results/gen.json.
//   nice npx tsx bench/gen.ts [--runs N] [--out FILE]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeVerilog } from '../generators/core/index.ts';
import { CATALOG } from '../generators/blocks/catalog.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/gen.json', import.meta.url)) },
  },
});
const runs = Math.max(1, Number(values.runs));

const cases: { name: string; design: string; config: Record<string, unknown> }[] = [
  { name: 'mac-pe accumulate 8x8 taps 9', design: 'mac-pe', config: {} },
  { name: 'mac-array 8x8 int8 x int4', design: 'mac-array', config: { rows: 8, cols: 8, weightBits: 4 } },
  { name: 'mac-array 16x16 int8 x int8', design: 'mac-array', config: { rows: 16, cols: 16 } },
  { name: 'mac-array 32x32 int8 x int4', design: 'mac-array', config: { rows: 32, cols: 32, weightBits: 4 } },
  { name: 'line-buffer k3 1280 px', design: 'line-buffer', config: {} },
  { name: 'line-buffer k7 1920 px', design: 'line-buffer', config: { k: 7, maxWidth: 1920 } },
  { name: 'skid-buffer 32 bit', design: 'skid-buffer', config: { width: 32 } },
  { name: 'regfile (4 outputs)', design: 'regfile', config: {} },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (const c of cases) {
  const times: number[] = [];
  let info = { modules: 0, files: 0, bytes: 0, configHash: '' };
  for (let i = 0; i < runs + 1; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
    const t0 = performance.now();
    const r = CATALOG[c.design].build(c.config);
    const files = writeVerilog(r.design, dir);
    for (const [n, t] of r.extraFiles) writeFileSync(join(dir, n), t);
    const ms = performance.now() - t0;
    if (i > 0) times.push(ms); // run 0 warms up module loading and the JIT
    info = { modules: r.design.modules.length, files: files.length + r.extraFiles.size, bytes: r.design.modules.reduce((s, m) => s + m.text.length, 0), configHash: r.configHash };
    rmSync(dir, { recursive: true, force: true });
  }
  results.push({ name: c.name, design: c.design, config: c.config, ...info, median_ms: Number(median(times).toFixed(1)), min_ms: Number(Math.min(...times).toFixed(1)), runs });
  process.stderr.write(`[bench gen] ${c.name}: ${median(times).toFixed(1)} ms\n`);
}
const doc = { bench: 'gen', node: process.version, date: new Date().toISOString(), results };
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(doc, null, 2) + '\n');
process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
