// Runs a Yosys script with native `yosys` when installed, else with
// @yowasp/yosys (WebAssembly, comes with `npm ci`). Scripts must name files
// relative to `cwd`: the WebAssembly build sees only a copy of that directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FlowError } from './errors.ts';

export type YosysEngine = 'native' | 'yowasp';

export interface YosysOptions {
  cwd: string;
  /** Force an engine; default: $SCREEN_YOSYS if set, else native when on PATH, else yowasp. */
  engine?: YosysEngine;
  /** Name for the script file written into cwd (default `run.ys`). */
  scriptName?: string;
}

export interface YosysRun {
  engine: YosysEngine;
  version: string;
  /** Everything Yosys printed (stdout and stderr), for error messages and logs. */
  log: string;
  seconds: number;
}

let nativeVersion: string | null | undefined;

/** `Yosys 0.23 (git sha1 ...)` of the native binary, or null when not installed. */
export function nativeYosysVersion(): string | null {
  if (nativeVersion === undefined) {
    const r = spawnSync('yosys', ['-V'], { encoding: 'utf8' });
    nativeVersion = r.status === 0 ? r.stdout.trim() : null;
  }
  return nativeVersion;
}

async function yowaspModule(): Promise<typeof import('@yowasp/yosys') | null> {
  try {
    return await import('@yowasp/yosys');
  } catch {
    return null;
  }
}

/** Which engine runYosys would use, or null when neither is available. */
export async function yosysAvailable(prefer?: YosysEngine): Promise<YosysEngine | null> {
  const want = prefer ?? envEngine();
  if (want === 'native') return nativeYosysVersion() ? 'native' : null;
  if (want === 'yowasp') return (await yowaspModule()) ? 'yowasp' : null;
  if (nativeYosysVersion()) return 'native';
  return (await yowaspModule()) ? 'yowasp' : null;
}

function envEngine(): YosysEngine | undefined {
  const v = process.env.SCREEN_YOSYS;
  if (v === undefined || v === '') return undefined;
  if (v !== 'native' && v !== 'yowasp') throw new FlowError('E_USAGE', `SCREEN_YOSYS must be 'native' or 'yowasp', got '${v}'`);
  return v;
}

export async function runYosys(script: string, opts: YosysOptions): Promise<YosysRun> {
  const engine = await yosysAvailable(opts.engine);
  if (!engine) {
    const which = opts.engine ?? envEngine();
    throw new FlowError(
      'E_YOSYS_MISSING',
      which === 'native'
        ? "native yosys not found on PATH: install it with 'apt-get install yosys'"
        : which === 'yowasp'
          ? "@yowasp/yosys is not installed: run 'npm ci' in the repository root"
          : "no Yosys found: install it with 'apt-get install yosys' or run 'npm ci' (installs @yowasp/yosys, a WebAssembly build)",
    );
  }
  const scriptName = opts.scriptName ?? 'run.ys';
  writeFileSync(join(opts.cwd, scriptName), script);
  const t0 = performance.now();
  const res = engine === 'native' ? await runNative(scriptName, opts.cwd) : await runYowasp(scriptName, opts.cwd);
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(join(opts.cwd, `${scriptName}.log`), res.log);
  if (res.code !== 0) {
    const tail = res.log.split('\n').filter((l) => l.trim() !== '').slice(-15).join('\n');
    throw new FlowError('E_YOSYS_FAILED', `yosys (${engine}) failed on ${join(opts.cwd, scriptName)} (exit ${res.code}):\n${tail}`);
  }
  return { engine, version: res.version, log: res.log, seconds };
}

function runNative(scriptName: string, cwd: string): Promise<{ code: number; log: string; version: string }> {
  return new Promise((resolveRun, reject) => {
    // nice: the build machine is shared, synthesis must not starve interactive work.
    const child = spawn('nice', ['-n', '10', 'yosys', '-q', '-s', scriptName], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolveRun({ code: code ?? 1, log: Buffer.concat(chunks).toString('utf8'), version: nativeYosysVersion() ?? 'yosys (unknown)' }),
    );
  });
}

type Tree = { [name: string]: Tree | string | Uint8Array };

function readTree(dir: string): Tree {
  const t: Tree = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    t[name] = statSync(p).isDirectory() ? readTree(p) : new Uint8Array(readFileSync(p));
  }
  return t;
}

function writeTree(dir: string, tree: Tree, before: Tree): void {
  for (const [name, v] of Object.entries(tree)) {
    const p = join(dir, name);
    if (typeof v === 'string' || v instanceof Uint8Array) {
      const old = before[name];
      // Only new or changed files: the inputs (a 13 MB liberty) need no rewrite.
      if (old instanceof Uint8Array && v instanceof Uint8Array && Buffer.from(old).equals(Buffer.from(v))) continue;
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, v);
    } else {
      const sub = before[name];
      writeTree(p, v, sub && typeof sub === 'object' && !(sub instanceof Uint8Array) ? sub : {});
    }
  }
}

async function runYowasp(scriptName: string, cwd: string): Promise<{ code: number; log: string; version: string }> {
  const mod = await yowaspModule();
  if (!mod) throw new FlowError('E_YOSYS_MISSING', "@yowasp/yosys is not installed: run 'npm ci' in the repository root");
  const input = readTree(cwd);
  const dec = new TextDecoder();
  let log = '';
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) log += dec.decode(bytes, { stream: true });
  };
  const version = `Yosys ${mod.version} (@yowasp/yosys, WebAssembly)`;
  try {
    const out = await mod.runYosys(['-q', '-s', scriptName], input, { stdout: sink, stderr: sink });
    if (out && typeof out === 'object') writeTree(cwd, out as Tree, input);
    return { code: 0, log, version };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') {
      const files = (e as { files?: Tree }).files;
      if (files) writeTree(cwd, files, input);
      return { code, log, version };
    }
    throw e;
  }
}
