// Hardware expressions: every value has an explicit width and signedness, and every
// operator's result width follows a documented rule (docs/dsl.md "Width rules").
// Errors found while building an expression are recorded on the owning module and a
// zero of the expected shape is returned, so one elaboration reports every problem.
import type { Memory, Module } from './module.ts';
import {
  BadSliceError,
  BadWidthError,
  CrossModuleError,
  HdlError,
  LiteralOverflowError,
  SignMismatchError,
  WidthMismatchError,
  CondWidthError,
  ConstCompareError,
  NotAssignableError,
  type ErrorFields,
  type HdlErrorClass,
} from './errors.ts';
import { captureLoc, type Loc } from './srcloc.ts';

/** Widest signal the DSL accepts; catches runaway width arithmetic early. */
export const MAX_WIDTH = 4096;

export type Operand = Expr | number | bigint;
export type BinOp = '+' | '-' | '*' | '&' | '|' | '^';
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type Node =
  | { k: 'ref'; sig: Signal }
  /** `value` holds the bit pattern, in [0, 2^width). */
  | { k: 'lit'; value: bigint }
  /** Operands already have the result's width and signedness. */
  | { k: 'bin'; op: BinOp; a: Expr; b: Expr }
  /** Operands already have equal width and signedness. */
  | { k: 'cmp'; op: CmpOp; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'neg'; a: Expr }
  | { k: 'red'; op: '&' | '|' | '^'; a: Expr }
  | { k: 'slice'; a: Expr; hi: number; lo: number }
  | { k: 'cat'; parts: Expr[] }
  | { k: 'rep'; a: Expr; n: number }
  /** Copies of a's top bit on the left, up to the result width. */
  | { k: 'sext'; a: Expr }
  | { k: 'mux'; sel: Expr; a: Expr; b: Expr }
  /** Same bits, the result's signedness. */
  | { k: 'cast'; a: Expr }
  | { k: 'memrd'; mem: Memory; addr: Expr }
  /** Shift by a variable amount; result keeps a's width ('>>>' = arithmetic, signed a only). */
  | { k: 'shift'; op: '<<' | '>>' | '>>>'; a: Expr; amt: Expr };

export type SignalKind = 'input' | 'output' | 'wire' | 'reg' | 'instout' | 'memrd';

function mask(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}

/** "a 4-bit" / "an 8-bit": the article that fits how the width is read aloud. */
export function aWidth(w: number): string {
  return String(w).startsWith('8') || w === 11 || w === 18 ? 'an' : 'a';
}

function describe(e: Expr): string {
  return `${e.width}-bit ${e.signed ? 'signed' : 'unsigned'}`;
}

export function isIntWidth(w: number): boolean {
  return Number.isInteger(w) && w >= 1 && w <= MAX_WIDTH;
}

export class Expr {
  constructor(
    readonly width: number,
    readonly signed: boolean,
    readonly node: Node,
    /** The module whose signals this expression reads; undefined for pure literals. */
    readonly mod: Module | undefined,
  ) {}

  // ---- error plumbing -------------------------------------------------------------
  /** Record (or, outside any module, throw) an error and return a zero of the given shape. */
  protected fail(cls: HdlErrorClass, f: Omit<ErrorFields, 'path' | 'refs'> & { refs?: ErrorFields['refs'] }, width: number, signed: boolean, mod: Module | undefined = this.mod): Expr {
    const err = new cls({ path: mod?.name ?? '(no module)', refs: f.refs ?? [{ what: 'built', at: captureLoc() }], ...f });
    if (!mod) throw err;
    mod.report(err);
    // The operands were used, just wrongly: do not also report them as unread.
    if (this.mod === mod) mod.noteRead(this);
    return Expr.zero(isIntWidth(width) ? width : 1, signed, mod);
  }

  static zero(width: number, signed: boolean, mod: Module | undefined): Expr {
    return new Expr(width, signed, { k: 'lit', value: 0n }, mod);
  }

  /** Common module of two operands, or a recorded E_CROSS_MODULE. */
  protected join(b: Expr, what: string): { mod: Module | undefined; ok: boolean } {
    if (!this.mod || !b.mod || this.mod === b.mod) return { mod: this.mod ?? b.mod, ok: true };
    const err = new CrossModuleError({
      path: this.mod.name,
      detail: `${what} mixes a value of module '${this.mod.name}' with a value of module '${b.mod.name}'`,
      refs: [{ what: 'combined', at: captureLoc() }],
      fix: `pass the value through a port: declare an input on '${this.mod.name}' and connect it where '${this.mod.name}' is instantiated`,
    });
    this.mod.report(err);
    this.mod.noteRead(this);
    return { mod: this.mod, ok: false };
  }

  /** Turn a number into a literal shaped like `this` (the other operand). */
  protected coerce(v: Operand, what: string): Expr {
    if (v instanceof Expr) return v;
    return litIn(v, this.width, this.signed, this.mod, what);
  }

  /** Both operands as Exprs with the same signedness (or an E_SIGN_MISMATCH). */
  protected pair(v: Operand, what: string): [Expr, Expr, Module | undefined, boolean] {
    const b = this.coerce(v, what);
    const { mod, ok } = this.join(b, what);
    if (!ok) return [this, b, mod, false];
    if (this.signed !== b.signed) {
      const [s, u] = this.signed ? ['left', 'right'] : ['right', 'left'];
      this.fail(SignMismatchError, {
        detail: `${what} of ${describe(this)} and ${describe(b)}: the ${s} operand is signed, the ${u} is not`,
        fix: `make both the same: .asSigned() on the ${u} operand (after .zext(w+1) if its top bit may be set), or .asUnsigned() on the ${s} one`,
      }, 1, false, mod);
      if (b.mod === mod) mod?.noteRead(b);
      return [this, b, mod, false];
    }
    return [this, b, mod, true];
  }

  // ---- arithmetic ------------------------------------------------------------------
  private arith(op: '+' | '-' | '*', v: Operand, width: number | undefined, name: string): Expr {
    const [a, b, mod, ok] = this.pair(v, name);
    const natural = op === '*' ? a.width + b.width : Math.max(a.width, b.width) + 1;
    const w = width ?? natural;
    if (!isIntWidth(w)) return this.fail(BadWidthError, { detail: `${name} result width ${w} is not an integer in [1, ${MAX_WIDTH}]`, fix: `pass a result width in [1, ${MAX_WIDTH}]` }, 1, a.signed, mod);
    if (!ok) return Expr.zero(w, a.signed, mod);
    // Low w bits of +, -, * depend only on the low w bits of the operands, so a narrower
    // explicit width can resize the operands first (modular arithmetic, documented).
    return new Expr(w, a.signed, { k: 'bin', op, a: a.resize(w), b: b.resize(w) }, mod);
  }
  /** a + b. Width max(wa, wb) + 1 (never overflows), or exactly `width` (wraps modulo 2^width). */
  add(b: Operand, width?: number): Expr {
    return this.arith('+', b, width, 'add');
  }
  /** a - b. Width max(wa, wb) + 1, or exactly `width`. Unsigned results wrap when b > a. */
  sub(b: Operand, width?: number): Expr {
    return this.arith('-', b, width, 'sub');
  }
  /** a * b. Width wa + wb (never overflows), or exactly `width` (low bits of the product). */
  mul(b: Operand, width?: number): Expr {
    return this.arith('*', b, width, 'mul');
  }
  /** -a as a signed value one bit wider (so -min fits). */
  neg(): Expr {
    const w = this.width + 1;
    const a = this.signed ? this.sext(w) : this.zext(w).asSigned();
    return new Expr(w, true, { k: 'neg', a }, this.mod);
  }

  // ---- bitwise and logic -----------------------------------------------------------
  private bitwise(op: '&' | '|' | '^', v: Operand, name: string): Expr {
    const [a, b, mod, ok] = this.pair(v, name);
    const w = Math.max(a.width, b.width);
    if (!ok) return Expr.zero(w, a.signed, mod);
    return new Expr(w, a.signed, { k: 'bin', op, a: a.resize(w), b: b.resize(w) }, mod);
  }
  /** Bitwise AND; the narrower operand is extended (sign-aware) to the wider width. */
  and(b: Operand): Expr {
    return this.bitwise('&', b, 'and');
  }
  or(b: Operand): Expr {
    return this.bitwise('|', b, 'or');
  }
  xor(b: Operand): Expr {
    return this.bitwise('^', b, 'xor');
  }
  not(): Expr {
    return new Expr(this.width, this.signed, { k: 'not', a: this }, this.mod);
  }
  /** Reduction AND/OR/XOR of all bits: 1 bit. */
  andR(): Expr {
    return new Expr(1, false, { k: 'red', op: '&', a: this }, this.mod);
  }
  orR(): Expr {
    return new Expr(1, false, { k: 'red', op: '|', a: this }, this.mod);
  }
  xorR(): Expr {
    return new Expr(1, false, { k: 'red', op: '^', a: this }, this.mod);
  }

  // ---- comparisons (signed compare when both operands are signed) -------------------
  private cmp(op: CmpOp, v: Operand, name: string): Expr {
    const [a, b, mod, ok] = this.pair(v, name);
    if (!ok) return Expr.zero(1, false, mod);
    const w = Math.max(a.width, b.width);
    const ra = a.resize(w);
    const rb = b.resize(w);
    const always = constantCompare(op, ra, rb);
    if (always !== undefined) {
      // Verilator -Wall flags these (CMPCONST/UNSIGNED), and they usually hide a bug.
      return this.fail(ConstCompareError, {
        signal: (ra.node.k === 'lit' ? rb : ra).label(),
        detail: `${name}: '${render(ra, 3)} ${op} ${render(rb, 3)}' is always ${always} for ${aWidth(w)} ${w}-bit ${a.signed ? 'signed' : 'unsigned'} value`,
        fix: always ? 'drop the comparison (use lit(1, 1)) or compare against a value inside the range' : 'drop the comparison (use lit(0, 1)) or compare against a value inside the range',
      }, 1, false, mod);
    }
    return new Expr(1, false, { k: 'cmp', op, a: ra, b: rb }, mod);
  }
  eq(b: Operand): Expr {
    return this.cmp('==', b, 'eq');
  }
  ne(b: Operand): Expr {
    return this.cmp('!=', b, 'ne');
  }
  lt(b: Operand): Expr {
    return this.cmp('<', b, 'lt');
  }
  le(b: Operand): Expr {
    return this.cmp('<=', b, 'le');
  }
  gt(b: Operand): Expr {
    return this.cmp('>', b, 'gt');
  }
  ge(b: Operand): Expr {
    return this.cmp('>=', b, 'ge');
  }

  // ---- bit selection -----------------------------------------------------------------
  /** Bits [hi:lo] as an unsigned value of width hi-lo+1. */
  slice(hi: number, lo: number): Expr {
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      const w = Number.isInteger(hi - lo + 1) && hi >= lo ? hi - lo + 1 : 1;
      return this.fail(BadSliceError, {
        signal: this.label(),
        detail: `slice [${hi}:${lo}] of ${aWidth(this.width)} ${describe(this)} value: ${hi >= this.width ? `bit ${hi} does not exist (bits are ${this.width - 1}..0)` : 'need integers with width > hi >= lo >= 0'}`,
        fix: `use bits within [${this.width - 1}:0], or widen the value first with .zext()/.sext()`,
      }, w, false);
    }
    const w = hi - lo + 1;
    const n = this.node;
    if (w === this.width && !this.signed) return this;
    if (n.k === 'lit') return new Expr(w, false, { k: 'lit', value: (n.value >> BigInt(lo)) & mask(w) }, this.mod);
    if (n.k === 'slice') return n.a.slice(n.lo + hi, n.lo + lo);
    if (n.k === 'cast') return n.a.slice(hi, lo); // bit selection ignores signedness
    if (w === this.width) return this.asUnsigned();
    return new Expr(w, false, { k: 'slice', a: this, hi, lo }, this.mod);
  }
  /** Bit i as a 1-bit unsigned value. */
  bit(i: number): Expr {
    return this.slice(i, i);
  }
  /** The top bit (the sign bit of a signed value). */
  msb(): Expr {
    return this.slice(this.width - 1, this.width - 1);
  }

  // ---- width changes (all explicit) --------------------------------------------------
  private checkTarget(w: number, what: string, wider: boolean): boolean {
    if (!isIntWidth(w)) {
      this.fail(BadWidthError, { signal: this.label(), detail: `${what}(${w}): width must be an integer in [1, ${MAX_WIDTH}]`, fix: `pass an integer width` }, 1, this.signed);
      return false;
    }
    if (wider ? w < this.width : w > this.width) {
      this.fail(BadWidthError, {
        signal: this.label(),
        detail: `${what}(${w}) on ${aWidth(this.width)} ${describe(this)} value would ${wider ? 'narrow' : 'widen'} it`,
        fix: wider ? `use .trunc(${w}) to drop the top ${this.width - w} bits, or .resize(${w})` : `use .zext(${w}) or .sext(${w}) to widen`,
      }, 1, this.signed);
      return false;
    }
    return true;
  }
  /** Zero-extend to w bits (w >= width). Result is unsigned. */
  zext(w: number): Expr {
    if (!this.checkTarget(w, 'zext', true)) return Expr.zero(isIntWidth(w) ? w : 1, false, this.mod);
    if (w === this.width) return this.asUnsigned();
    return cat(litIn(0, w - this.width, false, this.mod, 'zext'), this);
  }
  /** Sign-extend to w bits (w >= width), copying the top bit. Keeps signedness. */
  sext(w: number): Expr {
    if (!this.checkTarget(w, 'sext', true)) return Expr.zero(isIntWidth(w) ? w : 1, this.signed, this.mod);
    if (w === this.width) return this;
    const n = this.node;
    if (n.k === 'lit') {
      const neg = (n.value >> BigInt(this.width - 1)) & 1n;
      const v = neg ? n.value | (mask(w) ^ mask(this.width)) : n.value;
      return new Expr(w, this.signed, { k: 'lit', value: v }, this.mod);
    }
    return new Expr(w, this.signed, { k: 'sext', a: this }, this.mod);
  }
  /** Keep the low w bits (w <= width). Keeps signedness (the new top bit becomes the sign). */
  trunc(w: number): Expr {
    if (!this.checkTarget(w, 'trunc', false)) return Expr.zero(isIntWidth(w) ? w : 1, this.signed, this.mod);
    if (w === this.width) return this;
    const s = this.slice(w - 1, 0);
    return this.signed ? s.asSigned() : s;
  }
  /** To exactly w bits: sign-aware extension (sext if signed, zext if not) or truncation. */
  resize(w: number): Expr {
    if (!isIntWidth(w)) return this.fail(BadWidthError, { signal: this.label(), detail: `resize(${w}): width must be an integer in [1, ${MAX_WIDTH}]`, fix: 'pass an integer width' }, 1, this.signed);
    if (w === this.width) return this;
    if (w < this.width) return this.trunc(w);
    return this.signed ? this.sext(w) : this.zext(w);
  }
  /** Same bits, read as two's complement. */
  asSigned(): Expr {
    if (this.signed) return this;
    if (this.node.k === 'lit') return new Expr(this.width, true, this.node, this.mod);
    return new Expr(this.width, true, { k: 'cast', a: this }, this.mod);
  }
  /** Same bits, read as unsigned. */
  asUnsigned(): Expr {
    if (!this.signed) return this;
    if (this.node.k === 'lit') return new Expr(this.width, false, this.node, this.mod);
    return new Expr(this.width, false, { k: 'cast', a: this }, this.mod);
  }

  // ---- shifts by constants -----------------------------------------------------------
  /** Multiply by 2^n: width grows by n, no bits lost. */
  shl(n: number): Expr {
    if (!Number.isInteger(n) || n < 0 || !isIntWidth(this.width + n)) return this.fail(BadWidthError, { signal: this.label(), detail: `shl(${n}): shift must be a non-negative integer`, fix: 'pass a constant shift amount' }, this.width, this.signed);
    if (n === 0) return this;
    const c = cat(this, litIn(0, n, false, this.mod, 'shl'));
    return this.signed ? c.asSigned() : c;
  }
  /** Floor-divide by 2^n (arithmetic for signed values): drops the n low bits, width shrinks by n. */
  shr(n: number): Expr {
    if (!Number.isInteger(n) || n < 0 || n >= this.width) {
      return this.fail(BadWidthError, { signal: this.label(), detail: `shr(${n}) of ${aWidth(this.width)} ${describe(this)} value would leave ${this.width - n} bits`, fix: `shift by at most ${this.width - 1}` }, 1, this.signed);
    }
    if (n === 0) return this;
    const s = this.slice(this.width - 1, n);
    return this.signed ? s.asSigned() : s;
  }
  /** Divide by 2^n rounding half up (adds 2^(n-1) first): width - n + 1 bits, never overflows. */
  shrRound(n: number): Expr {
    if (!Number.isInteger(n) || n < 1 || n >= this.width) {
      return this.fail(BadWidthError, { signal: this.label(), detail: `shrRound(${n}) of ${aWidth(this.width)} ${describe(this)} value: need 1 <= n < ${this.width}`, fix: `shift by 1..${this.width - 1}` }, 1, this.signed);
    }
    const half = litIn(1n << BigInt(n - 1), this.width, this.signed, this.mod, 'shrRound');
    return this.add(half).shr(n);
  }
  private varShift(op: '<<' | '>>', amt: Expr, name: string): Expr {
    const { mod, ok } = this.join(amt, name);
    if (!ok) return Expr.zero(this.width, this.signed, mod);
    if (amt.signed) {
      return this.fail(SignMismatchError, { signal: amt.label(), detail: `${name}: shift amount '${amt.label()}' is signed`, fix: 'shift amounts are unsigned: use .asUnsigned() (or clamp negative values first)' }, this.width, this.signed, mod);
    }
    if (amt.width > 16) {
      return this.fail(BadWidthError, { signal: amt.label(), detail: `${name}: shift amount is ${amt.width} bits wide (at most 16)`, fix: `truncate it: .trunc(${Math.max(1, Math.ceil(Math.log2(this.width + 1)))})` }, this.width, this.signed, mod);
    }
    const k = op === '>>' && this.signed ? '>>>' : op;
    return new Expr(this.width, this.signed, { k: 'shift', op: k, a: this, amt }, mod);
  }
  /** Shift left by a variable (unsigned) amount; same width, bits shifted out are lost. */
  shlVar(amt: Expr): Expr {
    return this.varShift('<<', amt, 'shlVar');
  }
  /** Shift right by a variable (unsigned) amount; same width; arithmetic (sign-filling) for signed values. */
  shrVar(amt: Expr): Expr {
    return this.varShift('>>', amt, 'shrVar');
  }
  /** Clamp a value into `w` bits of the same signedness (saturating narrow). */
  saturate(w: number): Expr {
    if (!this.checkTarget(w, 'saturate', false)) return Expr.zero(isIntWidth(w) ? w : 1, this.signed, this.mod);
    if (w === this.width) return this;
    const hi = this.signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
    const lo = this.signed ? -(1n << BigInt(w - 1)) : 0n;
    const top = litIn(hi, w, this.signed, this.mod, 'saturate');
    const low = litIn(lo, w, this.signed, this.mod, 'saturate');
    const over = this.gt(litIn(hi, this.width, this.signed, this.mod, 'saturate'));
    if (!this.signed) return mux(over, top, this.trunc(w));
    const under = this.lt(litIn(lo, this.width, this.signed, this.mod, 'saturate'));
    return mux(over, top, mux(under, low, this.trunc(w)));
  }

  /** A short TypeScript-like rendering for messages, e.g. `(sum + a)` or `x[3:0]`. */
  label(): string {
    const r = render(this, 3);
    return r.length > 60 ? r.slice(0, 57) + '...' : r;
  }
}

const OPS: Record<string, string> = { '+': '+', '-': '-', '*': '*', '&': '&', '|': '|', '^': '^', '==': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function render(e: Expr, depth: number): string {
  const n = e.node;
  if (n.k === 'ref') return n.sig.name;
  if (n.k === 'lit') return e.signed && (n.value >> BigInt(e.width - 1)) & 1n ? `${n.value - (1n << BigInt(e.width))}` : `${n.value}`;
  if (depth === 0) return '...';
  const r = (x: Expr) => render(x, depth - 1);
  switch (n.k) {
    case 'bin':
    case 'cmp':
      return `(${r(n.a)} ${OPS[n.op]} ${r(n.b)})`;
    case 'slice':
      return n.hi === n.lo ? `${r(n.a)}[${n.hi}]` : `${r(n.a)}[${n.hi}:${n.lo}]`;
    case 'not':
      return `~${r(n.a)}`;
    case 'neg':
      return `-${r(n.a)}`;
    case 'red':
      return `${n.op}${r(n.a)}`;
    case 'cat':
      // Zero-extension is cat(0, x): show the operand the user wrote.
      if (n.parts.length === 2 && n.parts[0].node.k === 'lit' && n.parts[0].node.value === 0n) return render(n.parts[1], depth);
      return `cat(${n.parts.map(r).join(', ')})`;
    case 'rep':
      return `rep(${r(n.a)}, ${n.n})`;
    case 'sext':
      return render(n.a, depth);
    case 'mux':
      return `mux(${r(n.sel)}, ${r(n.a)}, ${r(n.b)})`;
    case 'cast':
      return `${r(n.a)}.${e.signed ? 'asSigned' : 'asUnsigned'}()`;
    case 'memrd':
      return `${n.mem.name}[${r(n.addr)}]`;
    case 'shift':
      return `(${r(n.a)} ${n.op} ${r(n.amt)})`;
  }
}

/** true/false if `a op b` cannot depend on the non-literal operand (one side is the range end), else undefined. */
function constantCompare(op: CmpOp, a: Expr, b: Expr): boolean | undefined {
  if (op === '==' || op === '!=' || (a.node.k === 'lit') === (b.node.k === 'lit')) return undefined;
  const w = a.width;
  const min = a.signed ? -(1n << BigInt(w - 1)) : 0n;
  const max = a.signed ? (1n << BigInt(w - 1)) - 1n : (1n << BigInt(w)) - 1n;
  const litSide = a.node.k === 'lit' ? a : b;
  const bits = (litSide.node as { value: bigint }).value;
  const v = a.signed && (bits >> BigInt(w - 1)) & 1n ? bits - (1n << BigInt(w)) : bits;
  // Normalise to `x op v` with the literal on the right.
  const flip: Record<string, CmpOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  const o = litSide === a ? flip[op] : op;
  if (o === '>=' && v === min) return true;
  if (o === '<' && v === min) return false;
  if (o === '<=' && v === max) return true;
  if (o === '>' && v === max) return false;
  return undefined;
}

/** A named value: a port, wire, register, instance output or memory read register. */
export class Signal extends Expr {
  declare readonly mod: Module;
  /** Register reset value (bit pattern); null = register without reset. Unused for other kinds. */
  readonly reset: bigint | null;
  constructor(
    readonly name: string,
    width: number,
    signed: boolean,
    readonly kind: SignalKind,
    mod: Module,
    readonly loc: Loc,
    opts: { reset?: bigint | null; doc?: string } = {},
  ) {
    super(width, signed, { k: 'ref', sig: undefined as unknown as Signal }, mod);
    (this.node as { sig: Signal }).sig = this;
    this.reset = opts.reset ?? null;
    this.doc = opts.doc;
  }
  readonly doc: string | undefined;
  /** Drive this wire/output/register: `value` must have exactly this width and signedness. */
  set(value: Operand): void {
    this.mod.assign(this, value);
  }
  override toString(): string {
    return `${this.kind} '${this.name}' (${describe(this)})`;
  }
}

// ---- free-standing constructors ------------------------------------------------------

function fits(v: bigint, w: number, signed: boolean): boolean {
  return signed ? v >= -(1n << BigInt(w - 1)) && v < 1n << BigInt(w - 1) : v >= 0n && v < 1n << BigInt(w);
}

function minWidth(v: bigint, signed: boolean): number {
  if (!signed && v < 0n) return minWidth(v, true);
  let w = 1;
  while (!fits(v, w, signed)) w++;
  return w;
}

/** A literal of `width` bits in module `mod` (a number operand next to an expression). */
export function litIn(value: number | bigint, width: number, signed: boolean, mod: Module | undefined, what: string): Expr {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    const err = new LiteralOverflowError({ path: mod?.name ?? '(no module)', detail: `${what}: literal ${value} is not a safe integer`, refs: [{ what: 'built', at: captureLoc() }], fix: 'pass an integer (use a bigint for values above 2^53)' });
    if (!mod) throw err;
    mod.report(err);
    return Expr.zero(width, signed, mod);
  }
  const v = BigInt(value);
  if (!isIntWidth(width)) {
    const err = new BadWidthError({ path: mod?.name ?? '(no module)', detail: `${what}: literal width ${width} is not an integer in [1, ${MAX_WIDTH}]`, refs: [{ what: 'built', at: captureLoc() }], fix: 'pass an integer width' });
    if (!mod) throw err;
    mod.report(err);
    return Expr.zero(1, signed, mod);
  }
  if (!fits(v, width, signed)) {
    const need = minWidth(v, signed);
    const err = new LiteralOverflowError({
      path: mod?.name ?? '(no module)',
      detail: `${what}: literal ${v} does not fit in ${width}-bit ${signed ? 'signed' : 'unsigned'}${!signed && v < 0n ? ' (negative value in an unsigned context)' : ''}`,
      refs: [{ what: 'built', at: captureLoc() }],
      fix: !signed && v < 0n ? 'use a signed operand (.asSigned()) or a non-negative literal' : `the value needs ${need} bits: widen the other operand (.zext(${need})/.sext(${need})) or use lit(${v}, ${need})`,
    });
    if (!mod) throw err;
    mod.report(err);
    return Expr.zero(width, signed, mod);
  }
  return new Expr(width, signed, { k: 'lit', value: v & mask(width) }, mod);
}

/** A literal with an explicit width: lit(5, 8) is 8'd5; lit(-3, 4, { signed: true }) is 4'sb1101. */
export function lit(value: number | bigint, width: number, opts: { signed?: boolean } = {}): Expr {
  return litIn(value, width, opts.signed ?? false, undefined, 'lit');
}

function commonModule(parts: Expr[], what: string): Module | undefined {
  let mod: Module | undefined;
  for (const p of parts) {
    if (!p.mod) continue;
    if (!mod) mod = p.mod;
    else if (p.mod !== mod) {
      mod.report(new CrossModuleError({ path: mod.name, detail: `${what} mixes values of modules '${mod.name}' and '${p.mod.name}'`, refs: [{ what: 'built', at: captureLoc() }], fix: `pass the value through a port of '${mod.name}'` }));
    }
  }
  return mod;
}

/** Concatenation, most significant part first (like Verilog {a, b}). Unsigned result. */
export function cat(...parts: Expr[]): Expr {
  if (parts.length === 0) throw new BadWidthError({ path: '(no module)', detail: 'cat() needs at least one part', refs: [{ what: 'built', at: captureLoc() }], fix: 'pass one or more expressions' });
  const mod = commonModule(parts, 'cat');
  if (parts.length === 1) return parts[0].asUnsigned();
  const w = parts.reduce((s, p) => s + p.width, 0);
  if (!isIntWidth(w)) {
    const err = new BadWidthError({ path: mod?.name ?? '(no module)', detail: `cat(): total width ${w} exceeds ${MAX_WIDTH}`, refs: [{ what: 'built', at: captureLoc() }], fix: 'split the value' });
    if (!mod) throw err;
    mod.report(err);
    for (const p of parts) if (p.mod === mod) mod.noteRead(p);
    return Expr.zero(1, false, mod);
  }
  if (parts.every((p) => p.node.k === 'lit')) {
    let v = 0n;
    for (const p of parts) v = (v << BigInt(p.width)) | (p.node as { value: bigint }).value;
    return new Expr(w, false, { k: 'lit', value: v }, mod);
  }
  return new Expr(w, false, { k: 'cat', parts }, mod);
}

/** n copies of e side by side (Verilog {n{e}}). Unsigned result. */
export function rep(e: Expr, n: number): Expr {
  if (!Number.isInteger(n) || n < 1 || !isIntWidth(e.width * n)) {
    const err = new BadWidthError({ path: e.mod?.name ?? '(no module)', detail: `rep(${e.label()}, ${n}): count must be a positive integer with total width <= ${MAX_WIDTH}`, refs: [{ what: 'built', at: captureLoc() }], fix: 'pass a positive integer count' });
    if (!e.mod) throw err;
    e.mod.report(err);
    e.mod.noteRead(e);
    return Expr.zero(e.width, false, e.mod);
  }
  if (n === 1) return e.asUnsigned();
  return new Expr(e.width * n, false, { k: 'rep', a: e, n }, e.mod);
}

function checkCond(sel: Expr, what: string): boolean {
  if (sel.width === 1) return true;
  const err = new CondWidthError({
    path: sel.mod?.name ?? '(no module)',
    signal: sel.label(),
    detail: `${what} condition is ${sel.width} bits wide; a condition must be 1 bit`,
    refs: [{ what: 'condition used', at: captureLoc() }],
    fix: `compare explicitly (.ne(0), .eq(k)) or reduce (.orR()) to get 1 bit`,
  });
  if (!sel.mod) throw err;
  sel.mod.report(err);
  return false;
}

/** sel ? ifTrue : ifFalse. Both arms must have the same width and signedness (numbers adapt). */
export function mux(sel: Expr, ifTrue: Operand, ifFalse: Operand): Expr {
  let a: Expr;
  let b: Expr;
  if (ifTrue instanceof Expr) {
    a = ifTrue;
    b = ifFalse instanceof Expr ? ifFalse : litIn(ifFalse, a.width, a.signed, a.mod ?? sel.mod, 'mux');
  } else if (ifFalse instanceof Expr) {
    b = ifFalse;
    a = litIn(ifTrue, b.width, b.signed, b.mod ?? sel.mod, 'mux');
  } else {
    throw new BadWidthError({ path: sel.mod?.name ?? '(no module)', detail: 'mux(): both arms are plain numbers, so the width is unknown', refs: [{ what: 'built', at: captureLoc() }], fix: 'make one arm a lit(value, width)' });
  }
  const mod = commonModule([sel, a, b], 'mux');
  const okCond = checkCond(sel, 'mux');
  if (a.width !== b.width || a.signed !== b.signed) {
    const err = new (a.signed !== b.signed ? SignMismatchError : WidthMismatchError)({
      path: mod?.name ?? '(no module)',
      detail: `mux arms differ: true arm is ${describe(a)} ('${a.label()}'), false arm is ${describe(b)} ('${b.label()}')`,
      refs: [{ what: 'mux built', at: captureLoc() }],
      fix: a.signed !== b.signed ? 'convert one arm with .asSigned()/.asUnsigned()' : `resize the ${a.width < b.width ? 'true' : 'false'} arm to ${Math.max(a.width, b.width)} bits (.${(a.width < b.width ? a : b).signed ? 'sext' : 'zext'}(${Math.max(a.width, b.width)}))`,
    });
    if (!mod) throw err;
    mod.report(err);
    for (const x of [sel, a, b]) if (x.mod === mod) mod.noteRead(x);
    return Expr.zero(Math.max(a.width, b.width), a.signed, mod);
  }
  if (!okCond) {
    for (const x of [sel, a, b]) if (x.mod === mod) mod?.noteRead(x);
    return Expr.zero(a.width, a.signed, mod);
  }
  return new Expr(a.width, a.signed, { k: 'mux', sel, a, b }, mod);
}

/**
 * n-way select: values[idx], or `dflt` when idx >= values.length. Without a default,
 * values must cover every idx value (length 2^width(idx)). All values share width and sign.
 */
export function select(idx: Expr, values: Operand[], dflt?: Operand): Expr {
  const full = 2 ** Math.min(idx.width, 30);
  if (values.length === 0 || values.length > full || (dflt === undefined && values.length < full)) {
    const err = new BadWidthError({
      path: idx.mod?.name ?? '(no module)',
      signal: idx.label(),
      detail: `select over ${aWidth(idx.width)} ${idx.width}-bit index with ${values.length} values${dflt === undefined ? ' and no default' : ''}: ${values.length > full ? 'more values than index codes' : `codes ${values.length}..${full - 1} would have no value`}`,
      refs: [{ what: 'select built', at: captureLoc() }],
      fix: values.length > full ? `widen the index to ${Math.ceil(Math.log2(values.length))} bits` : 'pass a default value as the third argument',
    });
    if (!idx.mod) throw err;
    idx.mod.report(err);
  }
  const shape = [...values, ...(dflt === undefined ? [] : [dflt])].find((v): v is Expr => v instanceof Expr);
  if (!shape) throw new BadWidthError({ path: idx.mod?.name ?? '(no module)', detail: 'select(): all values are plain numbers, so the width is unknown', refs: [{ what: 'built', at: captureLoc() }], fix: 'make one value a lit(value, width)' });
  const asExpr = (v: Operand) => (v instanceof Expr ? v : litIn(v, shape.width, shape.signed, shape.mod ?? idx.mod, 'select'));
  const n = Math.min(values.length, full);
  let acc = dflt === undefined ? asExpr(values[n - 1]) : asExpr(dflt);
  for (let i = (dflt === undefined ? n - 2 : n - 1); i >= 0; i--) acc = mux(idx.eq(i), asExpr(values[i]), acc);
  return acc;
}

/** Record "cannot assign" errors (kept here so assignment checks live with the types). */
export function assignError(mod: Module, target: Signal, detail: string, fix: string, extraRefs: { what: string; at: string | Loc }[] = []): HdlError {
  return new NotAssignableError({ path: mod.name, signal: target.name, detail, refs: [{ what: `${target.kind} '${target.name}' declared`, at: target.loc }, ...extraRefs], fix });
}

export { describe as describeShape, fits as fitsIn };
