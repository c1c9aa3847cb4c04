// Verilator stream-harness speed: simulated cycles/s and beats/s (inside the C++ loop and end to
// end from TypeScript, including beat-file I/O), plus cold and cached build times.
// Prints JSON and writes bench/results/sim.json.
//   nice npx tsx bench/sim.ts [--beats N] [--out FILE]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { elaborate } from '../generators/core/elaborate.ts';
import { buildSkidBuffer } from '../generators/blocks/axis/skid_buffer.ts';
import { compareBeats } from '../sim/compare.ts';
import { runStreamSim } from '../sim/run.ts';
import type { Backpressure, BeatIn, SimDesign } from '../sim/types.ts';
import { designFromVerilog } from '../sim/verilog-ports.ts';
import { designFromCore } from '../sim/core-design.ts';

const { values } = parseArgs({
  options: {
    beats: { type: 'string', default: '1000000' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/sim.json', import.meta.url)) },
  },
});
const N = Number(values.beats);
if (!Number.isSafeInteger(N) || N < 1) throw new Error(`--beats must be a positive integer, got ${values.beats}`);
const fixtures = fileURLToPath(new URL('../test/sim/fixtures/', import.meta.url));

function beatsOf(n: number, width: number): BeatIn[] {
  const mask = (1n << BigInt(width)) - 1n;
  let s = 0x12345678n;
  return Array.from({ length: n }, (_, i) => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    let v = s;
    for (let b = 64; b < width; b += 64) v = (v << 64n) | (s ^ BigInt(b));
    return { data: v & mask, last: i % 1280 === 1279, user: i === 0 };
  });
}

interface Case {
  name: string;
  design: SimDesign;
  width: number;
}

const cases: Case[] = [
  { name: 'fixture skid_buffer W=32', design: designFromVerilog({ files: [join(fixtures, 'skid_buffer.v')], top: 'skid_buffer', params: { W: 32, U: 1 } }), width: 32 },
  { name: 'fixture skid_buffer W=256 (VlWide)', design: designFromVerilog({ files: [join(fixtures, 'skid_buffer.v')], top: 'skid_buffer', params: { W: 256, U: 1 } }), width: 256 },
  { name: 'fixture two_stage W=24 (+ passive debug stream)', design: designFromVerilog({ files: [join(fixtures, 'skid_buffer.v'), join(fixtures, 'two_stage.v')], top: 'two_stage' }), width: 24 },
  { name: 'block axis_skid width=32 (DSL core)', design: designFromCore(elaborate(buildSkidBuffer({ width: 32 }).module)), width: 32 },
];
const settings: { label: string; backpressure: Backpressure }[] = [
  { label: 'full speed', backpressure: {} },
  { label: 'gap 0.3 / stall 0.3', backpressure: { inputGap: 0.3, outputStall: 0.3 } },
];

const runs = [];
for (const c of cases) {
  const beats = beatsOf(N, c.width);
  for (const s of settings) {
    const t0 = performance.now();
    const r = await runStreamSim({ design: c.design, inputs: { s_axis: beats }, expect: { m_axis: N }, seed: 1, backpressure: s.backpressure });
    const endToEnd = (performance.now() - t0) / 1000 - r.buildSeconds;
    const ok = compareBeats(beats, r.outputs.m_axis).ok;
    if (!ok) throw new Error(`${c.name} (${s.label}): output differs from input; the harness or fixture is broken`);
    runs.push({
      design: c.name,
      setting: s.label,
      beats: N,
      cycles: r.cycles,
      simSeconds: +r.wallSeconds.toFixed(4),
      cyclesPerSecond: Math.round(r.cyclesPerSecond),
      beatsPerSecond: Math.round(N / r.wallSeconds),
      endToEndSeconds: +endToEnd.toFixed(3),
      endToEndBeatsPerSecond: Math.round(N / endToEnd),
      buildSeconds: +r.buildSeconds.toFixed(2),
    });
    process.stderr.write(`${c.name}, ${s.label}: ${runs[runs.length - 1].cyclesPerSecond} cycles/s\n`);
  }
}

// Cold build (empty cache) vs cached lookup of the same model.
const cold = mkdtempSync(join(tmpdir(), 'screen-sim-bench-'));
const small = cases[0].design;
const t1 = performance.now();
const first = await runStreamSim({ design: small, inputs: { s_axis: beatsOf(10, 32) }, expect: { m_axis: 10 }, build: { cacheDir: cold } });
const coldTotal = (performance.now() - t1) / 1000;
const t2 = performance.now();
await runStreamSim({ design: small, inputs: { s_axis: beatsOf(10, 32) }, expect: { m_axis: 10 }, build: { cacheDir: cold } });
const cachedTotal = (performance.now() - t2) / 1000;
const traced = await runStreamSim({ design: small, inputs: { s_axis: beatsOf(10, 32) }, expect: { m_axis: 10 }, build: { cacheDir: cold }, vcd: join(cold, 'x.vcd') });
rmSync(cold, { recursive: true, force: true });

const result = {
  bench: 'sim',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', verilator: execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim() },
  note: 'simSeconds/cyclesPerSecond: the C++ loop only; endToEnd: runStreamSim call minus build (beat encoding, files, decoding). Machine shared with other jobs.',
  runs,
  build: {
    coldSeconds: +first.buildSeconds.toFixed(2),
    coldRunTotalSeconds: +coldTotal.toFixed(2),
    cachedRunTotalSeconds: +cachedTotal.toFixed(3),
    traceVariantColdSeconds: +traced.buildSeconds.toFixed(2),
  },
};
mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
