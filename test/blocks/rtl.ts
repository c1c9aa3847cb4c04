// Test helpers for the block tests: elaborate a block into a temp folder, lint it with
// Verilator -Wall (test/helpers/tools.ts), describe it for the sim/ stream harness, and a
// seeded PRNG so every random test is reproducible.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elaborate, writeVerilog, type Design, type Module } from '../../generators/core/index.ts';
import type { SimDesign } from '../../sim/index.ts';
import { verilatorLint } from '../helpers/tools.ts';

export interface Emitted {
  design: Design;
  dir: string;
  files: string[];
  top: string;
}

export function emitToTemp(m: Module, tag = 'block'): Emitted {
  const design = elaborate(m);
  const dir = mkdtempSync(join(tmpdir(), `screen-blocks-${tag}-`));
  const files = writeVerilog(design, dir);
  return { design, dir, files, top: design.top.name };
}

/** Verilator --lint-only -Wall output lines; [] when clean. */
export function lintProblems(e: Emitted): string[] {
  const r = verilatorLint(e.files, e.top);
  return r.ok ? [] : r.problems.length ? r.problems : [r.output];
}

export function simDesign(e: Emitted): SimDesign {
  return { top: e.top, files: e.files, ports: e.design.top.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width })) };
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): { u32: () => number; int: (lo: number, hi: number) => number; bit: (p: number) => boolean } {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return { u32, int: (lo, hi) => lo + (u32() % (hi - lo + 1)), bit: (p) => u32() / 2 ** 32 < p };
}

/**
 * Flip-flops a module really contains: register bits plus memories read asynchronously
 * (those map to flops), recursively through instances. Synchronously read memories count as RAM.
 */
export function countFlops(m: Module): number {
  let n = 0;
  for (const s of m.signals) if (s.kind === 'reg') n += s.width;
  for (const mem of m.memories) if (mem.asyncReads > 0) n += mem.depth * mem.width;
  for (const i of m.instances) n += countFlops(i.child);
  return n;
}
