// Example block for the DSL docs and tests: an up-counter with enable, synchronous clear
// and a wrap flag; plus an accumulator showing signed arithmetic, memories and instances.
import { Module, defineParams, int, oneOf, lit } from '../index.ts';

export const counterParams = defineParams(
  'counter',
  {
    width: int({ min: 1, max: 32, default: 8, doc: 'counter bits' }),
    max: int({ min: 1, max: 2 ** 31 - 1, doc: 'last value before wrapping to 0' }),
  },
  [(p) => (p.max < 2 ** p.width ? undefined : `max = ${p.max} does not fit in width = ${p.width} bits (largest is ${2 ** p.width - 1})`)],
);

export function counter(config: { width?: number; max: number }): Module {
  const p = counterParams.validate(config);
  const m = new Module('counter', { params: p, doc: 'up-counter with enable, clear and wrap flag' });
  const en = m.input('en', 1);
  const clear = m.input('clear', 1);
  const q = m.output('q', p.width);
  const wrap = m.output('wrap', 1, { doc: 'high on the cycle the count wraps' });

  const count = m.reg('count', p.width, { reset: 0 });
  const atMax = m.wire('at_max', count.eq(p.max));
  m.when(clear, () => count.set(0))
    .elsewhen(en, () => {
      m.when(atMax, () => count.set(0)).otherwise(() => count.set(count.add(1, p.width)));
    });
  q.set(count);
  wrap.set(en.and(atMax).and(clear.not()));
  return m;
}

export const accParams = defineParams('accumulator', {
  inBits: int({ min: 2, max: 16, default: 8 }),
  accBits: int({ min: 4, max: 48, default: 20 }),
  mode: oneOf(['wrap', 'saturate'] as const, { default: 'saturate' }),
}, [(p) => (p.accBits > p.inBits ? undefined : `accBits = ${p.accBits} must exceed inBits = ${p.inBits}`)]);

/** Signed accumulator: acc += x when valid; `dump` outputs acc rounded to inBits with saturation. */
export function accumulator(config: Partial<{ inBits: number; accBits: number; mode: 'wrap' | 'saturate' }> = {}): Module {
  const p = accParams.validate(config);
  const m = new Module('accumulator', { params: p });
  const x = m.input('x', p.inBits, { signed: true });
  const valid = m.input('valid', 1);
  const clear = m.input('clear', 1);
  const y = m.output('y', p.inBits, { signed: true });
  const acc = m.reg('acc', p.accBits, { reset: 0, signed: true });
  const sum = p.mode === 'wrap' ? x.sext(p.accBits).add(acc, p.accBits) : x.add(acc).saturate(p.accBits);
  m.when(clear, () => acc.set(lit(0, p.accBits, { signed: true }).asSigned()))
    .elsewhen(valid, () => acc.set(sum));
  y.set(acc.shrRound(p.accBits - p.inBits).saturate(p.inBits));
  return m;
}

/** Two counters of different widths side by side (shows uniquification) plus a small delay RAM. */
export function counterPair(): Module {
  const m = new Module('counter_pair', { params: {} });
  const en = m.input('en', 1);
  const a = m.instantiate('u_small', counter({ width: 4, max: 9 }), { en, clear: 0 });
  const b = m.instantiate('u_big', counter({ width: 8, max: 199 }), { en: a.out('wrap'), clear: 0 });
  a.unused('q', 'only the wrap pulse of the small counter is needed');
  const ram = m.memory('hist', { depth: 16, width: 8 });
  ram.write(a.out('q'), b.out('q'), en);
  const rd = ram.readSync(a.out('q').add(1, 4), { en });
  const total = m.output('total', 8);
  total.set(rd);
  const wrapped = m.output('wrapped', 1);
  wrapped.set(b.out('wrap'));
  return m;
}
