// Builds a Verilated testbench binary, cached under build/sim-cache/<top>-<hash>/ where the hash
// covers the Verilog sources, the generated testbench, the engine header, flags and the Verilator
// version, so repeated test runs reuse the binary. Builds go to a temp dir and are renamed into
// place, so concurrent test processes never see a half-built cache entry.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimBuildError, SimInputError } from './errors.ts';
import { groupPorts, type PortGroups } from './streams.ts';
import { generateTestbench } from './testbench.ts';
import type { SimDesign, TapSpec } from './types.ts';
import { firstLines, paramArgs } from './verilog-ports.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const HARNESS_H = join(HERE, 'cpp', 'harness.h');

export interface BuildOptions {
  /** Build with --trace so runs can write a VCD. */
  trace?: boolean;
  /** Internal streams recorded through public signals (adds --public-flat-rw). */
  taps?: TapSpec[];
  /** C++ optimisation level for the model; compile time dominates for short tests. */
  cxxOpt?: '-O0' | '-O1' | '-O2' | '-Os';
  /** Cache root (default build/sim-cache in the repo, or $SCREEN_SIM_CACHE). */
  cacheDir?: string;
}

export interface BuiltModel {
  dir: string;
  binary: string;
  groups: PortGroups;
  /** False when the cache already held this build. */
  built: boolean;
  seconds: number;
}

let verilatorVersion: string | undefined;
function getVerilatorVersion(): string {
  if (verilatorVersion === undefined) {
    try {
      verilatorVersion = execFileSync('verilator', ['--version'], { encoding: 'utf8' }).trim();
    } catch {
      throw new SimBuildError('verilator is not installed or not on PATH (the stream harness needs Verilator 5)', '');
    }
  }
  return verilatorVersion;
}

export function cacheRoot(opts: BuildOptions = {}): string {
  return resolve(opts.cacheDir ?? process.env.SCREEN_SIM_CACHE ?? join(REPO, 'build', 'sim-cache'));
}

// One build per key at a time inside this process (parallel callers await the same promise).
const inflight = new Map<string, Promise<BuiltModel>>();

export async function buildModel(design: SimDesign, opts: BuildOptions = {}): Promise<BuiltModel> {
  const clock = design.clock === undefined ? 'clk' : design.clock;
  const reset = design.reset === undefined ? 'rst_n' : design.reset;
  const groups = groupPorts(design.ports, clock, reset, design.top);
  const taps = opts.taps ?? [];
  for (const t of taps)
    if (groups.streams.some((s) => s.name === t.name)) throw new SimInputError(`tap name '${t.name}' collides with a stream port of ${design.top}`);
  const tb = generateTestbench(design.top, groups, clock, reset, taps);
  const harness = readFileSync(HARNESS_H, 'utf8');
  const cxxOpt = opts.cxxOpt ?? '-O1';
  const vflags = ['-Wno-fatal', '-O2', ...(opts.trace ? ['--trace'] : []), ...(taps.length ? ['--public-flat-rw'] : []), ...paramArgs(design.params)];
  const cflags = opts.trace ? ['-DSIM_TRACE'] : [];
  // Command-line make variables override verilated.mk's defaults (OPT_FAST=-Os).
  const makeVars = [`OPT_FAST=${cxxOpt}`];
  const h = createHash('sha256');
  h.update(getVerilatorVersion()).update(['', design.top, vflags.join(' '), cflags.join(' '), makeVars.join(' '), ''].join('\0'));
  h.update(tb).update('\0').update(harness).update('\0');
  for (const f of design.files) {
    if (!existsSync(f)) throw new SimInputError(`Verilog source not found: ${f}`);
    h.update(f.split('/').pop()!).update('\0').update(readFileSync(f)).update('\0');
  }
  const key = `${design.top}-${h.digest('hex').slice(0, 16)}`;
  const root = cacheRoot(opts);
  const dir = join(root, key);
  const binary = join(dir, 'tb');
  if (existsSync(binary)) return { dir, binary, groups, built: false, seconds: 0 };
  const pending = inflight.get(dir);
  if (pending) return pending;
  const job = (async () => {
    const t0 = performance.now();
    mkdirSync(root, { recursive: true });
    const tmp = join(root, `.tmp-${key}-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'tb_main.cpp'), tb);
    writeFileSync(join(tmp, 'harness.h'), harness);
    const incDirs = [...new Set(design.files.map((f) => `-I${dirname(resolve(f))}`))];
    const fail = (what: string) => (out: string) =>
      new SimBuildError(`${what} of '${design.top}' failed (${design.files.join(', ')}):\n${firstLines(errorLines(out), 30)}`, out);
    let log = await niceRun(
      [
        'verilator', '--cc', '--exe', ...vflags, '--top-module', design.top, '-Mdir', tmp, '-o', 'tb',
        ...(cflags.length ? ['-CFLAGS', cflags.join(' ')] : []),
        ...incDirs, join(tmp, 'tb_main.cpp'), ...design.files.map((f) => resolve(f)),
      ],
      fail('Verilator'),
    );
    // The Verilator runtime (verilated*.o) is the same for every model with these flags: reuse it.
    const rtKey = createHash('sha256').update([getVerilatorVersion(), opts.trace ? 'trace' : '', ...makeVars].join('\0')).digest('hex').slice(0, 12);
    const rtDir = join(root, `runtime-${rtKey}`);
    const reused = existsSync(rtDir);
    if (reused) {
      // Newer than the generated makefile, which every object depends on.
      const now = new Date();
      for (const f of readdirSync(rtDir)) {
        copyFileSync(join(rtDir, f), join(tmp, f));
        utimesSync(join(tmp, f), now, now);
      }
    }
    // Verilator splits big designs into several C++ files: compile them on every core (at most 4;
    // SCREEN_SIM_JOBS overrides), which is most of a cold build of the accelerator.
    log += await niceRun(['make', '-C', tmp, '-f', `V${design.top}.mk`, '-j', String(buildJobs()), ...makeVars], fail('C++ build'));
    if (!reused) saveRuntime(tmp, rtDir);
    writeFileSync(join(tmp, 'build.log'), log);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Another process finished the same build first; its result is identical.
      if (!existsSync(binary)) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    return { dir, binary, groups, built: true, seconds: (performance.now() - t0) / 1000 };
  })();
  inflight.set(dir, job);
  try {
    return await job;
  } finally {
    inflight.delete(dir);
  }
}

function niceRun(args: string[], onError: (out: string) => Error): Promise<string> {
  return new Promise((res, rej) => {
    execFile('nice', ['-n', '10', ...args], { maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const out = `${stdout}\n${stderr}`;
      if (err) rej(onError(out));
      else res(out);
    });
  });
}

function saveRuntime(buildDir: string, rtDir: string): void {
  const files = readdirSync(buildDir).filter((f) => /^verilated.*\.(o|d)$/.test(f));
  if (!files.some((f) => f.endsWith('.o'))) return;
  const tmp = `${rtDir}.tmp-${process.pid}`;
  mkdirSync(tmp, { recursive: true });
  for (const f of files) copyFileSync(join(buildDir, f), join(tmp, f));
  try {
    renameSync(tmp, rtDir);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Keeps the error lines of a Verilator/g++ log (make's chatter hides them otherwise). */
function errorLines(log: string): string {
  const lines = log.split('\n').filter((l) => /%Error|error:|Error \d|%Warning/.test(l));
  return lines.length ? lines.join('\n') : log;
}

/** Parallel C++ compile jobs for a Verilator build. */
function buildJobs(): number {
  const env = Number(process.env.SCREEN_SIM_JOBS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(4, availableParallelism()));
}
