// Reference semantics of DSL expressions on bit patterns, independent of any Verilog:
// the emitted RTL is tested against this, and block tests can use it for pure-TS checks.
import type { Expr, Signal } from './expr.ts';

function mask(w: number): bigint {
  return (1n << BigInt(w)) - 1n;
}

/** Two's complement reading of a w-bit pattern. */
export function toSigned(bits: bigint, w: number): bigint {
  return (bits >> BigInt(w - 1)) & 1n ? bits - (1n << BigInt(w)) : bits;
}

/** The value of `e` as a bit pattern in [0, 2^width), given values (any integer) for the signals it reads. */
export function evaluate(e: Expr, env: ReadonlyMap<Signal, bigint> | ((s: Signal) => bigint)): bigint {
  const look = typeof env === 'function' ? env : (s: Signal) => {
    const v = env.get(s);
    if (v === undefined) throw new Error(`evaluate: no value for signal '${s.name}'`);
    return v;
  };
  const ev = (x: Expr): bigint => evaluate(x, look);
  const n = e.node;
  const m = mask(e.width);
  switch (n.k) {
    case 'ref':
      return look(n.sig) & m;
    case 'lit':
      return n.value;
    case 'bin': {
      const a = ev(n.a);
      const b = ev(n.b);
      const r = n.op === '+' ? a + b : n.op === '-' ? a - b : n.op === '*' ? a * b : n.op === '&' ? a & b : n.op === '|' ? a | b : a ^ b;
      return ((r % (m + 1n)) + (m + 1n)) & m;
    }
    case 'cmp': {
      const w = n.a.width;
      const a = n.a.signed ? toSigned(ev(n.a), w) : ev(n.a);
      const b = n.b.signed ? toSigned(ev(n.b), w) : ev(n.b);
      const r = n.op === '==' ? a === b : n.op === '!=' ? a !== b : n.op === '<' ? a < b : n.op === '<=' ? a <= b : n.op === '>' ? a > b : a >= b;
      return r ? 1n : 0n;
    }
    case 'not':
      return ~ev(n.a) & m;
    case 'neg':
      return -ev(n.a) & m;
    case 'red': {
      const a = ev(n.a);
      if (n.op === '&') return a === mask(n.a.width) ? 1n : 0n;
      if (n.op === '|') return a !== 0n ? 1n : 0n;
      let p = 0n;
      for (let x = a; x; x >>= 1n) p ^= x & 1n;
      return p;
    }
    case 'slice':
      return (ev(n.a) >> BigInt(n.lo)) & m;
    case 'cat': {
      let r = 0n;
      for (const p of n.parts) r = (r << BigInt(p.width)) | ev(p);
      return r;
    }
    case 'rep': {
      const a = ev(n.a);
      let r = 0n;
      for (let i = 0; i < n.n; i++) r = (r << BigInt(n.a.width)) | a;
      return r;
    }
    case 'sext': {
      const a = ev(n.a);
      return (a >> BigInt(n.a.width - 1)) & 1n ? a | (m ^ mask(n.a.width)) : a;
    }
    case 'mux':
      return ev(n.sel) ? ev(n.a) : ev(n.b);
    case 'cast':
      return ev(n.a);
    case 'shift': {
      const a = ev(n.a);
      const k = ev(n.amt);
      if (n.op === '<<') return k >= BigInt(e.width) ? 0n : (a << k) & m;
      if (n.op === '>>') return k >= BigInt(e.width) ? 0n : a >> k;
      const sa = toSigned(a, e.width);
      return (sa >> (k >= BigInt(e.width) ? BigInt(e.width) : k)) & m;
    }
    case 'memrd':
      throw new Error(`evaluate: memory read of '${n.mem.name}' has no combinational value`);
  }
}
