// The AXI4-Stream interface type: declare a stream's ports on a module with one call, and
// connect a source to a sink with one call (widths and sideband checked). Rules: README.md.
import { WidthMismatchError, type Expr, type Instance, type Module, type Signal } from '../../core/index.ts';

/** file:line of the caller outside this file, for error references. */
function userLoc(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  const outside = lines.find((l) => !l.includes('/axis/stream.ts')) ?? '';
  const m = /\(?([^()\s]+:\d+):\d+\)?$/.exec(outside.trim());
  return m ? m[1].replace(/^file:\/\//, '') : '(unknown)';
}

export interface StreamShape {
  /** tdata width in bits. */
  width: number;
  /** Has tlast (end of line / packet). Default true. */
  last?: boolean;
  /** Has a 1-bit tuser (start of frame). Default true. */
  user?: boolean;
  /** Has tready. Default true; false = the sink always accepts (documented per block). */
  ready?: boolean;
}

interface Resolved {
  width: number;
  last: boolean;
  user: boolean;
  ready: boolean;
}

function resolve(s: StreamShape): Resolved {
  return { width: s.width, last: s.last ?? true, user: s.user ?? true, ready: s.ready ?? true };
}

/** Beats flowing out of something, seen from the module that consumes them. */
export interface StreamSource extends Resolved {
  /** For messages: `module.prefix` or `module.instance.prefix`. */
  where: string;
  data: Expr;
  valid: Expr;
  lastSig: Expr | undefined;
  userSig: Expr | undefined;
  /** Drive the source's tready (no-op when it has none). */
  driveReady(v: Expr): void;
}

/** Beats flowing into something, seen from the module that produces them. */
export interface StreamSink extends Resolved {
  where: string;
  readySig: Expr | undefined;
  driveData(v: Expr): void;
  driveValid(v: Expr): void;
  driveLast(v: Expr): void;
  driveUser(v: Expr): void;
}

/** The port names of a stream: `<prefix>_tdata` etc. */
export function streamPortNames(prefix: string): { tdata: string; tvalid: string; tready: string; tlast: string; tuser: string } {
  return { tdata: `${prefix}_tdata`, tvalid: `${prefix}_tvalid`, tready: `${prefix}_tready`, tlast: `${prefix}_tlast`, tuser: `${prefix}_tuser` };
}

/** Declare an input (slave) stream on `m`; the returned source is read inside `m`. */
export function streamIn(m: Module, shape: StreamShape, prefix = 's_axis'): StreamSource & { ports: { tdata: Signal; tvalid: Signal; tready?: Signal; tlast?: Signal; tuser?: Signal } } {
  const r = resolve(shape);
  const n = streamPortNames(prefix);
  const tdata = m.input(n.tdata, r.width, { doc: `${prefix}: payload` });
  const tvalid = m.input(n.tvalid, 1);
  const tready = r.ready ? m.output(n.tready, 1) : undefined;
  const tlast = r.last ? m.input(n.tlast, 1, { doc: `${prefix}: end of line` }) : undefined;
  const tuser = r.user ? m.input(n.tuser, 1, { doc: `${prefix}: start of frame` }) : undefined;
  return {
    ...r,
    where: `${m.name}.${prefix}`,
    data: tdata,
    valid: tvalid,
    lastSig: tlast,
    userSig: tuser,
    driveReady: (v) => tready?.set(v),
    ports: { tdata, tvalid, tready, tlast, tuser },
  };
}

/** Declare an output (master) stream on `m`; the returned sink is driven inside `m`. */
export function streamOut(m: Module, shape: StreamShape, prefix = 'm_axis'): StreamSink & { ports: { tdata: Signal; tvalid: Signal; tready?: Signal; tlast?: Signal; tuser?: Signal } } {
  const r = resolve(shape);
  const n = streamPortNames(prefix);
  const tdata = m.output(n.tdata, r.width, { doc: `${prefix}: payload` });
  const tvalid = m.output(n.tvalid, 1);
  const tready = r.ready ? m.input(n.tready, 1) : undefined;
  const tlast = r.last ? m.output(n.tlast, 1, { doc: `${prefix}: end of line` }) : undefined;
  const tuser = r.user ? m.output(n.tuser, 1, { doc: `${prefix}: start of frame` }) : undefined;
  return {
    ...r,
    where: `${m.name}.${prefix}`,
    readySig: tready,
    driveData: (v) => tdata.set(v),
    driveValid: (v) => tvalid.set(v),
    driveLast: (v) => tlast?.set(v),
    driveUser: (v) => tuser?.set(v),
    ports: { tdata, tvalid, tready, tlast, tuser },
  };
}

/** Shape of a stream `prefix` on a child module, read from its port list. */
function childShape(inst: Instance, prefix: string, dirOfData: 'input' | 'output'): Resolved {
  const n = streamPortNames(prefix);
  const d = inst.child.port(n.tdata);
  const v = inst.child.port(n.tvalid);
  if (!d || !v || d.kind !== dirOfData || v.kind !== dirOfData) {
    const have = inst.child.ports.filter((p) => /_t(data|valid)$/.test(p.name)).map((p) => `${p.name} (${p.kind})`);
    throw new WidthMismatchError({
      path: inst.parent.name,
      signal: prefix,
      detail: `instance '${inst.name}' of '${inst.child.name}' has no ${dirOfData === 'input' ? 'input' : 'output'} stream '${prefix}'`,
      refs: [{ what: 'looked up', at: userLoc() }],
      fix: `stream ports of '${inst.child.name}': ${have.join(', ') || 'none'}`,
    });
  }
  return { width: d.width, last: !!inst.child.port(n.tlast), user: !!inst.child.port(n.tuser), ready: !!inst.child.port(n.tready) };
}

/** The input stream `prefix` of instance `inst`, as a sink driven by the parent. */
export function instSink(inst: Instance, prefix = 's_axis'): StreamSink {
  const r = childShape(inst, prefix, 'input');
  const n = streamPortNames(prefix);
  return {
    ...r,
    where: `${inst.parent.name}.${inst.name}.${prefix}`,
    readySig: r.ready ? inst.out(n.tready) : undefined,
    driveData: (v) => void inst.connect(n.tdata, v),
    driveValid: (v) => void inst.connect(n.tvalid, v),
    driveLast: (v) => void (r.last && inst.connect(n.tlast, v)),
    driveUser: (v) => void (r.user && inst.connect(n.tuser, v)),
  };
}

/** The output stream `prefix` of instance `inst`, as a source read by the parent. */
export function instSource(inst: Instance, prefix = 'm_axis'): StreamSource {
  const r = childShape(inst, prefix, 'output');
  const n = streamPortNames(prefix);
  return {
    ...r,
    where: `${inst.parent.name}.${inst.name}.${prefix}`,
    data: inst.out(n.tdata),
    valid: inst.out(n.tvalid),
    lastSig: r.last ? inst.out(n.tlast) : undefined,
    userSig: r.user ? inst.out(n.tuser) : undefined,
    driveReady: (v) => void (r.ready && inst.connect(n.tready, v)),
  };
}

/**
 * Connect `src` to `dst` inside module `m` with one call: tdata, tvalid, tlast, tuser forward,
 * tready back. Widths must be equal and both ends must agree on tlast/tuser/tready; every
 * difference is reported as one E_WIDTH_MISMATCH naming both ends.
 */
export function connectStream(m: Module, src: StreamSource, dst: StreamSink): void {
  const loc = userLoc();
  const problems: string[] = [];
  if (src.width !== dst.width) problems.push(`tdata is ${src.width} bits at ${src.where} but ${dst.width} bits at ${dst.where}`);
  for (const s of ['last', 'user', 'ready'] as const)
    if (src[s] !== dst[s]) problems.push(`t${s} exists at ${src[s] ? src.where : dst.where} but not at ${src[s] ? dst.where : src.where}`);
  if (problems.length) {
    m.fail(WidthMismatchError, src.where, `cannot connect stream ${src.where} -> ${dst.where}: ${problems.join('; ')}`, [{ what: 'connectStream called', at: loc }], 'build both blocks with the same stream width and sideband (or insert an adapter)');
    return;
  }
  dst.driveData(src.data);
  dst.driveValid(src.valid);
  if (src.lastSig) dst.driveLast(src.lastSig);
  if (src.userSig) dst.driveUser(src.userSig);
  if (dst.readySig) src.driveReady(dst.readySig);
}
