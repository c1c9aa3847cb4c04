// Example touching every construct the emitter has (all operator kinds, when/switch,
// memories with sync and async reads, registers with and without reset). Used by the
// lint/synth and simulation tests.
import { Module, lit, cat, rep, mux, select } from '../index.ts';

/** A module touching every construct the emitter has: all operators, when/switch, memories, no-reset regs. */
export function kitchenSink(): Module {
  const m = new Module('kitchen_sink', { params: { demo: true } });
  const a = m.input('a', 8, { signed: true });
  const b = m.input('b', 5);
  const sel = m.input('sel', 2);
  const we = m.input('we', 1);
  const y = m.output('y', 12, { signed: true });
  const z = m.output('z', 8);
  const flags = m.output('flags', 6);
  const prod = m.wire('prod', a.mul(b.zext(6).asSigned())); // 14-bit signed
  const r = m.reg('r', 12, { reset: -5, signed: true });
  const d = m.reg('d', 5, { reset: null }); // pipeline register without reset
  d.set(b);
  m.switch(sel)
    .is(0, () => r.set(prod.sext(15).shrRound(3).saturate(12)))
    .is([1, 2], () => r.set(a.neg().sext(12)))
    .default(() => r.set(r.sub(1, 12)));
  y.set(r);
  const mem = m.memory('buf_mem', { depth: 12, width: 8 });
  mem.write(d.slice(3, 0), a.asUnsigned(), we);
  const rd = mem.readSync(b.slice(3, 0), { en: we.not() });
  const rda = mem.readAsync(d.slice(3, 0));
  const t = m.wire('t', 8);
  t.set(0);
  m.when(sel.eq(3), () => t.set(rd.xor(rda))).elsewhen(we, () => t.set(select(sel, [rd, rda, rep(b.slice(1, 0), 4)], lit(0x5a, 8))));
  z.set(mux(b.bit(4), t, cat(b.slice(3, 0), a.slice(7, 4))).not());
  flags.set(cat(a.lt(0), b.orR(), b.andR(), a.xorR(), d.ge(b), a.asUnsigned().shr(7)));
  return m;
}
