// The emitted Verilog computes what the DSL says: every operator is simulated with
// Icarus Verilog on corner and pseudo-random inputs and compared bit for bit with the
// reference semantics in generators/core/evaluate.ts (itself spot-checked by hand here).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, cat, elaborate, emitVerilog, evaluate, lit, mux, rep, select, toSigned, type Expr, type Signal } from '../../generators/core/index.ts';
import { hasBinary, verilatorLint, yosysSynthCheck } from '../helpers/tools.ts';

function opsModule(): { m: Module; inputs: Signal[]; outs: [string, Expr][] } {
  const m = new Module('ops');
  const a = m.input('a', 8, { signed: true });
  const b = m.input('b', 6, { signed: true });
  const u = m.input('u', 6);
  const v = m.input('v', 4);
  const s = m.input('s', 1);
  const outs: [string, Expr][] = [
    ['add_s', a.add(b)],
    ['sub_s', a.sub(b)],
    ['mul_s', a.mul(b)],
    ['mul_s8', a.mul(b, 8)],
    ['add_u', u.add(v)],
    ['sub_u', u.sub(v)],
    ['mul_u', u.mul(v)],
    ['add_w4', u.add(v, 4)],
    ['add_k', a.add(-3)],
    ['neg_s', a.neg()],
    ['neg_u', u.neg()],
    ['and_s', a.and(b)],
    ['or_u', u.or(v)],
    ['xor_s', b.xor(a)],
    ['not_u', v.not()],
    ['lt_s', a.lt(b)],
    ['ge_s', b.ge(a)],
    ['lt_u', u.lt(v)],
    ['le_k', a.le(-1)],
    ['eq_u', u.eq(v.zext(6))],
    ['ne_s', a.ne(b)],
    ['and_r', v.andR()],
    ['or_r', u.orR()],
    ['xor_r', a.xorR()],
    ['slice', a.slice(6, 2)],
    ['slice_expr', a.add(b).slice(8, 3)],
    ['bit5', u.bit(5)],
    ['cat', cat(v, s, a.slice(2, 0))],
    ['rep', rep(v.slice(1, 0), 3)],
    ['zext', v.zext(9)],
    ['sext_s', b.sext(11)],
    ['sext_u', v.sext(7)],
    ['sext_expr', a.sub(b).sext(12)],
    ['trunc_s', a.trunc(5)],
    ['resize_s', b.resize(10)],
    ['resize_dn', a.resize(3)],
    ['as_u', a.asUnsigned().add(u)],
    ['as_s', u.asSigned().lt(0)],
    ['shl', b.shl(3)],
    ['shr_s', a.shr(3)],
    ['shr_u', u.shr(2)],
    ['shr_round_s', a.shrRound(2)],
    ['shr_round_u', u.shrRound(3)],
    ['sat_s', a.saturate(5)],
    ['sat_u', u.saturate(3)],
    ['sat_sum', a.add(b).mul(b).saturate(8)],
    ['mux', mux(s, a, b.sext(8))],
    ['select', select(v.slice(1, 0), [u, u.not(), u.add(1, 6), lit(7, 6)])],
    ['select_d', select(v, [a, b.sext(8), a.add(b, 8)], -1)],
    ['wide', cat(a, a, a, a, a).asSigned().mul(u.zext(40).asSigned(), 64).shr(3)],
    ['shl_var', a.shlVar(v)],
    ['shr_var_s', a.shrVar(v)],
    ['shr_var_u', u.shrVar(v.slice(2, 0))],
    ['shr_var_expr', a.add(b).shrVar(v)],
    ['wide_k', u.zext(48).add(0x123456789abn)],
  ];
  const inputs = [a, b, u, v, s];
  for (const [name, e] of outs) m.output(name, e.width, { signed: e.signed }).set(e);
  return { m, inputs, outs };
}

function* vectors(widths: number[]): Generator<bigint[]> {
  // Corners (0, 1, all ones, top bit alone, top bit clear) for every input, then an LCG.
  const corner = (w: number) => [0n, 1n, (1n << BigInt(w)) - 1n, 1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n];
  for (let k = 0; k < 5; k++) for (let j = 0; j < 5; j++) yield widths.map((w, i) => corner(w)[(i % 2 ? k : j) % 5]);
  let x = 12345n;
  for (let n = 0; n < 300; n++) {
    yield widths.map((w) => {
      x = (x * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      return (x >> 20n) & ((1n << BigInt(w)) - 1n);
    });
  }
}

/** Icarus Verilog when installed (fast), else Verilator --binary (what CI always has); CORE_SIM=verilator forces it. */
function simulate(dir: string, files: string[]): string {
  if (hasBinary('iverilog') && hasBinary('vvp') && process.env.CORE_SIM !== 'verilator') {
    const c = spawnSync('iverilog', ['-g2005', '-o', join(dir, 'sim'), ...files], { encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    const r = spawnSync('vvp', ['-n', join(dir, 'sim')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  }
  const c = spawnSync('nice', ['verilator', '--binary', '--timing', '-Wno-fatal', '-Wno-lint', '--top-module', 'tb', '--Mdir', join(dir, 'obj'), '-o', 'simv', ...files], { encoding: 'utf8' });
  assert.equal(c.status, 0, c.stderr);
  const r = spawnSync(join(dir, 'obj', 'simv'), [], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('core: semantics of emitted expressions', () => {
  it('evaluate() matches hand-computed values', () => {
    const { inputs, outs } = opsModule();
    const env = new Map<Signal, bigint>([[inputs[0], 0xfdn /* a = -3 */], [inputs[1], 0x05n /* b = 5 */], [inputs[2], 3n], [inputs[3], 9n], [inputs[4], 1n]]);
    const val = (name: string) => {
      const e = outs.find(([n]) => n === name)![1];
      const bits = evaluate(e, env);
      return e.signed ? toSigned(bits, e.width) : bits;
    };
    assert.equal(val('add_s'), 2n);
    assert.equal(val('mul_s'), -15n);
    assert.equal(val('sub_u'), 128n - 6n); // 3 - 9 wraps modulo 2^7 (width max(6, 4) + 1)
    assert.equal(val('shr_s'), -1n); // floor(-3 / 8)
    assert.equal(val('shr_round_s'), -1n); // round(-3 / 4) half up = -0.75 -> -1
    assert.equal(val('neg_s'), 3n);
    assert.equal(val('lt_s'), 1n);
    assert.equal(val('sext_s'), 5n);
    assert.equal(val('sat_s'), -3n);
    assert.equal(val('as_u'), 253n + 3n);
  });

  it('RTL simulation (Icarus, else Verilator) equals evaluate() on every output', function () {
    if (!(hasBinary('iverilog') && hasBinary('vvp')) && !hasBinary('verilator')) this.skip(); // neither simulator installed
    const { m, inputs, outs } = opsModule();
    const d = elaborate(m);
    const dir = mkdtempSync(join(tmpdir(), 'core-sem-'));
    try {
      const files = [...emitVerilog(d)].map(([f, t]) => {
        writeFileSync(join(dir, f), t);
        return join(dir, f);
      });
      const vecs = [...vectors(inputs.map((i) => i.width))];
      // Vectors in a $readmemh file and one loop: a small testbench compiles fast under Verilator too.
      const total = inputs.reduce((n, i) => n + i.width, 0);
      const packed = vecs.map((vals) => vals.reduce((acc, v, k) => (acc << BigInt(inputs[k].width)) | v, 0n).toString(16));
      writeFileSync(join(dir, 'vec.hex'), packed.join('\n') + '\n');
      const tb = [
        '`timescale 1ns/1ps',
        'module tb;',
        ...inputs.map((i) => `  reg ${i.signed ? 'signed ' : ''}[${i.width - 1}:0] ${i.name};`),
        ...outs.map(([n, e]) => `  wire ${e.signed ? 'signed ' : ''}[${e.width - 1}:0] ${n};`),
        `  reg [${total - 1}:0] vec [0:${vecs.length - 1}];`,
        '  integer k;',
        `  ops dut (${[...inputs.map((i) => `.${i.name}(${i.name})`), ...outs.map(([n]) => `.${n}(${n})`)].join(', ')});`,
        '  initial begin',
        `    $readmemh("${join(dir, 'vec.hex')}", vec);`,
        `    for (k = 0; k < ${vecs.length}; k = k + 1) begin`,
        `      {${inputs.map((i) => i.name).join(', ')}} = vec[k];`,
        `      #1 $display("${outs.map(() => '%h').join(' ')}", ${outs.map(([n]) => n).join(', ')});`,
        '    end',
        '    $finish;',
        '  end',
        'endmodule',
      ].join('\n');
      writeFileSync(join(dir, 'tb.v'), tb);
      const stdout = simulate(dir, [join(dir, 'tb.v'), ...files]);
      const lines = stdout.split('\n').filter((l) => /^[0-9a-fxz ]+$/i.test(l.trim()) && l.trim() !== '');
      assert.equal(lines.length, vecs.length);
      let mismatches: string[] = [];
      lines.forEach((line, k) => {
        const env = new Map(inputs.map((i, j) => [i, vecs[k][j]] as [Signal, bigint]));
        line.trim().split(/\s+/).forEach((hex, o) => {
          const [name, e] = outs[o];
          const want = evaluate(e, env);
          const got = /^[0-9a-f]+$/i.test(hex) ? BigInt('0x' + hex) : -1n;
          if (got !== want) mismatches.push(`${name} with ${inputs.map((i, j) => `${i.name}=${vecs[k][j]}`).join(' ')}: rtl ${hex}, model ${want.toString(16)}`);
        });
      });
      mismatches = mismatches.slice(0, 20);
      assert.deepEqual(mismatches, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the operator module is lint- and synth-clean too', async function () {
    const d = elaborate(opsModule().m);
    const dir = mkdtempSync(join(tmpdir(), 'core-ops-'));
    try {
      const files = [...emitVerilog(d)].map(([f, t]) => {
        writeFileSync(join(dir, f), t);
        return join(dir, f);
      });
      if (hasBinary('verilator')) {
        const r = verilatorLint(files, 'ops');
        assert.ok(r.ok, r.output);
      }
      const y = await yosysSynthCheck(files, 'ops');
      assert.ok(y.ok, y.problems.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
