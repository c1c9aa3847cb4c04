// Elaboration: walk the hierarchy, run every design check on every module BEFORE any
// Verilog exists, uniquify module names from their parameters, and produce the text.
import {
  CombLoopError,
  ElaborationErrors,
  HdlError,
  LatchError,
  ModuleCollisionError,
  MultipleDriversError,
  RecursiveInstanceError,
  UnconnectedInputError,
  UndrivenOutputError,
  UndrivenRegError,
  UndrivenWireError,
  UnusedSignalError,
  DuplicateNameError,
  type SrcRef,
} from './errors.ts';
import type { Expr, Signal } from './expr.ts';
import type { Instance, Module, PortInfo, Stmt } from './module.ts';
import { emitModule } from './emit.ts';
import type { Loc } from './srcloc.ts';
import { canonicalJson, configHash } from './hash.ts';

/** One emitted module of a design. */
export interface ModuleInfo {
  /** Final Verilog module name (base name, plus a parameter suffix when one builder yields several variants). */
  name: string;
  baseName: string;
  params: Readonly<Record<string, unknown>>;
  configHash: string;
  /** First hierarchical path where it is used (e.g. `top.u_array.pe_0_0`). */
  path: string;
  /** Ports in Verilog order: clk and rst_n first when the module needs them. */
  ports: PortInfo[];
  needsClk: boolean;
  needsRst: boolean;
  /** For each output, the inputs it depends on combinationally. */
  combDeps: Map<string, Set<string>>;
  file: string;
  text: string;
}

export interface Design {
  top: ModuleInfo;
  /** Children before parents, each emitted module once. */
  modules: ModuleInfo[];
  /** Info for any Module object of the hierarchy (duplicates map to the shared entry). */
  infoOf(m: Module): ModuleInfo;
}

// ---- expression helpers ---------------------------------------------------------------

/** Call fn(signal, hi, lo) for every bit range of a named signal that `e` reads. */
export function forEachRead(e: Expr, fn: (sig: Signal, hi: number, lo: number) => void): void {
  const n = e.node;
  switch (n.k) {
    case 'ref':
      fn(n.sig, n.sig.width - 1, 0);
      return;
    case 'lit':
      return;
    case 'slice':
      if (n.a.node.k === 'ref') fn(n.a.node.sig, n.hi, n.lo);
      else forEachRead(n.a, fn);
      return;
    case 'bin':
    case 'cmp':
      forEachRead(n.a, fn);
      forEachRead(n.b, fn);
      return;
    case 'not':
    case 'neg':
    case 'red':
    case 'rep':
    case 'sext':
    case 'cast':
      forEachRead(n.a, fn);
      return;
    case 'cat':
      for (const p of n.parts) forEachRead(p, fn);
      return;
    case 'mux':
      forEachRead(n.sel, fn);
      forEachRead(n.a, fn);
      forEachRead(n.b, fn);
      return;
    case 'memrd':
      forEachRead(n.addr, fn);
      return;
    case 'shift':
      forEachRead(n.a, fn);
      forEachRead(n.amt, fn);
      return;
  }
}

function visitStmts(list: Stmt[], conds: Expr[], fn: (s: Exclude<Stmt, { k: 'when' }>, conds: Expr[]) => void): void {
  for (const s of list) {
    if (s.k !== 'when') {
      fn(s, conds);
      continue;
    }
    // A later branch also depends on every earlier branch's condition being false.
    const seen: Expr[] = [];
    for (const b of s.branches) {
      seen.push(b.cond);
      visitStmts(b.body, [...conds, ...seen], fn);
    }
    if (s.otherwise) visitStmts(s.otherwise, [...conds, ...seen], fn);
  }
}

/** True if every path through `list` assigns `sig`. */
function covers(list: Stmt[], sig: Signal): boolean {
  return list.some(
    (s) =>
      (s.k === 'assign' && s.target === sig) ||
      (s.k === 'when' && s.otherwise !== null && covers(s.otherwise, sig) && s.branches.every((b) => covers(b.body, sig))),
  );
}

function firstAssign(list: Stmt[], sig: Signal): Loc | undefined {
  let loc: Loc | undefined;
  visitStmts(list, [], (s) => {
    if (!loc && s.k === 'assign' && s.target === sig) loc = s.loc;
  });
  return loc;
}

function kindName(s: Signal): string {
  return s.kind === 'instout' ? 'instance output wire' : s.kind === 'memrd' ? 'memory read register' : s.kind;
}

function bits(n: number): string {
  return n === 1 ? '1 bit' : `${n} bits`;
}

function ranges(bits: Uint8Array, want: number): [number, number][] {
  const out: [number, number][] = [];
  for (let b = bits.length - 1; b >= 0; b--) {
    if (bits[b] !== want) continue;
    let lo = b;
    while (lo - 1 >= 0 && bits[lo - 1] === want) lo--;
    out.push([b, lo]);
    b = lo;
  }
  return out;
}

// ---- per-module checks -----------------------------------------------------------------

interface Checked {
  errors: HdlError[];
  combDeps: Map<string, Set<string>>;
  combAlways: Set<Signal>;
}

function checkModule(m: Module, childDeps: (c: Module) => Map<string, Set<string>>): Checked {
  const errors: HdlError[] = [...m.diagnostics];
  const E = (cls: new (f: ConstructorParameters<typeof HdlError>[0]) => HdlError, signal: string, detail: string, refs: SrcRef[], fix: string) =>
    errors.push(new cls({ path: m.name, signal, detail, refs, fix }));

  // Drivers.
  const assigns = new Map<Signal, Exclude<Stmt, { k: 'when' }>[]>();
  const deps = new Map<Signal, Set<Signal>>();
  const used = new Map<Signal, Uint8Array>();
  const markUsed = (e: Expr) =>
    forEachRead(e, (sig, hi, lo) => {
      let u = used.get(sig);
      if (!u) used.set(sig, (u = new Uint8Array(sig.width)));
      u.fill(1, lo, hi + 1);
    });
  const addDeps = (target: Signal, e: Expr) => {
    let d = deps.get(target);
    if (!d) deps.set(target, (d = new Set()));
    forEachRead(e, (sig) => d!.add(sig));
  };
  visitStmts(m.stmts, [], (s, conds) => {
    for (const c of conds) markUsed(c);
    if (s.k === 'assign') {
      const list = assigns.get(s.target) ?? [];
      list.push(s);
      assigns.set(s.target, list);
      markUsed(s.value);
      if (s.target.kind !== 'reg') {
        addDeps(s.target, s.value);
        for (const c of conds) addDeps(s.target, c);
      }
    } else {
      markUsed(s.addr);
      markUsed(s.data);
    }
  });
  const bindings = new Map<Signal, { inst: Instance; port: string; loc: Loc }[]>();
  for (const inst of m.instances) {
    for (const [port, { sig, loc }] of inst.outputs) {
      const list = bindings.get(sig) ?? [];
      list.push({ inst, port, loc });
      bindings.set(sig, list);
    }
    for (const { value } of inst.inputs.values()) markUsed(value);
  }
  for (const mem of m.memories) for (const r of mem.syncReads) {
    markUsed(r.addr);
    if (r.en) markUsed(r.en);
  }
  for (const e of m.erroredReads) markUsed(e);
  for (const u of m.unusedDecls) {
    let arr = used.get(u.sig);
    if (!arr) used.set(u.sig, (arr = new Uint8Array(u.sig.width)));
    arr.fill(1, u.lo, u.hi + 1);
  }

  const combAlways = new Set<Signal>();
  for (const sig of m.signals) {
    const a = assigns.get(sig) ?? [];
    const b = bindings.get(sig) ?? [];
    const errored = m.erroredTargets.has(sig);
    if (sig.kind === 'output' || sig.kind === 'wire') {
      if (a.length + b.length === 0 && !errored) {
        E(sig.kind === 'output' ? UndrivenOutputError : UndrivenWireError, sig.name, `${sig.kind} '${sig.name}' (${bits(sig.width)}) is never driven`, [{ what: 'declared', at: sig.loc }], sig.kind === 'output' ? `drive it: ${sig.name}.set(value), or connect it to an instance output` : `drive it with ${sig.name}.set(value), or remove it`);
      } else if (b.length > 1 || (b.length === 1 && a.length > 0)) {
        const refs = [...b.map((x) => ({ what: `driven by output '${x.port}' of instance '${x.inst.name}'`, at: x.loc })), ...(a.length ? [{ what: 'also assigned', at: a[0].loc }] : [])];
        E(MultipleDriversError, sig.name, `${sig.kind} '${sig.name}' has ${b.length + (a.length ? 1 : 0)} drivers`, refs, 'keep one driver; combine values explicitly with mux()');
      } else if (a.length > 0) {
        const isSimple = m.stmts.some((s) => s.k === 'assign' && s.target === sig) && a.length === 1;
        if (!isSimple) combAlways.add(sig);
        if (!covers(m.stmts, sig)) {
          E(LatchError, sig.name, `${sig.kind} '${sig.name}' is assigned only under some conditions and has no default: it would infer a latch`, [{ what: 'declared', at: sig.loc }, { what: 'first assigned', at: firstAssign(m.stmts, sig) ?? a[0].loc }], `assign a default before the when (${sig.name}.set(0)), or add .otherwise(...) so every path assigns it`);
        }
      }
    } else if (sig.kind === 'reg' && a.length === 0 && !errored) {
      E(UndrivenRegError, sig.name, `reg '${sig.name}' is never assigned${sig.reset === null ? ' and has no reset (its value is undefined)' : ` (it would hold its reset value ${sig.reset} forever)`}`, [{ what: 'declared', at: sig.loc }], `assign its next value with ${sig.name}.set(...), or use a constant instead`);
    }
  }
  for (const mem of m.memories) {
    if (mem.writes.length === 0) E(UndrivenRegError, mem.name, `memory '${mem.name}' is never written`, [{ what: 'declared', at: mem.loc }], `add a write port: ${mem.name}.write(addr, data, en)`);
    if (mem.syncReads.length === 0 && mem.asyncReads === 0) E(UnusedSignalError, mem.name, `memory '${mem.name}' is never read`, [{ what: 'declared', at: mem.loc }], `add a read port (${mem.name}.readSync(addr) / .readAsync(addr)), or remove the memory`);
  }

  // Unconnected inputs and unread instance outputs.
  for (const inst of m.instances) {
    for (const p of inst.child.ports) {
      if (p.kind === 'input' && !inst.inputs.has(p.name)) {
        E(UnconnectedInputError, `${inst.name}.${p.name}`, `input '${p.name}' (${bits(p.width)}) of instance '${inst.name}' (module '${inst.child.name}') is not connected`, [{ what: 'instantiated', at: inst.loc }, { what: `input '${p.name}' declared`, at: p.loc }], `connect it: m.instantiate('${inst.name}', child, { ${p.name}: value }) or ${inst.name}.connect('${p.name}', value)`);
      }
      if (p.kind === 'output' && !inst.outputs.has(p.name)) {
        E(UnusedSignalError, `${inst.name}.${p.name}`, `output '${p.name}' (${bits(p.width)}) of instance '${inst.name}' (module '${inst.child.name}') is never read`, [{ what: 'instantiated', at: inst.loc }, { what: `output '${p.name}' declared`, at: p.loc }], `read it with ${inst.name}.out('${p.name}'), or declare it: ${inst.name}.unused('${p.name}', 'why')`);
      }
    }
  }

  // Unused bits (Verilator -Wall would flag them).
  const undriven = new Set(errors.filter((e) => e instanceof UndrivenWireError || e instanceof UndrivenRegError).map((e) => e.signal));
  for (const sig of m.signals) {
    if (sig.kind === 'output' || undriven.has(sig.name) || m.erroredTargets.has(sig)) continue;
    const u = used.get(sig) ?? new Uint8Array(sig.width);
    const free = ranges(u, 0);
    if (free.length === 0) continue;
    const all = free.length === 1 && free[0][0] === sig.width - 1 && free[0][1] === 0;
    const txt = free.map(([hi, lo]) => (hi === lo ? `[${hi}]` : `[${hi}:${lo}]`)).join(', ');
    const ex = free[0][0] === free[0][1] ? `${sig.name}.bit(${free[0][0]})` : `${sig.name}.slice(${free[0][0]}, ${free[0][1]})`;
    E(UnusedSignalError, sig.name, all ? `${kindName(sig)} '${sig.name}' (${bits(sig.width)}) is never read` : `bits ${txt} of ${kindName(sig)} '${sig.name}' (${bits(sig.width)}) are never read`, [{ what: 'declared', at: sig.loc }], all ? `use it, remove it, or declare it: m.unused(${sig.name}, 'why')` : `use those bits, or declare them: m.unused(${ex}, 'why')`);
  }

  // Combinational loops (registers and memories break loops; instances via their comb deps).
  const combSrc = new Map<Signal, { sig: Signal; via?: string }[]>();
  const isComb = (s: Signal) => s.kind === 'wire' || s.kind === 'output' || s.kind === 'instout' || s.kind === 'input';
  for (const [t, d] of deps) combSrc.set(t, [...d].filter(isComb).map((sig) => ({ sig })));
  for (const inst of m.instances) {
    const cd = childDeps(inst.child);
    for (const [port, { sig }] of inst.outputs) {
      const list = combSrc.get(sig) ?? [];
      for (const q of cd.get(port) ?? []) {
        const conn = inst.inputs.get(q);
        if (conn) forEachRead(conn.value, (s) => isComb(s) && list.push({ sig: s, via: `${inst.name}.${q} -> ${inst.name}.${port}` }));
      }
      combSrc.set(sig, list);
    }
  }
  const color = new Map<Signal, 1 | 2>();
  const stack: { sig: Signal; via?: string }[] = [];
  const reported = new Set<string>();
  const dfs = (s: Signal) => {
    color.set(s, 1);
    for (const nxt of combSrc.get(s) ?? []) {
      const c = color.get(nxt.sig);
      if (c === 1) {
        const i = stack.findIndex((x) => x.sig === nxt.sig);
        const cyc = nxt.sig === s ? [{ sig: s, via: undefined }] : [...stack.slice(i), { sig: s, via: undefined }];
        // Reads go target <- source; print the loop in signal-flow order.
        const names = cyc.map((x) => x.sig.name);
        const key = [...names].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const flow = [...names].reverse();
          flow.push(flow[0]);
          const vias = [...(nxt.sig === s ? [] : stack.slice(i).map((x) => x.via)), nxt.via].filter((v): v is string => !!v);
          E(CombLoopError, nxt.sig.name, `combinational loop: ${flow.join(' -> ')}${vias.length ? ` (through ${vias.join(', ')})` : ''}`, cyc.map((x) => ({ what: `'${x.sig.name}' ${x.sig.kind === 'instout' ? 'created' : 'declared'}`, at: x.sig.loc })), 'break the loop with a register (m.reg) or remove the dependency');
        }
      } else if (c === undefined) {
        stack.push({ sig: s, via: nxt.via });
        dfs(nxt.sig);
        stack.pop();
      }
    }
    color.set(s, 2);
  };
  for (const s of m.signals) if (!color.has(s)) dfs(s);

  // Which inputs each output reaches combinationally (used by the parent's loop check).
  const memo = new Map<Signal, Set<string>>();
  const reach = (s: Signal, seen: Set<Signal>): Set<string> => {
    const hit = memo.get(s);
    if (hit) return hit;
    const out = new Set<string>();
    if (s.kind === 'input') out.add(s.name);
    if (seen.has(s)) return out;
    seen.add(s);
    for (const n of combSrc.get(s) ?? []) for (const x of reach(n.sig, seen)) out.add(x);
    memo.set(s, out);
    return out;
  };
  const combDeps = new Map<string, Set<string>>();
  for (const p of m.ports) if (p.kind === 'output') combDeps.set(p.name, reach(p, new Set()));
  return { errors, combDeps, combAlways };
}

// ---- naming ------------------------------------------------------------------------------

function scalarSuffix(params: Readonly<Record<string, unknown>>): string | undefined {
  const parts: string[] = [];
  for (const k of Object.keys(params).sort()) {
    const v = params[k];
    if (typeof v === 'number' && Number.isInteger(v)) parts.push(`${k}${v < 0 ? 'm' : ''}${Math.abs(v)}`);
    else if (typeof v === 'boolean') parts.push(`${k}${v ? 1 : 0}`);
    else if (typeof v === 'string' && /^[A-Za-z0-9_]{1,16}$/.test(v)) parts.push(`${k}_${v}`);
    else return undefined;
  }
  const s = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  return s.length > 0 && s.length <= 48 ? s : undefined;
}

// ---- elaborate -----------------------------------------------------------------------------

/** Check the whole hierarchy under `top` and produce its Verilog; throws with every problem found. */
export function elaborate(top: Module): Design {
  const order: Module[] = [];
  const paths = new Map<Module, string>();
  const done = new Set<Module>();
  const errors: HdlError[] = [];
  const onStack: Module[] = [];
  const walk = (m: Module, path: string, via: Instance | undefined) => {
    if (onStack.includes(m)) {
      errors.push(new RecursiveInstanceError({ path, signal: via?.name, detail: `module '${m.name}' contains itself: ${[...onStack.slice(onStack.indexOf(m)), m].map((x) => x.name).join(' -> ')}`, refs: via ? [{ what: 'instantiated', at: via.loc }] : [], fix: 'a module cannot instantiate one of its ancestors' }));
      return;
    }
    if (!paths.has(m)) paths.set(m, path);
    if (done.has(m)) return;
    onStack.push(m);
    for (const inst of m.instances) walk(inst.child, `${path}.${inst.name}`, inst);
    onStack.pop();
    done.add(m);
    order.push(m);
  };
  walk(top, top.name, undefined);

  const checked = new Map<Module, Checked>();
  const needs = new Map<Module, { clk: boolean; rst: boolean }>();
  for (const m of order) {
    const c = checkModule(m, (child) => checked.get(child)?.combDeps ?? new Map());
    for (const e of c.errors) errors.push(e.withPath(paths.get(m)!));
    checked.set(m, c);
    let clk = m.signals.some((s) => s.kind === 'reg' || s.kind === 'memrd') || m.memories.some((x) => x.writes.length > 0);
    let rst = m.signals.some((s) => s.kind === 'reg' && s.reset !== null);
    for (const inst of m.instances) {
      const n = needs.get(inst.child);
      clk ||= n?.clk ?? false;
      rst ||= n?.rst ?? false;
    }
    needs.set(m, { clk, rst });
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new ElaborationErrors(top.name, errors);

  // Names: one builder with several parameter sets gets a suffix per set.
  const variants = new Map<string, Map<string, Module[]>>();
  for (const m of order) {
    const byKey = variants.get(m.name) ?? new Map<string, Module[]>();
    const key = canonicalJson(m.params);
    byKey.set(key, [...(byKey.get(key) ?? []), m]);
    variants.set(m.name, byKey);
  }
  const finalName = new Map<Module, string>();
  for (const [base, byKey] of variants) {
    const keys = [...byKey.keys()];
    const readable = keys.map((k) => scalarSuffix(byKey.get(k)![0].params));
    const useReadable = readable.every((r) => r !== undefined) && new Set(readable).size === keys.length;
    keys.forEach((k, i) => {
      const name = keys.length === 1 ? base : `${base}_${useReadable ? readable[i] : configHash(byKey.get(k)![0].params)}`;
      for (const m of byKey.get(k)!) finalName.set(m, name);
    });
  }
  const owner = new Map<string, Module>();
  for (const m of order) {
    const n = finalName.get(m)!;
    const o = owner.get(n);
    if (o && o.name !== m.name) errors.push(new DuplicateNameError({ path: paths.get(m)!, signal: n, detail: `module name '${n}' is produced by two builders ('${o.name}' and '${m.name}')`, refs: [{ what: `'${o.name}' built`, at: o.loc }, { what: `'${m.name}' built`, at: m.loc }], fix: 'rename one of the builders' }));
    else owner.set(n, m);
  }

  const infos = new Map<Module, ModuleInfo>();
  const byName = new Map<string, ModuleInfo>();
  const modules: ModuleInfo[] = [];
  for (const m of order) {
    const name = finalName.get(m)!;
    const nd = needs.get(m)!;
    const c = checked.get(m)!;
    const text = emitModule(m, {
      name,
      baseName: m.name,
      needsClk: nd.clk,
      needsRst: nd.rst,
      childName: (ch) => finalName.get(ch)!,
      childClock: (ch) => ({ clk: needs.get(ch)!.clk, rst: needs.get(ch)!.rst }),
      combAlways: c.combAlways,
    });
    const prev = byName.get(name);
    if (prev) {
      if (prev.text !== text) {
        errors.push(new ModuleCollisionError({ path: paths.get(m)!, signal: name, detail: `two '${m.name}' modules with the same parameters ${canonicalJson(m.params)} build different hardware`, refs: [{ what: 'first built', at: owner.get(name)!.loc }, { what: 'second built', at: m.loc }], fix: 'record every setting that changes the hardware in the module params ({ params: {...} })' }));
      }
      infos.set(m, prev);
      continue;
    }
    const ports: PortInfo[] = [
      ...(nd.clk ? [{ name: 'clk', dir: 'input' as const, width: 1, signed: false }] : []),
      ...(nd.rst ? [{ name: 'rst_n', dir: 'input' as const, width: 1, signed: false }] : []),
      ...m.portList(),
    ];
    const info: ModuleInfo = { name, baseName: m.name, params: m.params, configHash: configHash(m.params), path: paths.get(m)!, ports, needsClk: nd.clk, needsRst: nd.rst, combDeps: c.combDeps, file: `${name}.v`, text };
    infos.set(m, info);
    byName.set(name, info);
    modules.push(info);
  }
  if (errors.length) throw errors.length === 1 ? errors[0] : new ElaborationErrors(top.name, errors);
  return {
    top: infos.get(top)!,
    modules,
    infoOf: (m) => {
      const i = infos.get(m);
      if (!i) throw new Error(`module '${m.name}' is not part of this design`);
      return i;
    },
  };
}

/** The Verilog files of a design: file name (`<module>.v`) -> text, children first. */
export function emitVerilog(design: Design): Map<string, string> {
  return new Map(design.modules.map((m) => [m.file, m.text]));
}
