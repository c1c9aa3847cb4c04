// runStreamSim: drive AXI4-Stream beats into a Verilated design and collect its output beats,
// with seeded random backpressure, a protocol monitor and liveness checks (see sim/README.md).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeOutputBeats, encodeInputBeats, toBits, wordsOf } from './beat-file.ts';
import type { Design } from '../generators/core/elaborate.ts';
import { buildModel, type BuildOptions } from './build.ts';
import { groupPorts } from './streams.ts';
import { designFromCore, isCoreDesign } from './core-design.ts';
import { CycleCapError, LivenessError, ProtocolViolationError, SimError, SimInputError } from './errors.ts';
import type { Backpressure, BeatIn, InputStats, OutputStats, SimDesign, SimResult, StreamSpec, TapSpec, TimedBeat } from './types.ts';

export interface StreamSimOptions {
  /** A SimDesign (e.g. from designFromVerilog) or the DSL core's elaborated Design. */
  design: SimDesign | Design;
  /** Beats per input stream; an input stream left out keeps tvalid low. */
  inputs: Record<string, BeatIn[]>;
  /** Output streams the caller needs; each must exist. All output streams are driven and recorded regardless. */
  outputs?: string[];
  /** Expected beat count per output; the run ends once every count is reached (plus `tailCycles`). */
  expect?: Record<string, number>;
  /** Values of the design's non-stream inputs (every one must be given), held for the whole run. */
  constInputs?: Record<string, bigint | number | boolean>;
  seed?: number;
  backpressure?: Backpressure;
  /** Per input stream: no beat is offered before this cycle (a fixed start latency, e.g. DRAM). */
  inputDelay?: Record<string, number>;
  /**
   * Per input stream: beat `beat` (and every later one) is offered only once stream `after` has
   * `count` beats done, accepted by the design (an input stream) or received from it (an output).
   * Orders streams the design does not order itself, e.g. a second weight image only after the
   * first frame's last output pixel.
   */
  inputAfter?: Record<string, { beat: number; after: string; count: number }[]>;
  /** Internal streams to record (needs public signals; a separate cached build). */
  taps?: TapSpec[];
  /** Write a VCD here (uses a --trace build variant). */
  vcd?: string;
  /** Fail if a port makes no progress for this many cycles (default 20000). */
  livenessCycles?: number;
  /** Fail after this many cycles in total (default 10 million). */
  maxCycles?: number;
  /** Outputs without an expected count must be quiet this long after the inputs finish (default 200). */
  settleCycles?: number;
  /** Cycles run after all expected beats arrived, to catch extra beats (default 32). */
  tailCycles?: number;
  /** Cycles with rst_n low before the run (default 4). */
  resetCycles?: number;
  build?: Omit<BuildOptions, 'taps' | 'trace'>;
  /** Keep the run directory (config, beat files) for debugging; its path is logged in the result. */
  keepRunDir?: boolean;
}

function probFor(p: number | Record<string, number> | undefined, port: string, what: string): number {
  const v = typeof p === 'number' ? p : (p?.[port] ?? 0);
  if (!(v >= 0 && v < 1)) throw new SimInputError(`backpressure ${what} for ${port} must be in [0, 1), got ${v}`);
  return v;
}

function checkCount(v: number | undefined, name: string, def: number, min = 0): number {
  if (v === undefined) return def;
  if (!Number.isSafeInteger(v) || v < min) throw new SimInputError(`${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

function checkPortMap(given: Record<string, unknown> | undefined, known: string[], what: string, top: string): void {
  for (const k of Object.keys(given ?? {}))
    if (!known.includes(k)) throw new SimInputError(`${top} has no ${what} '${k}' (${what}s: ${known.join(', ') || 'none'})`);
}

/** Accepts either design form; the core's Design is written out once per content (see core-design.ts). */
export function toSimDesign(d: SimDesign | Design): SimDesign {
  return isCoreDesign(d) ? designFromCore(d) : d;
}

export async function runStreamSim(opts: StreamSimOptions): Promise<SimResult> {
  const design = toSimDesign(opts.design);
  const taps = opts.taps ?? [];
  const top = design.top;
  // Everything is validated and encoded before the (possibly slow) build.
  const groups = groupPorts(design.ports, design.clock === undefined ? 'clk' : design.clock, design.reset === undefined ? 'rst_n' : design.reset, top);
  const ins = groups.streams.filter((s) => s.dir === 'in');
  const outs: StreamSpec[] = [
    ...groups.streams.filter((s) => s.dir === 'out'),
    ...taps.map((t) => ({ name: t.name, dir: 'out' as const, dataWidth: t.dataWidth, userWidth: t.userWidth ?? 0, hasLast: !!t.hasLast, hasReady: !!t.hasReady, passive: true })),
  ];
  checkPortMap(opts.inputs, ins.map((s) => s.name), 'input stream', top);
  checkPortMap(opts.expect, outs.map((s) => s.name), 'output stream', top);
  checkPortMap(Object.fromEntries((opts.outputs ?? []).map((o) => [o, 1])), outs.map((s) => s.name), 'output stream', top);
  checkPortMap(opts.constInputs, groups.consts.map((c) => c.name), 'constant input', top);
  const missing = groups.consts.filter((c) => opts.constInputs?.[c.name] === undefined);
  if (missing.length)
    throw new SimInputError(`${top}: constant inputs not given: ${missing.map((c) => `${c.name} [${c.width} bits]`).join(', ')} (set them in constInputs)`);
  if (typeof opts.backpressure?.inputGap === 'object') checkPortMap(opts.backpressure.inputGap, ins.map((s) => s.name), 'input stream', top);
  if (opts.inputDelay) checkPortMap(opts.inputDelay, ins.map((s) => s.name), 'input stream', top);
  if (opts.inputAfter) checkPortMap(opts.inputAfter, ins.map((s) => s.name), 'input stream', top);
  const afterLines: string[] = [];
  for (const [port, gates] of Object.entries(opts.inputAfter ?? {})) {
    const n = opts.inputs[port]?.length;
    if (n === undefined) throw new SimInputError(`inputAfter.${port}: the stream has no beats in inputs`);
    for (const g of gates) {
      if (!ins.some((s) => s.name === g.after) && !outs.some((s) => s.name === g.after)) throw new SimInputError(`inputAfter.${port}: ${top} has no stream '${g.after}' (streams: ${[...ins, ...outs].map((s) => s.name).join(', ')})`);
      if (g.after === port) throw new SimInputError(`inputAfter.${port}: a stream cannot wait for itself`);
      checkCount(g.count, `inputAfter.${port} count`, 0);
      if (!Number.isSafeInteger(g.beat) || g.beat < 0 || g.beat >= n) throw new SimInputError(`inputAfter.${port}: beat ${g.beat} is not one of its ${n} beats`);
      afterLines.push(`after ${port} ${g.beat} ${g.after} ${g.count}`);
    }
  }
  if (typeof opts.backpressure?.outputStall === 'object') checkPortMap(opts.backpressure.outputStall, outs.map((s) => s.name), 'output stream', top);
  const seed = checkCount(opts.seed, 'seed', 1);
  if (opts.vcd && /\s/.test(resolve(opts.vcd))) throw new SimInputError(`VCD path must not contain spaces: ${opts.vcd}`);
  const settings = [
    `seed ${seed}`,
    `reset_cycles ${checkCount(opts.resetCycles, 'resetCycles', 4, 2)}`,
    `max_cycles ${checkCount(opts.maxCycles, 'maxCycles', 10_000_000, 1)}`,
    `liveness ${checkCount(opts.livenessCycles, 'livenessCycles', 20_000, 1)}`,
    `settle ${checkCount(opts.settleCycles, 'settleCycles', 200)}`,
    `tail ${checkCount(opts.tailCycles, 'tailCycles', 32)}`,
    ...(opts.vcd ? [`vcd ${resolve(opts.vcd)}`] : []),
  ];
  const inFiles = ins
    .filter((s) => opts.inputs[s.name])
    .map((s) => ({ s, gap: probFor(opts.backpressure?.inputGap, s.name, 'inputGap'), bytes: encodeInputBeats(s, opts.inputs[s.name]) }));
  const outLines = outs.map((s) => {
    const exp = opts.expect?.[s.name];
    if (exp !== undefined) checkCount(exp, `expect.${s.name}`, 0);
    const stall = s.passive ? 0 : probFor(opts.backpressure?.outputStall, s.name, 'outputStall');
    return (dir: string) => `out ${s.name} ${stall} ${exp ?? -1} ${join(dir, `out_${s.name}.bin`)}`;
  });
  const constLines = groups.consts.map((c) => {
    let v = toBits(opts.constInputs![c.name], c.width, `constant input ${c.name}`);
    const words: string[] = [];
    for (let i = 0; i < wordsOf(c.width); i++, v >>= 32n) words.push((v & 0xffffffffn).toString(16));
    return `const ${c.name} ${words.join(' ')}`;
  });

  const model = await buildModel(design, { ...opts.build, taps, trace: !!opts.vcd });
  const runDir = mkdtempSync(join(tmpdir(), `screen-sim-${top}-`));
  try {
    const cfg = [...settings, `result ${join(runDir, 'result.json')}`];
    for (const { s, gap, bytes } of inFiles) {
      const file = join(runDir, `in_${s.name}.bin`);
      writeFileSync(file, bytes);
      cfg.push(`in ${s.name} ${gap} ${file}`);
      const delay = opts.inputDelay?.[s.name];
      if (delay !== undefined) cfg.push(`delay ${s.name} ${checkCount(delay, `inputDelay.${s.name}`, 0)}`);
    }
    cfg.push(...afterLines);
    cfg.push(...outLines.map((f) => f(runDir)), ...constLines);
    writeFileSync(join(runDir, 'run.cfg'), cfg.join('\n') + '\n');
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((res) => {
      execFile(model.binary, [join(runDir, 'run.cfg')], { maxBuffer: 64 << 20 }, (err, _out, stderr) => {
        res({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr });
      });
    });
    const resultPath = join(runDir, 'result.json');
    if ((code !== 0 && code !== 1) || !existsSync(resultPath))
      throw new SimError('E_SIM_HARNESS', `simulation of ${top} did not complete (exit ${code}): ${stderr.trim() || 'no message'} (run dir ${runDir})`, 2);
    const raw = JSON.parse(readFileSync(resultPath, 'utf8')) as {
      status: string;
      cycles: number;
      wall_s: number;
      failure?: { cycle: number; port: string; message: string };
      inputs: Record<string, InputStats>;
      outputs: Record<string, OutputStats>;
    };
    const outputs: Record<string, TimedBeat[]> = {};
    for (const s of outs) {
      const f = join(runDir, `out_${s.name}.bin`);
      outputs[s.name] = existsSync(f) ? decodeOutputBeats(s, readFileSync(f)) : [];
    }
    const result: SimResult = {
      outputs,
      cycles: raw.cycles,
      inputs: raw.inputs,
      outputStats: raw.outputs,
      wallSeconds: raw.wall_s,
      cyclesPerSecond: raw.wall_s > 0 ? raw.cycles / raw.wall_s : 0,
      built: model.built,
      buildSeconds: model.seconds,
      buildDir: model.dir,
      ...(opts.keepRunDir ? { runDir } : {}),
    };
    const f = raw.failure;
    if (raw.status !== 'ok' && f) {
      const msg = `${top}: ${f.message} at cycle ${f.cycle} (seed ${seed})`;
      if (raw.status === 'protocol') throw new ProtocolViolationError(msg, f.cycle, f.port, result);
      if (raw.status === 'liveness') throw new LivenessError(msg, f.cycle, f.port, result);
      throw new CycleCapError(msg, f.cycle, result);
    }
    return result;
  } finally {
    if (!opts.keepRunDir) rmSync(runDir, { recursive: true, force: true });
  }
}
