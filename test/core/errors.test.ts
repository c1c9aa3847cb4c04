// Each bad description is rejected with a stable code, the module path, the signal, the
// user's file:line and a fix. Messages are compared in full (line numbers come from the
// `// @tag` markers in this file, so editing the file does not break the tests).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '../../generators/core/index.ts';
import {
  ElaborationErrors,
  HdlError,
  Module,
  cat,
  defineParams,
  elaborate,
  int,
  lit,
  mux,
  oneOf,
  pow2,
  select,
} from '../../generators/core/index.ts';
import { driveBus } from './lib-helper.ts';

const FILE = fileURLToPath(import.meta.url);
const SRC = readFileSync(FILE, 'utf8').split('\n');
const REL = relative(process.cwd(), FILE);
/** `file:line` of the line carrying the marker `// @tag`. */
function at(tag: string): string {
  const i = SRC.findIndex((l) => l.trimEnd().endsWith(`// @${tag}`));
  if (i < 0) throw new Error(`no marker @${tag}`);
  return `${REL}:${i + 1}`;
}

function fails(fn: () => unknown): HdlError | ElaborationErrors {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof HdlError || e instanceof ElaborationErrors, `not a design error: ${(e as Error).stack}`);
    assert.equal(e.exitCode, 2);
    // User-facing: no raw stack frames in the message.
    assert.doesNotMatch(e.message, /\n\s+at .*\(.*:\d+:\d+\)/);
    return e;
  }
  assert.fail('expected a design error, got none');
}

function expectError(fn: () => unknown, code: string, lines: string[]): HdlError {
  const e = fails(fn);
  assert.equal(e.code, code, e.message);
  assert.equal(e.message, lines.join('\n'));
  return e as HdlError;
}

/** A 1-input 1-output pass-through child, for instance tests. */
function child(width = 8): Module {
  const c = new Module('child'); // @child
  c.output('o', width).set(c.input('d', width)); // @childports
  return c;
}

describe('core: design errors', () => {
  it('E_WIDTH_MISMATCH: assignment of a wider value names both widths and both places', () => {
    expectError(() => {
      const m = new Module('acc8');
      const a = m.input('a', 8);
      const sum = m.reg('sum', 8, { reset: 0 }); // @w1decl
      sum.set(sum.add(a)); // @w1set
      m.output('y', 8).set(sum);
      return elaborate(m);
    }, 'E_WIDTH_MISMATCH', [
      `E_WIDTH_MISMATCH in acc8 (sum): cannot assign a 9-bit unsigned value ('(sum + a)') to 8-bit unsigned reg 'sum'`,
      `    reg 'sum' declared at ${at('w1decl')}`,
      `    value assigned at ${at('w1set')}`,
      `    fix: truncate the value with .trunc(8) (drops its top 1 bits), or declare 'sum' 9 bits wide`,
    ]);
  });

  it('E_WIDTH_MISMATCH: narrower signed value suggests .sext', () => {
    expectError(() => {
      const m = new Module('ext');
      const a = m.input('a', 8, { signed: true });
      const y = m.output('y', 12, { signed: true }); // @w2decl
      y.set(a); // @w2set
      return elaborate(m);
    }, 'E_WIDTH_MISMATCH', [
      `E_WIDTH_MISMATCH in ext (y): cannot assign an 8-bit signed value ('a') to 12-bit signed output 'y'`,
      `    output 'y' declared at ${at('w2decl')}`,
      `    value assigned at ${at('w2set')}`,
      `    fix: extend the value with .sext(12), or declare 'y' 8 bits wide`,
    ]);
  });

  it('E_WIDTH_MISMATCH: port connection reports both widths and both places', () => {
    expectError(() => {
      const c = child();
      const m = new Module('par');
      const x = m.input('x', 6);
      const u = m.instantiate('u_c', c, { d: x }); // @w3conn
      m.output('y', 8).set(u.out('o'));
      return elaborate(m);
    }, 'E_WIDTH_MISMATCH', [
      `E_WIDTH_MISMATCH in par (d): port 'd' of instance 'u_c' is 8 bits wide but is connected to a 6-bit value`,
      `    input 'd' (8-bit unsigned) declared in 'child' at ${at('childports')}`,
      `    connected to 'x' (6-bit unsigned) at ${at('w3conn')}`,
      `    fix: extend the value with .zext(8)`,
    ]);
  });

  it('E_WIDTH_MISMATCH: mux arms of different widths', () => {
    expectError(() => {
      const m = new Module('mx');
      const s = m.input('s', 1);
      const a = m.input('a', 4);
      const b = m.input('b', 6);
      m.output('y', 6).set(mux(s, a, b)); // @w4
      return elaborate(m);
    }, 'E_WIDTH_MISMATCH', [
      `E_WIDTH_MISMATCH in mx: mux arms differ: true arm is 4-bit unsigned ('a'), false arm is 6-bit unsigned ('b')`,
      `    mux built at ${at('w4')}`,
      `    fix: resize the true arm to 6 bits (.zext(6))`,
    ]);
  });

  it('E_WIDTH_MISMATCH: memory address of the wrong width', () => {
    expectError(() => {
      const m = new Module('ram');
      const addr = m.input('addr', 5);
      const d = m.input('d', 8);
      const mem = m.memory('store', { depth: 64, width: 8 }); // @w5mem
      mem.write(addr, d); // @w5wr
      m.output('q', 8).set(mem.readSync(addr.zext(6)));
      return elaborate(m);
    }, 'E_WIDTH_MISMATCH', [
      `E_WIDTH_MISMATCH in ram (store): write address of memory 'store' (depth 64) must be 6-bit unsigned; got 5-bit unsigned 'addr'`,
      `    memory declared at ${at('w5mem')}`,
      `    write port built at ${at('w5wr')}`,
      `    fix: use .zext(6)`,
    ]);
  });

  it('E_SIGN_MISMATCH: signed value into an unsigned output', () => {
    expectError(() => {
      const m = new Module('sg');
      const a = m.input('a', 8, { signed: true });
      const y = m.output('y', 8); // @s1decl
      y.set(a); // @s1set
      return elaborate(m);
    }, 'E_SIGN_MISMATCH', [
      `E_SIGN_MISMATCH in sg (y): cannot assign an 8-bit signed value ('a') to 8-bit unsigned output 'y'`,
      `    output 'y' declared at ${at('s1decl')}`,
      `    value assigned at ${at('s1set')}`,
      `    fix: convert with .asUnsigned() (same bits), or declare 'y' signed`,
    ]);
  });

  it('E_SIGN_MISMATCH: arithmetic mixing signed and unsigned', () => {
    expectError(() => {
      const m = new Module('mix');
      const a = m.input('a', 8, { signed: true });
      const b = m.input('b', 8);
      m.output('y', 9, { signed: true }).set(a.add(b)); // @s2
      return elaborate(m);
    }, 'E_SIGN_MISMATCH', [
      `E_SIGN_MISMATCH in mix: add of 8-bit signed and 8-bit unsigned: the left operand is signed, the right is not`,
      `    built at ${at('s2')}`,
      `    fix: make both the same: .asSigned() on the right operand (after .zext(w+1) if its top bit may be set), or .asUnsigned() on the left one`,
    ]);
  });

  it('E_UNDRIVEN_OUTPUT', () => {
    expectError(() => {
      const m = new Module('und');
      m.output('y', 4); // @u1
      return elaborate(m);
    }, 'E_UNDRIVEN_OUTPUT', [
      `E_UNDRIVEN_OUTPUT in und (y): output 'y' (4 bits) is never driven`,
      `    declared at ${at('u1')}`,
      `    fix: drive it: y.set(value), or connect it to an instance output`,
    ]);
  });

  it('E_UNDRIVEN_WIRE, reported at the hierarchical path of the instance', () => {
    expectError(() => {
      const c = new Module('leaf');
      const w = c.wire('tmp', 3); // @u2
      c.output('o', 3).set(w);
      const mid = new Module('mid');
      mid.output('o', 3).set(mid.instantiate('u_leaf', c).out('o'));
      const top = new Module('screen_top');
      top.output('o', 3).set(top.instantiate('u_mid', mid).out('o'));
      return elaborate(top);
    }, 'E_UNDRIVEN_WIRE', [
      `E_UNDRIVEN_WIRE in screen_top.u_mid.u_leaf (tmp): wire 'tmp' (3 bits) is never driven`,
      `    declared at ${at('u2')}`,
      `    fix: drive it with tmp.set(value), or remove it`,
    ]);
  });

  it('E_UNDRIVEN_REG: a register that is never assigned', () => {
    expectError(() => {
      const m = new Module('ur');
      const r = m.reg('state', 2, { reset: 1 }); // @u3
      m.output('y', 2).set(r);
      return elaborate(m);
    }, 'E_UNDRIVEN_REG', [
      `E_UNDRIVEN_REG in ur (state): reg 'state' is never assigned (it would hold its reset value 1 forever)`,
      `    declared at ${at('u3')}`,
      `    fix: assign its next value with state.set(...), or use a constant instead`,
    ]);
  });

  it('E_MULTIPLE_DRIVERS: two unconditional assignments', () => {
    expectError(() => {
      const m = new Module('md');
      const a = m.input('a', 1);
      const y = m.output('y', 1);
      y.set(a); // @m1a
      y.set(a.not()); // @m1b
      return elaborate(m);
    }, 'E_MULTIPLE_DRIVERS', [
      `E_MULTIPLE_DRIVERS in md (y): 'y' is assigned unconditionally twice; the first assignment would be dead`,
      `    first assigned at ${at('m1a')}`,
      `    assigned again at ${at('m1b')}`,
      `    fix: keep one unconditional assignment (a default) and put overrides inside m.when(...)`,
    ]);
  });

  it('E_MULTIPLE_DRIVERS: a wire driven by an instance output and by an assignment', () => {
    expectError(() => {
      const c = child(4);
      const m = new Module('md2');
      const x = m.input('x', 4);
      const w = m.wire('w', 4);
      m.instantiate('u_c', c, { d: x, o: w }); // @m2inst
      w.set(x); // @m2set
      m.output('y', 4).set(w);
      return elaborate(m);
    }, 'E_MULTIPLE_DRIVERS', [
      `E_MULTIPLE_DRIVERS in md2 (w): wire 'w' has 2 drivers`,
      `    driven by output 'o' of instance 'u_c' at ${at('m2inst')}`,
      `    also assigned at ${at('m2set')}`,
      `    fix: keep one driver; combine values explicitly with mux()`,
    ]);
  });

  it('E_UNCONNECTED_INPUT names the instance and where the port was declared', () => {
    expectError(() => {
      const c = child(2);
      const m = new Module('uc');
      const u = m.instantiate('u_c', c); // @c1
      m.output('y', 2).set(u.out('o'));
      return elaborate(m);
    }, 'E_UNCONNECTED_INPUT', [
      `E_UNCONNECTED_INPUT in uc (u_c.d): input 'd' (2 bits) of instance 'u_c' (module 'child') is not connected`,
      `    instantiated at ${at('c1')}`,
      `    input 'd' declared at ${at('childports')}`,
      `    fix: connect it: m.instantiate('u_c', child, { d: value }) or u_c.connect('d', value)`,
    ]);
  });

  it('E_UNKNOWN_PORT suggests the closest port name', () => {
    const e = fails(() => {
      const c = child();
      const m = new Module('up');
      const x = m.input('x', 8);
      const u = m.instantiate('u_c', c, { dd: x }); // @p1
      m.output('y', 8).set(u.out('o'));
      return elaborate(m);
    }) as ElaborationErrors;
    assert.deepEqual(e.codes, ['E_UNCONNECTED_INPUT', 'E_UNKNOWN_PORT']);
    assert.equal(e.errors[0].message, [
      `E_UNKNOWN_PORT in up (dd): module 'child' (instance 'u_c') has no port 'dd'`,
      `    connected at ${at('p1')}`,
      `    module 'child' built at ${at('child')}`,
      `    fix: did you mean 'd'? ports: o, d`,
    ].join('\n'));
  });

  it('E_DUPLICATE_NAME: two signals with one name', () => {
    expectError(() => {
      const m = new Module('dup');
      const a = m.input('a', 1); // @d1a
      m.output('y', 1).set(a);
      m.wire('a', 1); // @d1b
      return elaborate(m);
    }, 'E_DUPLICATE_NAME', [
      `E_DUPLICATE_NAME in dup (a): wire 'a' is already declared as input`,
      `    first declared at ${at('d1a')}`,
      `    declared again at ${at('d1b')}`,
      `    fix: give the wire a different name`,
    ]);
  });

  it('E_DUPLICATE_NAME: a port named like the implicit clock', () => {
    expectError(() => {
      const m = new Module('clkname');
      const c = m.input('clk', 1); // @d2
      m.output('y', 1).set(c);
      return elaborate(m);
    }, 'E_DUPLICATE_NAME', [
      `E_DUPLICATE_NAME in clkname (clk): input 'clk' clashes with the implicit clock port 'clk'`,
      `    declared at ${at('d2')}`,
      `    fix: rename it; clk and rst_n are added and connected automatically`,
    ]);
  });

  it('E_KEYWORD_CLASH: Verilog-2005 and SystemVerilog keywords, both reported', () => {
    const e = fails(() => {
      const m = new Module('kw');
      const a = m.input('begin', 1); // @k1
      m.output('logic', 1).set(a); // @k2
      return elaborate(m);
    }) as ElaborationErrors;
    assert.deepEqual(e.errors.map((x) => x.message), [
      [`E_KEYWORD_CLASH in kw (begin): input 'begin' is a Verilog-2005 keyword`, `    declared at ${at('k1')}`, `    fix: rename it, e.g. 'begin_i' or 'begin_q'`].join('\n'),
      [`E_KEYWORD_CLASH in kw (logic): output 'logic' is a SystemVerilog keyword`, `    declared at ${at('k2')}`, `    fix: rename it, e.g. 'logic_i' or 'logic_q'`].join('\n'),
    ]);
    assert.match(e.message, /^2 design errors in 'kw':\n\nE_KEYWORD_CLASH/);
  });

  it('E_BAD_NAME: not a Verilog identifier', () => {
    expectError(() => {
      const m = new Module('bn');
      const a = m.input('data-in', 1); // @n1
      m.output('y', 1).set(a);
      return elaborate(m);
    }, 'E_BAD_NAME', [
      `E_BAD_NAME in bn (data-in): input 'data-in' is not a legal Verilog identifier`,
      `    declared at ${at('n1')}`,
      `    fix: use letters, digits and '_', starting with a letter or '_'`,
    ]);
  });

  it('E_COMB_LOOP reports the loop path', () => {
    expectError(() => {
      const m = new Module('loop');
      const i = m.input('i', 1);
      const a = m.wire('a', 1); // @l1a
      const b = m.wire('b', 1); // @l1b
      a.set(b.and(i));
      b.set(a.not());
      m.output('y', 1).set(b);
      return elaborate(m);
    }, 'E_COMB_LOOP', [
      `E_COMB_LOOP in loop (a): combinational loop: b -> a -> b`,
      `    'a' declared at ${at('l1a')}`,
      `    'b' declared at ${at('l1b')}`,
      `    fix: break the loop with a register (m.reg) or remove the dependency`,
    ]);
  });

  it('E_COMB_LOOP through a submodule uses the child\'s combinational paths', () => {
    expectError(() => {
      const c = child(4);
      const m = new Module('top');
      const w = m.wire('w', 4); // @l2w
      const u = m.instantiate('u_p', c, { d: w });
      w.set(u.out('o').not()); // @l2o
      m.output('y', 4).set(w);
      return elaborate(m);
    }, 'E_COMB_LOOP', [
      `E_COMB_LOOP in top (w): combinational loop: u_p_o -> w -> u_p_o (through u_p.d -> u_p.o)`,
      `    'w' declared at ${at('l2w')}`,
      `    'u_p_o' created at ${at('l2o')}`,
      `    fix: break the loop with a register (m.reg) or remove the dependency`,
    ]);
  });

  it('E_COMB_LOOP: a wire that reads itself under a condition', () => {
    expectError(() => {
      const m = new Module('selfloop');
      const c = m.input('c', 1);
      const t = m.wire('t', 8); // @l3
      t.set(0);
      m.when(c, () => t.set(t.add(1, 8)));
      m.output('y', 8).set(t);
      return elaborate(m);
    }, 'E_COMB_LOOP', [
      `E_COMB_LOOP in selfloop (t): combinational loop: t -> t`,
      `    't' declared at ${at('l3')}`,
      `    fix: break the loop with a register (m.reg) or remove the dependency`,
    ]);
  });

  it('no E_COMB_LOOP when a register breaks the path', () => {
    const m = new Module('regloop');
    const i = m.input('i', 1);
    const r = m.reg('r', 1, { reset: 0 });
    const a = m.wire('a', r.xor(i));
    r.set(a);
    m.output('y', 1).set(a);
    assert.equal(elaborate(m).top.name, 'regloop');
  });

  it('E_LATCH: combinational output assigned under a condition only', () => {
    expectError(() => {
      const m = new Module('lt');
      const e = m.input('e', 1);
      const y = m.output('y', 2); // @t1decl
      m.when(e, () => y.set(1)); // @t1set
      return elaborate(m);
    }, 'E_LATCH', [
      `E_LATCH in lt (y): output 'y' is assigned only under some conditions and has no default: it would infer a latch`,
      `    declared at ${at('t1decl')}`,
      `    first assigned at ${at('t1set')}`,
      `    fix: assign a default before the when (y.set(0)), or add .otherwise(...) so every path assigns it`,
    ]);
  });

  it('E_INVALID_PARAM lists every violation with name, value and allowed range', () => {
    const P = defineParams('mac_pe', { actBits: int({ min: 2, max: 16 }), lanes: pow2({ min: 1, max: 64 }), mode: oneOf(['a', 'b'] as const), depth: int({ min: 1, max: 8 }) });
    expectError(() => P.validate({ actBits: 40, lanes: 3, mode: 'c', extra: 1 } as never), 'E_INVALID_PARAM', [ // @v1
      `E_INVALID_PARAM in mac_pe: 5 invalid parameters:`,
      `      extra = 1: unknown parameter (known: actBits, lanes, mode, depth)`,
      `      actBits = 40: must be an integer in [2, 16]`,
      `      lanes = 3: must be a power of two in [1, 64]`,
      `      mode = "c": must be one of "a", "b"`,
      `      depth: missing (an integer in [1, 8])`,
      `    validated at ${at('v1')}`,
      `    fix: change the config to satisfy the ranges above`,
    ]);
  });

  it('E_INVALID_PARAM: cross-parameter constraints', () => {
    const P = defineParams('mac_pe', { actBits: int({ min: 2, max: 16, default: 8 }), accBits: int({ min: 4, max: 48 }) }, [
      (p) => (p.accBits >= 2 * p.actBits ? undefined : `accBits = ${p.accBits} must be >= 2 * actBits = ${2 * p.actBits}`),
    ]);
    assert.deepEqual(P.validate({ accBits: 16 }), { actBits: 8, accBits: 16 });
    expectError(() => P.validate({ accBits: 12 }), 'E_INVALID_PARAM', [ // @v2
      `E_INVALID_PARAM in mac_pe: 1 invalid parameter:`,
      `      accBits = 12 must be >= 2 * actBits = 16`,
      `    validated at ${at('v2')}`,
      `    fix: change the config to satisfy the ranges above`,
    ]);
  });

  it('E_INVALID_PARAM: a config that is not an object', () => {
    const P = defineParams('blk', { n: int({ min: 1, max: 4, default: 2 }) });
    expectError(() => P.validate(7 as never), 'E_INVALID_PARAM', [ // @v3
      `E_INVALID_PARAM in blk: the config must be an object of parameters, got number`,
      `    validated at ${at('v3')}`,
      `    fix: pass { n } (missing keys take their defaults)`,
    ]);
  });

  it('E_BAD_SLICE: bits that do not exist', () => {
    expectError(() => {
      const m = new Module('bs');
      const a = m.input('a', 8);
      m.output('y', 4).set(a.slice(9, 6)); // @b1
      m.unused(a, 'test');
      return elaborate(m);
    }, 'E_BAD_SLICE', [
      `E_BAD_SLICE in bs (a): slice [9:6] of an 8-bit unsigned value: bit 9 does not exist (bits are 7..0)`,
      `    built at ${at('b1')}`,
      `    fix: use bits within [7:0], or widen the value first with .zext()/.sext()`,
    ]);
  });

  it('E_BAD_WIDTH: zext to a narrower width', () => {
    expectError(() => {
      const m = new Module('bw');
      const a = m.input('a', 8);
      m.output('y', 4).set(a.zext(4)); // @b2
      return elaborate(m);
    }, 'E_BAD_WIDTH', [
      `E_BAD_WIDTH in bw (a): zext(4) on an 8-bit unsigned value would narrow it`,
      `    built at ${at('b2')}`,
      `    fix: use .trunc(4) to drop the top 4 bits, or .resize(4)`,
    ]);
  });

  it('E_BAD_WIDTH: select without a default that does not cover the index', () => {
    expectError(() => {
      const m = new Module('sel');
      const i = m.input('i', 2);
      m.output('y', 4).set(select(i, [lit(1, 4), lit(2, 4), lit(3, 4)])); // @b3
      return elaborate(m);
    }, 'E_BAD_WIDTH', [
      `E_BAD_WIDTH in sel (i): select over a 2-bit index with 3 values and no default: codes 3..3 would have no value`,
      `    select built at ${at('b3')}`,
      `    fix: pass a default value as the third argument`,
    ]);
  });

  it('E_LITERAL_OVERFLOW: a constant that does not fit the other operand', () => {
    expectError(() => {
      const m = new Module('lo');
      const a = m.input('a', 8);
      m.output('y', 1).set(a.eq(300)); // @o1
      return elaborate(m);
    }, 'E_LITERAL_OVERFLOW', [
      `E_LITERAL_OVERFLOW in lo: eq: literal 300 does not fit in 8-bit unsigned`,
      `    built at ${at('o1')}`,
      `    fix: the value needs 9 bits: widen the other operand (.zext(9)/.sext(9)) or use lit(300, 9)`,
    ]);
  });

  it('E_LITERAL_OVERFLOW: lit() outside any module throws at once', () => {
    expectError(() => lit(-1, 4), 'E_LITERAL_OVERFLOW', [ // @o2
      `E_LITERAL_OVERFLOW in (no module): lit: literal -1 does not fit in 4-bit unsigned (negative value in an unsigned context)`,
      `    built at ${at('o2')}`,
      `    fix: use a signed operand (.asSigned()) or a non-negative literal`,
    ]);
  });

  it('E_CONST_COMPARE: a comparison that cannot change (Verilator would warn)', () => {
    expectError(() => {
      const m = new Module('cc');
      const x = m.input('x', 8);
      m.output('y', 1).set(x.le(255)); // @cc
      return elaborate(m);
    }, 'E_CONST_COMPARE', [
      `E_CONST_COMPARE in cc (x): le: 'x <= 255' is always true for an 8-bit unsigned value`,
      `    built at ${at('cc')}`,
      `    fix: drop the comparison (use lit(1, 1)) or compare against a value inside the range`,
    ]);
  });

  it('E_NOT_ASSIGNABLE: driving an input port', () => {
    expectError(() => {
      const m = new Module('na');
      const a = m.input('a', 1); // @a1decl
      a.set(0); // @a1set
      m.output('y', 1).set(a);
      return elaborate(m);
    }, 'E_NOT_ASSIGNABLE', [
      `E_NOT_ASSIGNABLE in na (a): cannot assign input 'a': an input port is driven by the parent`,
      `    input 'a' declared at ${at('a1decl')}`,
      `    assigned at ${at('a1set')}`,
      `    fix: declare an output or a wire and drive that instead`,
    ]);
  });

  it('E_CROSS_MODULE: reading a signal of another module', () => {
    expectError(() => {
      const other = new Module('other');
      const o = other.input('secret', 1);
      const m = new Module('cm');
      const a = m.input('a', 1);
      m.output('y', 1).set(a.and(o)); // @x1
      return elaborate(m);
    }, 'E_CROSS_MODULE', [
      `E_CROSS_MODULE in cm: and mixes a value of module 'cm' with a value of module 'other'`,
      `    combined at ${at('x1')}`,
      `    fix: pass the value through a port: declare an input on 'cm' and connect it where 'cm' is instantiated`,
    ]);
  });

  it('E_COND_WIDTH: a multi-bit when condition', () => {
    expectError(() => {
      const m = new Module('cw');
      const a = m.input('a', 4);
      const r = m.reg('r', 1, { reset: 0 });
      m.when(a, () => r.set(1)); // @q1
      m.output('y', 1).set(r);
      return elaborate(m);
    }, 'E_COND_WIDTH', [
      `E_COND_WIDTH in cw (a): when condition 'a' is 4 bits wide; a condition must be 1 bit`,
      `    used at ${at('q1')}`,
      `    fix: compare explicitly (.ne(0), .eq(k)) or reduce (.orR()) to get 1 bit`,
    ]);
  });

  it('E_UNUSED: unread bits of an input', () => {
    expectError(() => {
      const m = new Module('un');
      const a = m.input('a', 8); // @z1
      m.output('y', 4).set(a.slice(3, 0));
      return elaborate(m);
    }, 'E_UNUSED', [
      `E_UNUSED in un (a): bits [7:4] of input 'a' (8 bits) are never read`,
      `    declared at ${at('z1')}`,
      `    fix: use those bits, or declare them: m.unused(a.slice(7, 4), 'why')`,
    ]);
  });

  it('E_UNUSED: an instance output nobody reads', () => {
    expectError(() => {
      const c = child(2);
      const m = new Module('uo');
      const x = m.input('x', 2);
      m.instantiate('u_c', c, { d: x }); // @z2
      m.output('y', 2).set(x);
      return elaborate(m);
    }, 'E_UNUSED', [
      `E_UNUSED in uo (u_c.o): output 'o' (2 bits) of instance 'u_c' (module 'child') is never read`,
      `    instantiated at ${at('z2')}`,
      `    output 'o' declared at ${at('childports')}`,
      `    fix: read it with u_c.out('o'), or declare it: u_c.unused('o', 'why')`,
    ]);
  });

  it('E_WHEN_ORDER: elsewhen after otherwise', () => {
    expectError(() => {
      const m = new Module('wo');
      const a = m.input('a', 1);
      const r = m.reg('r', 1, { reset: 0 });
      const chain = m.when(a, () => r.set(1)); // @e1a
      chain.otherwise(() => r.set(0));
      chain.elsewhen(a.not(), () => r.set(1)); // @e1b
      m.output('y', 1).set(r);
      return elaborate(m);
    }, 'E_WHEN_ORDER', [
      `E_WHEN_ORDER in wo: elsewhen after otherwise`,
      `    when started at ${at('e1a')}`,
      `    added at ${at('e1b')}`,
      `    fix: otherwise must be the last branch of a when chain`,
    ]);
  });

  it('E_MODULE_COLLISION: same name and params, different hardware', () => {
    expectError(() => {
      const mk = (w: number) => {
        const c = new Module('pe_cell', { params: { kind: 'x' } }); // @mc
        c.output('o', w).set(c.input('d', w));
        return c;
      };
      const m = new Module('top');
      const a = m.input('a', 4);
      const u1 = m.instantiate('u1', mk(4), { d: a });
      const u2 = m.instantiate('u2', mk(2), { d: a.slice(1, 0) });
      m.output('y', 6).set(cat(u1.out('o'), u2.out('o')));
      return elaborate(m);
    }, 'E_MODULE_COLLISION', [
      `E_MODULE_COLLISION in top.u2 (pe_cell): two 'pe_cell' modules with the same parameters {"kind":"x"} build different hardware`,
      `    first built at ${at('mc')}`,
      `    second built at ${at('mc')}`,
      `    fix: record every setting that changes the hardware in the module params ({ params: {...} })`,
    ]);
  });

  it('E_RECURSIVE_INSTANCE: a module containing its ancestor', () => {
    expectError(() => {
      const a = new Module('ring_a');
      const b = new Module('ring_b');
      b.instantiate('u_a', a);
      a.instantiate('u_b', b); // @r1
      return elaborate(a);
    }, 'E_RECURSIVE_INSTANCE', [
      `E_RECURSIVE_INSTANCE in ring_a.u_b.u_a (u_a): module 'ring_a' contains itself: ring_a -> ring_b -> ring_a`,
      `    instantiated at ${at('r1').replace(/:\d+$/, ':' + (Number(at('r1').split(':').pop()) - 1))}`,
      `    fix: a module cannot instantiate one of its ancestors`,
    ]);
  });

  it('markLibraryFile: errors inside a marked helper point at its caller', () => {
    expectError(() => {
      const m = new Module('lib');
      const a = m.input('a', 4);
      m.output('y', 8).set(driveBus(m, 'bus', a)); // @lib
      return elaborate(m);
    }, 'E_WIDTH_MISMATCH', [
      `E_WIDTH_MISMATCH in lib (bus_data): cannot assign a 4-bit unsigned value ('a') to 8-bit unsigned wire 'bus_data'`,
      `    wire 'bus_data' declared at ${at('lib')}`,
      `    value assigned at ${at('lib')}`,
      `    fix: extend the value with .zext(8), or declare 'bus_data' 4 bits wide`,
    ]);
  });

  it('several problems are collected into one ElaborationErrors', () => {
    const e = fails(() => {
      const m = new Module('many');
      const a = m.input('a', 8);
      m.output('y', 4).set(a);
      m.output('z', 1);
      m.wire('w', 2);
      return elaborate(m);
    }) as ElaborationErrors;
    assert.ok(e instanceof ElaborationErrors);
    assert.equal(e.code, 'E_ELABORATION');
    assert.deepEqual(e.errors.map((x) => x.code), ['E_WIDTH_MISMATCH', 'E_UNDRIVEN_OUTPUT', 'E_UNDRIVEN_WIRE']);
    assert.ok(e.errors.every((x) => x.path === 'many'));
  });

  it('every error code has a page in docs/errors/', () => {
    const classes = Object.values(core).filter((v): v is typeof HdlError => typeof v === 'function' && v.prototype instanceof HdlError);
    assert.ok(classes.length >= 24, `only ${classes.length} error classes exported`);
    const codes = [...classes.map((c) => c.code), 'E_ELABORATION'];
    assert.equal(new Set(codes).size, codes.length, 'codes must be distinct');
    for (const code of codes) assert.ok(existsSync(`docs/errors/${code}.md`), `docs/errors/${code}.md is missing`);
  });
});
