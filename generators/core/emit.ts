// Verilog-2005 text of one elaborated module: readable names from the TypeScript
// description, one always block per register/comb signal/memory port, deterministic.
// Every emitted expression is self-determined at exactly its DSL width and signedness,
// so Verilog's context-dependent width rules never change a result.
import type { Expr, Signal } from './expr.ts';
import type { Memory, Module, Stmt } from './module.ts';
import { canonicalJson, configHash } from './hash.ts';

export interface EmitContext {
  /** Final (uniquified) module name. */
  name: string;
  baseName: string;
  needsClk: boolean;
  needsRst: boolean;
  childName(child: Module): string;
  childClock(child: Module): { clk: boolean; rst: boolean };
  /** Signals driven through always @* (declared `reg`). */
  combAlways: Set<Signal>;
}

function range(w: number): string {
  return w === 1 ? '' : `[${w - 1}:0]`;
}

export function formatLiteral(value: bigint, width: number, signed: boolean): string {
  const big = width > 32;
  if (!signed && width === 1) return `1'b${value}`;
  if (!signed) return big ? `${width}'h${value.toString(16)}` : `${width}'d${value}`;
  const negative = (value >> BigInt(width - 1)) & 1n;
  if (!negative) return big ? `${width}'sh${value.toString(16)}` : `${width}'sd${value}`;
  const mag = (1n << BigInt(width)) - value;
  // The most negative value has no positive counterpart of the same width: write its bits.
  if (mag === 1n << BigInt(width - 1)) return `${width}'sh${value.toString(16)}`;
  return big ? `-${width}'sh${mag.toString(16)}` : `-${width}'sd${mag}`;
}

const OP_NAME: Record<string, string> = {
  '+': 'add', '-': 'sub', '*': 'mul', '&': 'and', '|': 'or', '^': 'xor',
  '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge',
};

function stripParens(s: string): string {
  if (!s.startsWith('(') || !s.endsWith(')')) return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    if (depth === 0 && i < s.length - 1) return s;
  }
  return s.slice(1, -1);
}

interface Temp {
  name: string;
  e: Expr;
  text: string;
  used: Uint8Array;
}

/** Cheap enough to repeat inline when shared: names, constants, bit-selects and casts of names. */
function trivial(e: Expr): boolean {
  const n = e.node;
  return n.k === 'ref' || n.k === 'lit' || ((n.k === 'slice' || n.k === 'cast') && n.a.node.k === 'ref');
}

class ExprWriter {
  readonly temps: Temp[] = [];
  private readonly tempOf = new Map<Expr, Temp>();
  private readonly taken = new Set<string>();
  /** How many times each expression object is used; shared non-trivial ones get one named wire. */
  private readonly uses = new Map<Expr, number>();
  constructor(private readonly m: Module) {}

  countUses(e: Expr): void {
    const n = this.uses.get(e) ?? 0;
    this.uses.set(e, n + 1);
    if (n > 0) return;
    const x = e.node;
    switch (x.k) {
      case 'ref':
      case 'lit':
        return;
      case 'bin':
      case 'cmp':
        this.countUses(x.a);
        this.countUses(x.b);
        return;
      case 'cat':
        x.parts.forEach((p) => this.countUses(p));
        return;
      case 'mux':
        this.countUses(x.sel);
        this.countUses(x.a);
        this.countUses(x.b);
        return;
      case 'memrd':
        this.countUses(x.addr);
        return;
      case 'shift':
        this.countUses(x.a);
        this.countUses(x.amt);
        return;
      default:
        this.countUses(x.a);
    }
  }

  private fresh(base: string): string {
    let name = base;
    for (let i = 1; this.m.hasName(name) || this.taken.has(name) || name === 'clk' || name === 'rst_n'; i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** A plain identifier holding e: the signal itself, or a temporary named after its use. */
  private named(e: Expr, owner: string, forBits: boolean): { name: string; temp?: Temp } {
    // Bit selection ignores signedness: select from the name under a cast.
    if (forBits) while (e.node.k === 'cast') e = e.node.a;
    if (e.node.k === 'ref') return { name: e.node.sig.name };
    let t = this.tempOf.get(e);
    if (!t) {
      const kind = e.node.k === 'bin' || e.node.k === 'cmp' ? OP_NAME[e.node.op] : e.node.k === 'memrd' ? 'rd' : e.node.k === 'shift' ? (e.node.op === '<<' ? 'shl' : 'shr') : e.node.k;
      t = { name: this.fresh(`${owner}_${kind}`), e, text: '', used: new Uint8Array(e.width) };
      this.tempOf.set(e, t);
      t.text = stripParens(this.exInline(e, t.name));
      this.temps.push(t);
    }
    return { name: t.name, temp: t };
  }

  private bits(e: Expr, owner: string, hi: number, lo: number): string {
    const { name, temp } = this.named(e, owner, true);
    if (temp) temp.used.fill(1, lo, hi + 1);
    return hi === lo ? `${name}[${hi}]` : `${name}[${hi}:${lo}]`;
  }

  ex(e: Expr, owner: string): string {
    if ((this.uses.get(e) ?? 0) > 1 && !trivial(e)) {
      const { name, temp } = this.named(e, owner, false);
      temp!.used.fill(1);
      return name;
    }
    return this.exInline(e, owner);
  }

  private exInline(e: Expr, owner: string): string {
    const n = e.node;
    switch (n.k) {
      case 'ref':
        return n.sig.name;
      case 'lit':
        return formatLiteral(n.value, e.width, e.signed);
      case 'bin':
      case 'cmp':
        return `(${this.ex(n.a, owner)} ${n.op} ${this.ex(n.b, owner)})`;
      case 'not':
        return `(~${this.ex(n.a, owner)})`;
      case 'neg':
        return `(-${this.ex(n.a, owner)})`;
      case 'red':
        return `(${n.op}${this.ex(n.a, owner)})`;
      case 'slice':
        return this.bits(n.a, owner, n.hi, n.lo);
      case 'cat':
        return `{${n.parts.map((p) => this.ex(p, owner)).join(', ')}}`;
      case 'rep':
        return `{${n.n}{${this.ex(n.a, owner)}}}`;
      case 'sext': {
        const k = e.width - n.a.width;
        const top = this.bits(n.a, owner, n.a.width - 1, n.a.width - 1);
        const { name, temp } = this.named(n.a, owner, true);
        if (temp) temp.used.fill(1);
        const body = k === 1 ? `{${top}, ${name}}` : `{{${k}{${top}}}, ${name}}`;
        return e.signed ? `$signed(${body})` : body;
      }
      case 'mux':
        return `(${this.ex(n.sel, owner)} ? ${this.ex(n.a, owner)} : ${this.ex(n.b, owner)})`;
      case 'cast':
        return `${e.signed ? '$signed' : '$unsigned'}(${stripParens(this.ex(n.a, owner))})`;
      case 'memrd':
        return `${n.mem.name}[${stripParens(this.ex(n.addr, owner))}]`;
      case 'shift':
        // Shift results are self-determined at the left operand's width; '>>>' needs a signed operand.
        return `(${this.ex(n.a, owner)} ${n.op} ${this.ex(n.amt, owner)})`;
    }
  }

  top(e: Expr, owner: string): string {
    return stripParens(this.ex(e, owner));
  }
}

/** Statements that affect `keep`, with when-branches kept in place so priority is preserved. */
function prune(stmts: Stmt[], keep: (s: Stmt) => boolean): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) {
    if (s.k !== 'when') {
      if (keep(s)) out.push(s);
      continue;
    }
    const branches = s.branches.map((b) => ({ ...b, body: prune(b.body, keep) }));
    const otherwise = s.otherwise ? prune(s.otherwise, keep) : null;
    let last = branches.length - 1;
    if (!otherwise || otherwise.length === 0) while (last >= 0 && branches[last].body.length === 0) last--;
    if (last < 0 && !(otherwise && otherwise.length)) continue;
    out.push({ ...s, branches: branches.slice(0, last + 1), otherwise: otherwise && otherwise.length ? otherwise : null });
  }
  return out;
}

export function emitModule(m: Module, ctx: EmitContext): string {
  const w = new ExprWriter(m);
  const roots: Expr[] = [];
  const walkStmts = (list: Stmt[]) => {
    for (const s of list) {
      if (s.k === 'assign') roots.push(s.value);
      else if (s.k === 'memwrite') roots.push(s.addr, s.data);
      else {
        for (const b of s.branches) {
          roots.push(b.cond);
          walkStmts(b.body);
        }
        if (s.otherwise) walkStmts(s.otherwise);
      }
    }
  };
  walkStmts(m.stmts);
  for (const inst of m.instances) for (const { value } of inst.inputs.values()) roots.push(value);
  for (const mem of m.memories) for (const r of mem.syncReads) roots.push(r.addr, ...(r.en ? [r.en] : []));
  // Conditions are re-emitted once per signal they guard: count each expression object once per root.
  for (const r of new Set(roots)) w.countUses(r);
  const lines: string[] = [];
  const ind = (n: number) => '  '.repeat(n);

  const printWhen = (s: Extract<Stmt, { k: 'when' }>, depth: number, op: '<=' | '=', owner: string, chained: boolean): void => {
    // chained: continue an enclosing `if (!rst_n) ... end` as `end else if (...)`.
    s.branches.forEach((b, i) => {
      lines.push(`${ind(depth)}${i === 0 && !chained ? '' : 'end else '}if (${w.top(b.cond, owner)}) begin`);
      printStmts(b.body, depth + 1, op, owner);
    });
    if (s.otherwise) {
      lines.push(`${ind(depth)}end else begin`);
      printStmts(s.otherwise, depth + 1, op, owner);
    }
    lines.push(`${ind(depth)}end`);
  };
  const printStmts = (list: Stmt[], depth: number, op: '<=' | '=', owner: string): void => {
    for (const s of list) {
      if (s.k === 'assign') lines.push(`${ind(depth)}${s.target.name} ${op} ${w.top(s.value, owner)};`);
      else if (s.k === 'memwrite') lines.push(`${ind(depth)}${s.mem.name}[${w.top(s.addr, owner)}] <= ${w.top(s.data, owner)};`);
      else printWhen(s, depth, op, owner, false);
    }
  };

  // Statements first (they create temporaries), declarations are assembled afterwards.
  const body: string[] = [];
  const flush = () => {
    body.push(...lines.splice(0));
  };

  // Instances.
  for (const inst of m.instances) {
    const ck = ctx.childClock(inst.child);
    const conns: [string, string][] = [];
    if (ck.clk) conns.push(['clk', 'clk']);
    if (ck.rst) conns.push(['rst_n', inst.resetFrom ? inst.resetFrom.name : 'rst_n']);
    for (const p of inst.child.ports) {
      if (p.kind === 'input') conns.push([p.name, w.top(inst.inputs.get(p.name)!.value, `${inst.name}_${p.name}`)]);
      else conns.push([p.name, inst.outputs.get(p.name)!.sig.name]);
    }
    const pw = Math.max(...conns.map(([p]) => p.length), 0);
    lines.push('', `${ctx.childName(inst.child)} ${inst.name} (`);
    conns.forEach(([p, v], i) => lines.push(`  .${p.padEnd(pw)} (${v})${i < conns.length - 1 ? ',' : ''}`));
    lines.push(');');
    flush();
  }

  // Continuous assignments and combinational always blocks, in declaration order.
  for (const sig of m.signals) {
    if (sig.kind !== 'wire' && sig.kind !== 'output') continue;
    const mine = prune(m.stmts, (s) => s.k === 'assign' && s.target === sig);
    if (mine.length === 0) continue;
    if (!ctx.combAlways.has(sig)) {
      if (body.length === 0 || !body[body.length - 1].startsWith('assign ')) lines.push('');
      lines.push(`assign ${sig.name} = ${w.top((mine[0] as Extract<Stmt, { k: 'assign' }>).value, sig.name)};`);
    } else {
      lines.push('', 'always @* begin');
      printStmts(mine, 1, '=', sig.name);
      lines.push('end');
    }
    flush();
  }

  // Registers.
  for (const sig of m.signals) {
    if (sig.kind !== 'reg') continue;
    const mine = prune(m.stmts, (s) => s.k === 'assign' && s.target === sig);
    lines.push('', 'always @(posedge clk) begin');
    if (sig.reset !== null) {
      lines.push(`  if (!rst_n) begin`, `    ${sig.name} <= ${formatLiteral(sig.reset, sig.width, sig.signed)};`);
      if (mine.length === 1 && mine[0].k === 'when') printWhen(mine[0], 1, '<=', sig.name, true);
      else {
        lines.push(`  end else begin`);
        printStmts(mine, 2, '<=', sig.name);
        lines.push('  end');
      }
    } else printStmts(mine, 1, '<=', sig.name);
    lines.push('end');
    flush();
  }

  // Memories: one block for the write ports, one per registered read port.
  for (const mem of m.memories) {
    const writes = prune(m.stmts, (s) => s.k === 'memwrite' && s.mem === mem);
    if (writes.length) {
      lines.push('', 'always @(posedge clk) begin');
      printStmts(writes, 1, '<=', `${mem.name}_wr`);
      lines.push('end');
    }
    for (const r of mem.syncReads) {
      lines.push('', 'always @(posedge clk) begin');
      const rd = `${mem.name}[${w.top(r.addr, r.data.name)}]`;
      if (r.en) lines.push(`  if (${w.top(r.en, r.data.name)}) begin`, `    ${r.data.name} <= ${rd};`, '  end');
      else lines.push(`  ${r.data.name} <= ${rd};`);
      lines.push('end');
    }
    flush();
  }

  // ---- assemble -----------------------------------------------------------------------
  const out: string[] = [];
  out.push('// Generated by screen-hdl generators/core from a TypeScript description. Do not edit.');
  out.push(`// module: ${ctx.name}${ctx.name !== ctx.baseName ? ` (builder '${ctx.baseName}')` : ''}`);
  if (m.doc) out.push(`// ${m.doc.replace(/\n/g, '\n// ')}`);
  out.push(`// config: ${canonicalJson(m.params)}`);
  out.push(`// config-hash: ${configHash(m.params)}`);
  out.push('`default_nettype none', '');

  const ports: { dir: string; type: string; signed: boolean; w: number; name: string; doc?: string }[] = [];
  if (ctx.needsClk) ports.push({ dir: 'input', type: 'wire', signed: false, w: 1, name: 'clk', doc: 'clock (rising edge)' });
  if (ctx.needsRst) ports.push({ dir: 'input', type: 'wire', signed: false, w: 1, name: 'rst_n', doc: 'synchronous reset, active low' });
  for (const p of m.ports) ports.push({ dir: p.kind, type: p.kind === 'output' && ctx.combAlways.has(p) ? 'reg' : 'wire', signed: p.signed, w: p.width, name: p.name, doc: p.doc });
  if (ports.length === 0) out.push(`module ${ctx.name};`);
  else {
    out.push(`module ${ctx.name} (`);
    const rw = Math.max(...ports.map((p) => (p.signed ? 7 : 0) + range(p.w).length));
    ports.forEach((p, i) => {
      const r = `${p.signed ? 'signed ' : ''}${range(p.w)}`.padEnd(rw);
      const decl = `  ${p.dir.padEnd(6)} ${p.type.padEnd(4)} ${rw ? r + ' ' : ''}${p.name}${i < ports.length - 1 ? ',' : ''}`;
      out.push(p.doc ? `${decl.padEnd(40)} // ${p.doc}` : decl);
    });
    out.push(');');
  }

  const decls: string[] = [];
  const decl = (type: string, signed: boolean, width: number, name: string, suffix = '', doc?: string) => {
    const d = `${type} ${signed ? 'signed ' : ''}${range(width) ? range(width) + ' ' : ''}${name}${suffix};`;
    decls.push(doc ? `${d} // ${doc}` : d);
  };
  for (const s of m.signals) {
    if (s.kind === 'input' || s.kind === 'output') continue;
    const type = s.kind === 'reg' || s.kind === 'memrd' || (s.kind === 'wire' && ctx.combAlways.has(s)) ? 'reg ' : 'wire';
    decl(type, s.signed, s.width, s.name, '', s.doc ?? (s.kind === 'memrd' ? 'registered memory read' : (s.kind === 'reg' && s.reset === null ? 'no reset' : undefined)));
  }
  for (const mem of m.memories) decl('reg ', mem.signed, mem.width, mem.name, ` [0:${mem.depth - 1}]`, mem.doc);
  for (const t of w.temps) decl('wire', t.e.signed, t.e.width, t.name);
  if (decls.length) out.push('', ...decls.map((d) => '  ' + d));
  if (w.temps.length) {
    out.push('');
    for (const t of w.temps) out.push(`  assign ${t.name} = ${t.text};`);
  }
  out.push(...body.map((l) => (l ? '  ' + l : l)));

  // Intentionally unread bits: one sink wire whose name Verilator's default unused-regexp
  // (*unused*) exempts, so -Wall stays clean without switching any warning off.
  const sink: { text: string; why: string }[] = [];
  for (const u of m.unusedDecls) {
    const whole = u.hi === u.sig.width - 1 && u.lo === 0;
    sink.push({ text: whole ? u.sig.name : u.hi === u.lo ? `${u.sig.name}[${u.hi}]` : `${u.sig.name}[${u.hi}:${u.lo}]`, why: u.why });
  }
  for (const t of w.temps) {
    for (let b = 0; b < t.used.length; ) {
      if (t.used[b]) {
        b++;
        continue;
      }
      let e = b;
      while (e + 1 < t.used.length && !t.used[e + 1]) e++;
      sink.push({ text: e === b ? `${t.name}[${b}]` : `${t.name}[${e}:${b}]`, why: 'bits of an intermediate result dropped by an explicit slice' });
      b = e + 1;
    }
  }
  if (sink.length) {
    out.push('', '  // Bits nobody reads, on purpose:');
    for (const s of sink) out.push(`  //   ${s.text}: ${s.why.replace(/\n/g, ' ')}`);
    out.push(`  wire _unused_ok = &{1'b0, ${sink.map((s) => s.text).join(', ')}, 1'b0};`);
  }
  out.push('', 'endmodule', '', '`default_nettype wire', '');
  return out.join('\n');
}

export type { Memory };
