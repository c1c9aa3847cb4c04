// Port list of a Verilog top module, as Verilator elaborates it (parameters resolved),
// read from `verilator --xml-only`. Lets the harness run hand-written Verilog with no DSL.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SimBuildError, SimInputError } from './errors.ts';
import type { PortSpec, SimDesign } from './types.ts';

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([A-Za-z_][\w:-]*)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

/** Parses Verilator's XML and returns the top module's ports in declaration order. */
export function portsFromVerilatorXml(xml: string, top: string): PortSpec[] {
  const modRe = /<module\s([^>]*)>([\s\S]*?)<\/module>/g;
  let body: string | undefined;
  for (const m of xml.matchAll(modRe)) {
    const a = attrs(m[1]);
    if (a.topModule === '1' || a.origName === top) {
      body = m[2];
      break;
    }
  }
  if (body === undefined) throw new SimInputError(`Verilator XML has no top module '${top}'`);
  const dtypes = new Map<string, Record<string, string> & { kind: string }>();
  for (const m of xml.matchAll(/<(\w*dtype)\s([^>]*?)\/?>/g)) {
    const a = attrs(m[2]);
    if (a.id) dtypes.set(a.id, { ...a, kind: m[1] });
  }
  const ports: { p: PortSpec; idx: number }[] = [];
  for (const m of body.matchAll(/<var\s([^>]*?)\/?>/g)) {
    const a = attrs(m[1]);
    if (!a.dir) continue;
    const name = a.origName ?? a.name;
    if (a.dir !== 'input' && a.dir !== 'output')
      throw new SimInputError(`${top}.${name}: port direction '${a.dir}' is not supported by the stream harness (input/output only)`);
    let dt = dtypes.get(a.dtype_id);
    // Follow typedef references to the underlying basic type.
    for (let hops = 0; dt && dt.kind === 'refdtype' && dt.sub_dtype_id && hops < 16; hops++) dt = dtypes.get(dt.sub_dtype_id);
    if (!dt || dt.kind !== 'basicdtype')
      throw new SimInputError(`${top}.${name}: port type '${dt?.kind ?? 'unknown'}' is not supported (only packed vectors; flatten arrays/structs into a vector port)`);
    const width = dt.left !== undefined ? Math.abs(Number(dt.left) - Number(dt.right ?? 0)) + 1 : 1;
    ports.push({ p: { name, dir: a.dir, width }, idx: Number(a.pinIndex ?? ports.length) });
  }
  return ports.sort((x, y) => x.idx - y.idx).map((x) => x.p);
}

/**
 * Elaborates `top` from Verilog files with Verilator and returns a SimDesign (ports included).
 * Parameter overrides apply to the port widths here and to every later build of the design.
 */
export function designFromVerilog(opts: { files: string[]; top: string; params?: Record<string, number>; clock?: string | null; reset?: string | null }): SimDesign {
  const files = opts.files.map((f) => resolve(f));
  for (const f of files) if (!existsSync(f)) throw new SimInputError(`Verilog source not found: ${f}`);
  const dir = mkdtempSync(join(tmpdir(), 'screen-sim-xml-'));
  try {
    const xmlPath = join(dir, 'ports.xml');
    const args = ['--xml-only', '--xml-output', xmlPath, '-Wno-fatal', '--top-module', opts.top, '-Mdir', dir, ...paramArgs(opts.params), ...files];
    try {
      execFileSync('verilator', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      const log = err.stderr?.toString() ?? err.message;
      throw new SimBuildError(`verilator could not elaborate '${opts.top}' from ${files.join(', ')}:\n${firstLines(log, 20)}`, log);
    }
    const ports = portsFromVerilatorXml(readFileSync(xmlPath, 'utf8'), opts.top);
    return { top: opts.top, files, ports, params: opts.params, clock: opts.clock, reset: opts.reset };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function paramArgs(params: Record<string, number> | undefined): string[] {
  return Object.entries(params ?? {}).map(([k, v]) => {
    if (!/^[A-Za-z_]\w*$/.test(k) || !Number.isSafeInteger(v)) throw new SimInputError(`bad parameter override ${k}=${v} (integer expected)`);
    return `-G${k}=${v}`;
  });
}

export function firstLines(s: string, n: number): string {
  const lines = s.trim().split('\n');
  return lines.length > n ? [...lines.slice(0, n), `... (${lines.length - n} more lines)`].join('\n') : lines.join('\n');
}
