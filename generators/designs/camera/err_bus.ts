// One passive `err` stream from many: each source's event bits side by side (the first source in
// the low bits, a source's bits zero in clocks where it has no beat), valid in any clock where a
// source has one. The whole-frame camera designs gather their blocks' err streams with it.
import { cat, lit, mux, type Expr, type Module } from '../../core/index.ts';
import { streamOut, type StreamSource } from '../../blocks/axis/stream.ts';

export function errBus(): { add(src: StreamSource): void; drive(m: Module, names: readonly string[], prefix?: string): void } {
  const parts: Expr[] = [], valids: Expr[] = [];
  return {
    add(src) {
      parts.push(mux(src.valid, src.data, lit(0, src.width)));
      valids.push(src.valid);
    },
    drive(m, names, prefix = 'err') {
      const err = streamOut(m, { width: names.length, ready: false, last: false, user: false }, prefix);
      err.driveValid(valids.reduce((a, v) => a.or(v)));
      err.driveData(cat(...[...parts].reverse()));
    },
  };
}
