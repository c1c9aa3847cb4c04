// Loads the hand-written Verilog fixtures in test/sim/fixtures/ as SimDesigns (memoised, so each
// test file elaborates a fixture once; the compiled model is cached on disk by sim/build.ts).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { designFromVerilog } from '../../sim/verilog-ports.ts';
import type { SimDesign } from '../../sim/types.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const memo = new Map<string, SimDesign>();

export function fixture(top: string, params?: Record<string, number>, extraFiles: string[] = []): SimDesign {
  const key = `${top}:${JSON.stringify(params ?? {})}`;
  let d = memo.get(key);
  if (!d) {
    d = designFromVerilog({ files: [...extraFiles, top].map((f) => join(FIXTURES, `${f}.v`)), top, params });
    memo.set(key, d);
  }
  return d;
}

/** Deterministic pseudo-random bigints (xorshift32), so tests need no seeds from Math.random. */
export function randomWords(n: number, width: number, seed = 1): bigint[] {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return BigInt(s);
  };
  const mask = (1n << BigInt(width)) - 1n;
  return Array.from({ length: n }, () => {
    let v = 0n;
    for (let b = 0; b < width; b += 32) v = (v << 32n) | next();
    return v & mask;
  });
}
