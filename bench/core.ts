// DSL core speed: build + elaborate + emit of a synthetic N x N grid of small cells (each
// its own Module object, deduplicated at emission), and the share spent capturing source
// locations. Prints JSON and writes bench/results/core.json.
//   nice npx tsx bench/core.ts [--sizes 8,16,32] [--out FILE]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Module, elaborate, emitVerilog, userLoc, type Signal } from '../generators/core/index.ts';
import { captureLoc } from '../generators/core/srcloc.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '8,16,32' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/core.json', import.meta.url)) },
  },
});

function cell(): Module {
  const m = new Module('grid_cell', { params: { bits: 16 } });
  const a = m.input('a', 8, { signed: true });
  const b = m.input('b', 8, { signed: true });
  const en = m.input('en', 1);
  const acc = m.reg('acc', 16, { reset: 0, signed: true });
  const a_q = m.reg('a_q', 8, { reset: null, signed: true });
  m.when(en, () => {
    acc.set(a.mul(b).sext(16).add(acc, 16));
    a_q.set(a);
  });
  m.output('a_o', 8, { signed: true }).set(a_q);
  m.output('y', 16, { signed: true }).set(acc);
  return m;
}

function grid(n: number): Module {
  const m = new Module('grid', { params: { n } });
  const en = m.input('en', 1);
  const ws = Array.from({ length: n }, (_, c) => m.input(`w_${c}`, 8, { signed: true }));
  const outs: Signal[] = [];
  for (let r = 0; r < n; r++) {
    let a: Signal = m.input(`a_${r}`, 8, { signed: true });
    for (let c = 0; c < n; c++) {
      const u = m.instantiate(`pe_${r}_${c}`, cell(), { a, b: ws[c], en });
      a = u.out('a_o');
      if (c === n - 1) m.unused(a, 'last column: activations leave the array');
      outs.push(u.out('y'));
    }
  }
  const sum = outs.reduce<Signal>((s, o, i) => m.wire(`sum_${i}`, i === 0 ? o.sext(24) : s.add(o.sext(24), 24)), outs[0]);
  m.output('total', 24, { signed: true }).set(sum);
  return m;
}

const results: Record<string, unknown>[] = [];
for (const n of values.sizes!.split(',').map(Number)) {
  const t0 = performance.now();
  const top = grid(n);
  const t1 = performance.now();
  const d = elaborate(top);
  const t2 = performance.now();
  const files = emitVerilog(d);
  const chars = [...files.values()].reduce((s, t) => s + t.length, 0);
  results.push({ grid: `${n}x${n}`, cells: n * n, buildMs: +(t1 - t0).toFixed(1), elaborateMs: +(t2 - t1).toFixed(1), modules: d.modules.length, rtlChars: chars });
}
// Cost of a source-location capture (one per declaration/assignment/instance; formatted
// only when it ends up in an error message) and of a formatted one.
const k = 20000;
const timeUs = (f: () => unknown) => {
  const t = performance.now();
  for (let i = 0; i < k; i++) f();
  return +(((performance.now() - t) * 1000) / k).toFixed(2);
};
const out = { bench: 'core', node: process.version, results, captureLocMicroseconds: timeUs(captureLoc), formattedLocMicroseconds: timeUs(userLoc) };
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify(out, null, 2));
