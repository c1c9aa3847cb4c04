// The Module builder: ports, wires, registers (clock `clk`, synchronous active-low reset
// `rst_n`, added implicitly), memories, submodule instances and when/elsewhen/otherwise.
// A Module object is a definition; instantiate it any number of times.
import {
  CondWidthError,
  CrossModuleError,
  DuplicateNameError,
  HdlError,
  KeywordClashError,
  InvalidParamError,
  LiteralOverflowError,
  BadNameError,
  BadWidthError,
  MultipleDriversError,
  NotAssignableError,
  SignMismatchError,
  UnknownPortError,
  WidthMismatchError,
  WhenOrderError,
  type HdlErrorClass,
} from './errors.ts';
import { Expr, Signal, aWidth, assignError, describeShape, fitsIn, isIntWidth, litIn, MAX_WIDTH, type Operand, type SignalKind } from './expr.ts';
import { forEachRead } from './elaborate.ts';
import { canonicalJson } from './hash.ts';
import { closest, isIdentifier, keywordKind, RESERVED_NAMES } from './names.ts';
import { captureLoc, type Loc } from './srcloc.ts';

export type Stmt =
  | { k: 'assign'; target: Signal; value: Expr; loc: Loc }
  | { k: 'when'; branches: { cond: Expr; body: Stmt[]; loc: Loc }[]; otherwise: Stmt[] | null; loc: Loc }
  | { k: 'memwrite'; mem: Memory; addr: Expr; data: Expr; loc: Loc };

export interface PortInfo {
  name: string;
  dir: 'input' | 'output';
  width: number;
  signed: boolean;
}

export interface ModuleOptions {
  /** The generating configuration: recorded in the RTL header, hashed, used to uniquify names. */
  params?: Record<string, unknown>;
  /** One line describing the module, copied into the RTL header. */
  doc?: string;
}

export interface SignalOptions {
  signed?: boolean;
  doc?: string;
}

export interface RegOptions extends SignalOptions {
  /** Reset value applied while rst_n is low, or null for a register without reset (smaller). */
  reset: number | bigint | null;
}

/** A module definition under construction. */
export class Module {
  readonly name: string;
  params: Readonly<Record<string, unknown>>;
  readonly doc: string | undefined;
  readonly loc: Loc;
  /** Every named signal in declaration order (ports, wires, regs, instance outputs, read registers). */
  readonly signals: Signal[] = [];
  readonly ports: Signal[] = [];
  readonly instances: Instance[] = [];
  readonly memories: Memory[] = [];
  /** Top-level statement list (program order; last assignment wins). */
  readonly stmts: Stmt[] = [];
  /** Bits declared intentionally unused, with the reason. */
  readonly unusedDecls: { sig: Signal; hi: number; lo: number; why: string; loc: Loc }[] = [];
  /** Errors recorded while building; elaborate() reports them with the module path. */
  readonly diagnostics: HdlError[] = [];
  private readonly names = new Map<string, { what: string; loc: Loc }>();
  private ctx: Stmt[] = this.stmts;

  constructor(name: string, opts: ModuleOptions = {}) {
    this.name = name;
    this.params = opts.params ?? {};
    this.doc = opts.doc;
    this.loc = captureLoc();
    this.checkName(name, 'module name', this.loc);
    try {
      canonicalJson(this.params);
    } catch (e) {
      // The header, the config hash and uniquification all need JSON-encodable params.
      this.params = {};
      this.err(InvalidParamError, name, `params of module '${name}' are not JSON-encodable: ${(e as Error).message.replace(/^canonicalJson: /, '')}`, [{ what: 'built', at: this.loc }], 'pass only numbers, strings, booleans, bigints, arrays and plain objects as params');
    }
  }

  /** Record an error found while building (reported by elaborate()). */
  report(err: HdlError): void {
    this.diagnostics.push(err);
  }

  private err(cls: HdlErrorClass, signal: string | undefined, detail: string, refs: { what: string; at: string | Loc }[], fix: string): void {
    this.report(new cls({ path: this.name, signal, detail, refs, fix }));
  }

  private checkName(name: string, what: string, loc: Loc): boolean {
    if (!isIdentifier(name)) {
      this.err(BadNameError, name, `${what} '${name}' is not a legal Verilog identifier`, [{ what: 'declared', at: loc }], "use letters, digits and '_', starting with a letter or '_'");
      return false;
    }
    const kw = keywordKind(name);
    if (kw) {
      this.err(KeywordClashError, name, `${what} '${name}' is a ${kw} keyword`, [{ what: 'declared', at: loc }], `rename it, e.g. '${name}_i' or '${name}_q'`);
      return false;
    }
    return true;
  }

  /** Claim a name in this module's namespace (signals, memories, instances share it). */
  private claim(name: string, what: string, loc: Loc): boolean {
    if (!this.checkName(name, what, loc)) return false;
    if (RESERVED_NAMES.has(name)) {
      this.err(DuplicateNameError, name, `${what} '${name}' clashes with the implicit ${name === 'clk' ? 'clock port' : name === 'rst_n' ? 'reset port' : 'unused-bit sink'} '${name}'`, [{ what: 'declared', at: loc }], `rename it; clk and rst_n are added and connected automatically`);
      return false;
    }
    const prev = this.names.get(name);
    if (prev) {
      this.err(DuplicateNameError, name, `${what} '${name}' is already declared as ${prev.what}`, [{ what: 'first declared', at: prev.loc }, { what: 'declared again', at: loc }], `give the ${what} a different name`);
      return false;
    }
    this.names.set(name, { what, loc });
    return true;
  }

  /** True if a name is taken (used by the emitter to pick temporary names). */
  hasName(name: string): boolean {
    return this.names.has(name);
  }

  private newSignal(name: string, width: number, kind: SignalKind, opts: SignalOptions & { reset?: bigint | null }, loc = captureLoc()): Signal {
    const named = this.claim(name, kind === 'instout' ? 'instance output wire' : kind, loc);
    let w = width;
    if (!isIntWidth(width)) {
      this.err(BadWidthError, name, `${kind} '${name}' has width ${width}; widths are integers in [1, ${MAX_WIDTH}]`, [{ what: 'declared', at: loc }], 'pass a positive integer width (check the parameter arithmetic that computed it)');
      w = 1;
    }
    const s = new Signal(name, w, opts.signed ?? false, kind, this, loc, opts);
    // A signal whose declaration failed gets no follow-on undriven/unused reports.
    if (!named) this.erroredTargets.add(s);
    this.signals.push(s);
    if (kind === 'input' || kind === 'output') this.ports.push(s);
    return s;
  }

  input(name: string, width: number, opts: SignalOptions = {}): Signal {
    return this.newSignal(name, width, 'input', opts);
  }
  output(name: string, width: number, opts: SignalOptions = {}): Signal {
    return this.newSignal(name, width, 'output', opts);
  }
  /** A combinational wire; with `value`, also drive it (width and sign taken from the value). */
  wire(name: string, width: number, opts?: SignalOptions): Signal;
  wire(name: string, value: Expr, opts?: { doc?: string }): Signal;
  wire(name: string, w: number | Expr, opts: SignalOptions = {}): Signal {
    if (w instanceof Expr) {
      const s = this.newSignal(name, w.width, 'wire', { ...opts, signed: w.signed });
      this.assign(s, w);
      return s;
    }
    return this.newSignal(name, w, 'wire', opts);
  }
  /** A register clocked by `clk`; `reset: null` gives one without reset. */
  reg(name: string, width: number, opts: RegOptions): Signal {
    const loc = captureLoc();
    let reset: bigint | null = null;
    if (opts.reset !== null) {
      const signed = opts.signed ?? false;
      const v = BigInt(opts.reset);
      if (isIntWidth(width) && !fitsIn(v, width, signed)) {
        this.err(LiteralOverflowError, name, `reset value ${v} of reg '${name}' does not fit in ${width}-bit ${signed ? 'signed' : 'unsigned'}`, [{ what: 'declared', at: loc }], `use a reset value in range, or widen the register`);
      } else reset = isIntWidth(width) ? v & ((1n << BigInt(width)) - 1n) : 0n;
    }
    return this.newSignal(name, width, 'reg', { ...opts, reset }, loc);
  }
  /** A reg with a reset: shorthand for reg(name, width, { reset }). */
  regInit(name: string, width: number, reset: number | bigint, opts: SignalOptions = {}): Signal {
    return this.reg(name, width, { ...opts, reset });
  }

  memory(name: string, opts: { depth: number; width: number; signed?: boolean; doc?: string }): Memory {
    const loc = captureLoc();
    this.claim(name, 'memory', loc);
    let { depth, width } = opts;
    if (!Number.isInteger(depth) || depth < 2 || depth > 1 << 24) {
      this.err(BadWidthError, name, `memory '${name}' has depth ${depth}; need an integer in [2, 16777216]`, [{ what: 'declared', at: loc }], 'pass a depth of at least 2 (use a register for one word)');
      depth = 2;
    }
    if (!isIntWidth(width)) {
      this.err(BadWidthError, name, `memory '${name}' has width ${width}; need an integer in [1, ${MAX_WIDTH}]`, [{ what: 'declared', at: loc }], 'pass a positive integer width');
      width = 1;
    }
    const m = new Memory(this, name, depth, width, opts.signed ?? false, loc, opts.doc);
    this.memories.push(m);
    return m;
  }

  /** Instantiate `child` as `instName`; `conns` maps child port names to values (inputs) or parent wires/outputs (outputs). */
  instantiate(instName: string, child: Module, conns: Record<string, Operand | undefined> = {}): Instance {
    const loc = captureLoc();
    this.claim(instName, 'instance', loc);
    if (child === this) this.err(CrossModuleError, instName, `module '${this.name}' instantiates itself`, [{ what: 'instantiated', at: loc }], 'build the child as a separate Module');
    const inst = new Instance(this, instName, child, loc);
    this.instances.push(inst);
    for (const [port, v] of Object.entries(conns)) if (v !== undefined) inst.connectAt(port, v, loc);
    return inst;
  }

  // ---- statements --------------------------------------------------------------------
  /** Drive `target` with `value` (last assignment in program order wins, like Chisel). */
  assign(target: Signal, value: Operand): void {
    const loc = captureLoc();
    if (target.mod !== this) {
      this.err(CrossModuleError, target.name, `assignment to '${target.name}' of module '${target.mod.name}' from module '${this.name}'`, [{ what: 'assigned', at: loc }, { what: 'declared', at: target.loc }], `drive it inside '${target.mod.name}', or go through a port`);
      return;
    }
    if (target.kind === 'input' || target.kind === 'instout' || target.kind === 'memrd') {
      const why = target.kind === 'input' ? 'an input port is driven by the parent' : target.kind === 'instout' ? 'it is driven by the instance output' : 'it is driven by its memory read port';
      this.report(assignError(this, target, `cannot assign ${target.kind} '${target.name}': ${why}`, target.kind === 'input' ? 'declare an output or a wire and drive that instead' : 'assign a separate wire instead', [{ what: 'assigned', at: loc }]));
      return;
    }
    const v = value instanceof Expr ? value : litIn(value, target.width, target.signed, this, `assignment to '${target.name}'`);
    if (v.mod && v.mod !== this) {
      this.err(CrossModuleError, target.name, `value assigned to '${target.name}' reads signals of module '${v.mod.name}'`, [{ what: 'assigned', at: loc }], `pass the value into '${this.name}' through an input port`);
      return;
    }
    if (this.isPoisoned(v)) {
      // The value stands in for something already reported: do not pile on.
      this.markDriven(target, loc, v);
      return;
    }
    if (v.width !== target.width) {
      const fix =
        v.width > target.width
          ? `truncate the value with .trunc(${target.width}) (drops its top ${v.width - target.width} bits)${v.signed ? ` or .saturate(${target.width})` : ''}, or declare '${target.name}' ${v.width} bit${v.width === 1 ? '' : 's'} wide`
          : `extend the value with .${v.signed ? 'sext' : 'zext'}(${target.width}), or declare '${target.name}' ${v.width} bit${v.width === 1 ? '' : 's'} wide`;
      this.err(WidthMismatchError, target.name, `cannot assign ${aWidth(v.width)} ${describeShape(v)} value ('${v.label()}') to ${describeShape(target)} ${target.kind} '${target.name}'`, [{ what: `${target.kind} '${target.name}' declared`, at: target.loc }, { what: 'value assigned', at: loc }], fix);
      this.markDriven(target, loc, v);
      return;
    }
    if (v.signed !== target.signed) {
      this.err(SignMismatchError, target.name, `cannot assign ${aWidth(v.width)} ${describeShape(v)} value ('${v.label()}') to ${describeShape(target)} ${target.kind} '${target.name}'`, [{ what: `${target.kind} '${target.name}' declared`, at: target.loc }, { what: 'value assigned', at: loc }], `convert with .${target.signed ? 'asSigned' : 'asUnsigned'}() (same bits), or declare '${target.name}' ${v.signed ? 'signed' : 'unsigned'}`);
      this.markDriven(target, loc, v);
      return;
    }
    if (this.ctx === this.stmts) {
      const prev = this.stmts.find((s): s is Extract<Stmt, { k: 'assign' }> => s.k === 'assign' && s.target === target);
      if (prev) {
        this.err(MultipleDriversError, target.name, `'${target.name}' is assigned unconditionally twice; the first assignment would be dead`, [{ what: 'first assigned', at: prev.loc }, { what: 'assigned again', at: loc }], 'keep one unconditional assignment (a default) and put overrides inside m.when(...)');
        return;
      }
    }
    this.ctx.push({ k: 'assign', target, value: v, loc });
  }

  /** Failed assignments still count as drivers, so one mistake does not also report "undriven". */
  readonly erroredTargets = new Set<Signal>();
  /** Values of failed assignments/connections still count as read, for the same reason. */
  readonly erroredReads: Expr[] = [];
  private markDriven(target: Signal, _loc: Loc, value?: Expr): void {
    this.erroredTargets.add(target);
    if (value) this.erroredReads.push(value);
  }
  /** Placeholder signals created after an error (e.g. an unknown instance port). */
  readonly poisoned = new Set<Signal>();
  isPoisoned(e: Expr): boolean {
    if (this.poisoned.size === 0) return false;
    let hit = false;
    forEachRead(e, (s) => {
      hit ||= this.poisoned.has(s);
    });
    return hit;
  }

  /** Internal: a value whose use failed still counts as read. */
  noteRead(e: Expr): void {
    this.erroredReads.push(e);
  }

  /** Used by Memory.write to add a statement under the current conditions. */
  pushStmt(s: Stmt): void {
    this.ctx.push(s);
  }

  private checkCondition(cond: Expr, what: string, loc: Loc): Expr {
    if (cond.mod && cond.mod !== this) {
      this.err(CrossModuleError, cond.label(), `${what} condition reads signals of module '${cond.mod.name}'`, [{ what: 'used', at: loc }], `pass the value into '${this.name}' through an input port`);
      return litIn(0, 1, false, this, what);
    }
    if (cond.width !== 1) {
      this.err(CondWidthError, cond.label(), `${what} condition '${cond.label()}' is ${cond.width} bits wide; a condition must be 1 bit`, [{ what: 'used', at: loc }], 'compare explicitly (.ne(0), .eq(k)) or reduce (.orR()) to get 1 bit');
      this.noteRead(cond);
      return litIn(0, 1, false, this, what);
    }
    return cond;
  }

  private runBody(body: Stmt[], fn: () => void): void {
    const saved = this.ctx;
    this.ctx = body;
    try {
      fn();
    } finally {
      this.ctx = saved;
    }
  }

  /** Conditional block: assignments inside take effect only when `cond` (1 bit) is high. */
  when(cond: Expr, body: () => void): WhenChain {
    const loc = captureLoc();
    const node: Extract<Stmt, { k: 'when' }> = { k: 'when', branches: [], otherwise: null, loc };
    this.ctx.push(node);
    const b = { cond: this.checkCondition(cond, 'when', loc), body: [] as Stmt[], loc };
    node.branches.push(b);
    this.runBody(b.body, body);
    return new WhenChain(this, node);
  }

  /** Internal: add an elsewhen/otherwise branch to a chain. */
  extendWhen(node: Extract<Stmt, { k: 'when' }>, cond: Expr | null, body: () => void): void {
    const loc = captureLoc();
    if (node.otherwise) {
      this.err(WhenOrderError, undefined, `${cond ? 'elsewhen' : 'otherwise'} after otherwise`, [{ what: 'when started', at: node.loc }, { what: 'added', at: loc }], 'otherwise must be the last branch of a when chain');
      return;
    }
    if (cond) {
      const b = { cond: this.checkCondition(cond, 'elsewhen', loc), body: [] as Stmt[], loc };
      node.branches.push(b);
      this.runBody(b.body, body);
    } else {
      node.otherwise = [];
      this.runBody(node.otherwise, body);
    }
  }

  /** switch(sel).is(v, fn)...default(fn): a when chain comparing `sel` with constants. */
  switch(sel: Expr): SwitchBuilder {
    return new SwitchBuilder(this, sel);
  }

  /** Declare bits that are intentionally never read (keeps Verilator -Wall clean), with the reason. */
  unused(e: Expr, why: string): void {
    const loc = captureLoc();
    const n = e.node;
    const sig = n.k === 'ref' ? n.sig : n.k === 'slice' && n.a.node.k === 'ref' ? n.a.node.sig : undefined;
    if (!sig || sig.mod !== this) {
      this.err(BadNameError, e.label(), `unused() takes a signal of module '${this.name}' or a slice of one; got ${sig ? `a signal of '${sig.mod.name}'` : `a ${n.k} expression`}`, [{ what: 'called', at: loc }], 'pass the signal itself, e.g. m.unused(x.slice(7, 4), "why")');
      return;
    }
    const [hi, lo] = n.k === 'slice' ? [n.hi, n.lo] : [sig.width - 1, 0];
    this.unusedDecls.push({ sig, hi, lo, why, loc });
  }

  /** Port list (name, direction, width, signedness) as declared; elaborate() adds clk/rst_n. */
  portList(): PortInfo[] {
    return this.ports.map((p) => ({ name: p.name, dir: p.kind as 'input' | 'output', width: p.width, signed: p.signed }));
  }

  port(name: string): Signal | undefined {
    return this.ports.find((p) => p.name === name);
  }

  /** Internal: create an instance-output wire (instances call this). */
  newInstOut(name: string, width: number, signed: boolean, loc: Loc): Signal {
    return this.newSignal(name, width, 'instout', { signed }, loc);
  }
  /** Internal: create a memory read register. */
  newMemRead(name: string, width: number, signed: boolean, loc: Loc): Signal {
    return this.newSignal(name, width, 'memrd', { signed }, loc);
  }
  /** Internal: error helper for collaborators. */
  fail(cls: HdlErrorClass, signal: string | undefined, detail: string, refs: { what: string; at: string | Loc }[], fix: string): void {
    this.err(cls, signal, detail, refs, fix);
  }
}

export class WhenChain {
  constructor(
    private readonly mod: Module,
    private readonly node: Extract<Stmt, { k: 'when' }>,
  ) {}
  elsewhen(cond: Expr, body: () => void): WhenChain {
    this.mod.extendWhen(this.node, cond, body);
    return this;
  }
  otherwise(body: () => void): void {
    this.mod.extendWhen(this.node, null, body);
  }
}

export class SwitchBuilder {
  private chain: WhenChain | undefined;
  constructor(
    private readonly mod: Module,
    private readonly sel: Expr,
  ) {}
  /** Branch taken when sel equals `value` (or any of `values`). */
  is(value: Operand | Operand[], body: () => void): this {
    const vs = Array.isArray(value) ? value : [value];
    const cond = vs.map((v) => this.sel.eq(v)).reduce((a, b) => a.or(b));
    this.chain = this.chain ? this.chain.elsewhen(cond, body) : this.mod.when(cond, body);
    return this;
  }
  default(body: () => void): void {
    if (!this.chain) body();
    else this.chain.otherwise(body);
  }
}

/** One instantiation of a child module inside a parent. */
export class Instance {
  /** Input port -> connected value. */
  readonly inputs = new Map<string, { value: Expr; loc: Loc }>();
  /** Output port -> the parent signal it drives (auto wire `<inst>_<port>` or a bound wire/output). */
  readonly outputs = new Map<string, { sig: Signal; loc: Loc }>();
  /** The parent signal wired to the child's rst_n instead of the parent's own rst_n (see withReset). */
  resetFrom?: Signal;
  constructor(
    readonly parent: Module,
    readonly name: string,
    readonly child: Module,
    readonly loc: Loc,
  ) {}

  private lookup(port: string, loc: Loc, what = 'connected'): Signal | undefined {
    const p = this.child.port(port);
    if (!p) {
      const guess = closest(port, this.child.ports.map((q) => q.name));
      this.parent.fail(UnknownPortError, port, `module '${this.child.name}' (instance '${this.name}') has no port '${port}'`, [{ what, at: loc }, { what: `module '${this.child.name}' built`, at: this.child.loc }], guess ? `did you mean '${guess}'? ports: ${this.child.ports.map((q) => q.name).join(', ')}` : `ports are: ${this.child.ports.map((q) => q.name).join(', ') || '(none)'}`);
    }
    return p;
  }

  /** Connect a child port: inputs take any value of the port's exact shape; outputs take a parent wire/output to drive. */
  connect(port: string, value: Operand): this {
    this.connectAt(port, value, captureLoc());
    return this;
  }

  connectAt(port: string, value: Operand, loc: Loc): void {
    const p = this.lookup(port, loc);
    if (!p) {
      if (value instanceof Expr && value.mod === this.parent) this.parent.noteRead(value);
      return;
    }
    const parent = this.parent;
    const v = value instanceof Expr ? value : litIn(value, p.width, p.signed, parent, `port '${port}' of '${this.name}'`);
    if (v.mod && v.mod !== parent) {
      parent.fail(CrossModuleError, port, `port '${port}' of instance '${this.name}' connected to a value of module '${v.mod.name}', not of the parent '${parent.name}'`, [{ what: 'connected', at: loc }], `connect a signal of '${parent.name}'`);
      return;
    }
    const where = [
      { what: `${p.kind} '${port}' (${describeShape(p)}) declared in '${this.child.name}'`, at: p.loc },
      { what: `connected to '${v.label()}' (${describeShape(v)})`, at: loc },
    ];
    if (v.width !== p.width) {
      const fix =
        p.kind === 'input'
          ? v.width > p.width
            ? `truncate the value with .trunc(${p.width}) or build '${this.child.name}' with ${aWidth(v.width)} ${v.width}-bit '${port}'`
            : `extend the value with .${v.signed ? 'sext' : 'zext'}(${p.width})`
          : `declare the parent signal ${p.width} bits wide, or use ${this.name}.out('${port}') and resize that`;
      parent.noteRead(v);
      parent.fail(WidthMismatchError, port, `port '${port}' of instance '${this.name}' is ${p.width} bits wide but is connected to ${aWidth(v.width)} ${v.width}-bit value`, where, fix);
      if (p.kind === 'input') this.inputs.set(port, { value: litIn(0, p.width, p.signed, parent, 'connection'), loc });
      return;
    }
    if (v.signed !== p.signed) {
      parent.noteRead(v);
      parent.fail(SignMismatchError, port, `port '${port}' of instance '${this.name}' is ${describeShape(p)} but is connected to ${aWidth(v.width)} ${describeShape(v)} value`, where, `convert the value with .${p.signed ? 'asSigned' : 'asUnsigned'}()`);
      if (p.kind === 'input') this.inputs.set(port, { value: litIn(0, p.width, p.signed, parent, 'connection'), loc });
      return;
    }
    if (p.kind === 'input') {
      const prev = this.inputs.get(port);
      if (prev) {
        parent.fail(MultipleDriversError, port, `input '${port}' of instance '${this.name}' is connected twice`, [{ what: 'first connected', at: prev.loc }, { what: 'connected again', at: loc }], 'connect each input once (use mux() to choose between values)');
        return;
      }
      this.inputs.set(port, { value: v, loc });
      return;
    }
    // Output: the value must be a parent wire/output that this instance will drive.
    const n = v.node;
    if (n.k !== 'ref' || !(n.sig.kind === 'wire' || n.sig.kind === 'output')) {
      parent.fail(NotAssignableError, port, `output '${port}' of instance '${this.name}' must connect to a wire or output of '${parent.name}', not to ${n.k === 'ref' ? `${n.sig.kind} '${n.sig.name}'` : `a ${n.k} expression`}`, where, `declare a wire and pass it, or read the output with ${this.name}.out('${port}')`);
      return;
    }
    const prev = this.outputs.get(port);
    if (prev) {
      parent.fail(MultipleDriversError, port, `output '${port}' of instance '${this.name}' is connected twice`, [{ what: 'first connected', at: prev.loc }, { what: 'connected again', at: loc }], `connect it once; read it elsewhere with ${this.name}.out('${port}')`);
      return;
    }
    this.outputs.set(port, { sig: n.sig, loc });
  }

  /** The value of a child output port, as a parent signal (auto wire named `<inst>_<port>`). */
  out(port: string): Signal {
    const loc = captureLoc();
    const got = this.outputs.get(port);
    if (got) return got.sig;
    const p = this.lookup(port, loc, 'read');
    if (!p || p.kind !== 'output') {
      if (p) this.parent.fail(UnknownPortError, port, `'${port}' of module '${this.child.name}' is an input, not an output (instance '${this.name}')`, [{ what: 'read', at: loc }, { what: 'declared', at: p.loc }], `connect inputs with ${this.name}.connect('${port}', value)`);
      const bad = this.parent.newInstOut(`${this.name}_${port}_invalid`, p?.width ?? 1, p?.signed ?? false, loc);
      this.parent.erroredTargets.add(bad); // already reported: no follow-on unused/undriven errors
      this.parent.poisoned.add(bad);
      return bad;
    }
    const sig = this.parent.newInstOut(`${this.name}_${port}`, p.width, p.signed, loc);
    this.outputs.set(port, { sig, loc });
    return sig;
  }

  /**
   * Drive the child's synchronous active-low reset from a 1-bit signal of the parent (e.g.
   * `rst_n` and not a soft-reset strobe) instead of the parent's `rst_n`. A register is the
   * safe choice: the child's reset is then glitch-free and has no combinational path.
   */
  withReset(sig: Signal): this {
    const loc = captureLoc();
    if (sig.mod !== this.parent) this.parent.fail(CrossModuleError, sig.name, `reset of instance '${this.name}' is a signal of module '${sig.mod?.name}', not of the parent '${this.parent.name}'`, [{ what: 'withReset called', at: loc }], `pass a signal of '${this.parent.name}'`);
    else if (sig.width !== 1) this.parent.fail(WidthMismatchError, sig.name, `reset of instance '${this.name}' must be 1 bit, '${sig.name}' is ${sig.width} bits`, [{ what: 'withReset called', at: loc }], 'pass a 1-bit active-low reset');
    else {
      this.resetFrom = sig;
      this.parent.noteRead(sig);
    }
    return this;
  }

  /** Declare an output of this instance intentionally unread. */
  unused(port: string, why: string): void {
    const s = this.out(port);
    this.parent.unused(s, why);
  }
}

/** A memory (array of words): synchronous write ports, synchronous or asynchronous reads. */
export class Memory {
  readonly addrWidth: number;
  readonly writes: Extract<Stmt, { k: 'memwrite' }>[] = [];
  /** Registered read ports: data register, address, optional enable. */
  readonly syncReads: { data: Signal; addr: Expr; en: Expr | null; loc: Loc }[] = [];
  asyncReads = 0;
  constructor(
    readonly mod: Module,
    readonly name: string,
    readonly depth: number,
    readonly width: number,
    readonly signed: boolean,
    readonly loc: Loc,
    readonly doc: string | undefined,
  ) {
    this.addrWidth = Math.max(1, Math.ceil(Math.log2(depth)));
  }

  private checkAddr(addr: Expr, what: string, loc: Loc): Expr {
    if (addr.mod && addr.mod !== this.mod) {
      this.mod.fail(CrossModuleError, this.name, `${what} address of memory '${this.name}' reads signals of module '${addr.mod.name}'`, [{ what: 'used', at: loc }], 'pass the address through an input port');
      return litIn(0, this.addrWidth, false, this.mod, what);
    }
    if (addr.width !== this.addrWidth || addr.signed) {
      this.mod.fail(WidthMismatchError, this.name, `${what} address of memory '${this.name}' (depth ${this.depth}) must be ${this.addrWidth}-bit unsigned; got ${describeShape(addr)} '${addr.label()}'`, [{ what: 'memory declared', at: this.loc }, { what: `${what} port built`, at: loc }], addr.width > this.addrWidth ? `use .trunc(${this.addrWidth})` : addr.signed ? 'use .asUnsigned()' : `use .zext(${this.addrWidth})`);
      return litIn(0, this.addrWidth, false, this.mod, what);
    }
    return addr;
  }

  /** Synchronous write of `data` at `addr` (under the enclosing when conditions, and `en` if given). */
  write(addr: Expr, data: Operand, en?: Expr): void {
    const loc = captureLoc();
    const a = this.checkAddr(addr, 'write', loc);
    let d = data instanceof Expr ? data : litIn(data, this.width, this.signed, this.mod, `write to '${this.name}'`);
    if (d.width !== this.width || d.signed !== this.signed) {
      this.mod.fail(d.width !== this.width ? WidthMismatchError : SignMismatchError, this.name, `write data of memory '${this.name}' must be ${this.width}-bit ${this.signed ? 'signed' : 'unsigned'}; got ${describeShape(d)} '${d.label()}'`, [{ what: 'memory declared', at: this.loc }, { what: 'write port built', at: loc }], d.width !== this.width ? `resize the data with .${d.width > this.width ? 'trunc' : d.signed ? 'sext' : 'zext'}(${this.width})` : `convert with .${this.signed ? 'asSigned' : 'asUnsigned'}()`);
      d = litIn(0, this.width, this.signed, this.mod, 'write');
    }
    const stmt: Extract<Stmt, { k: 'memwrite' }> = { k: 'memwrite', mem: this, addr: a, data: d, loc };
    this.writes.push(stmt);
    if (en) this.mod.when(en, () => this.mod.pushStmt(stmt));
    else this.mod.pushStmt(stmt);
  }

  /** Combinational read (mem[addr]); maps to registers or LUT RAM, not to SRAM macros. */
  readAsync(addr: Expr): Expr {
    const a = this.checkAddr(addr, 'read', captureLoc());
    this.asyncReads++;
    return new Expr(this.width, this.signed, { k: 'memrd', mem: this, addr: a }, this.mod);
  }

  /** Registered read: the returned signal holds mem[addr] from the previous clock (updated when `en`). */
  readSync(addr: Expr, opts: { en?: Expr; name?: string } = {}): Signal {
    const loc = captureLoc();
    const a = this.checkAddr(addr, 'read', loc);
    let en: Expr | null = null;
    if (opts.en) {
      if (opts.en.width !== 1) this.mod.fail(CondWidthError, this.name, `read enable of memory '${this.name}' is ${opts.en.width} bits wide; it must be 1 bit`, [{ what: 'read port built', at: loc }], 'reduce it to 1 bit (.orR(), .ne(0))');
      else en = opts.en;
    }
    const data = this.mod.newMemRead(opts.name ?? `${this.name}_rdata${this.syncReads.length === 0 ? '' : this.syncReads.length}`, this.width, this.signed, loc);
    this.syncReads.push({ data, addr: a, en, loc });
    return data;
  }
}
