// Reads what the flow needs from a Liberty file (cell area, sequential kind,
// pin directions) and writes a copy with the cells we refuse to use marked
// dont_use, which ABC honours when mapping.
import { readFileSync, writeFileSync } from 'node:fs';

export interface LibCell {
  name: string;
  area: number;
  /** 'macro': a black-box memory macro added by flows/synth/macros.ts, not a liberty cell. */
  kind: 'flop' | 'latch' | 'comb' | 'macro';
  pins: Map<string, 'input' | 'output' | 'inout' | 'internal'>;
  /** Pins with `clock : "true"` (flop CLK, latch GATE). */
  clockPins: Set<string>;
}

export interface Liberty {
  path: string;
  name: string;
  cells: Map<string, LibCell>;
}

/**
 * Cells kept out of synthesis, as OpenROAD-flow-scripts does for sky130hd:
 * lpflow_* are power-management cells with extra supply pins (KAPWR,
 * LOWLVPWR) that need a special power grid; probe_* are test probes.
 */
export const DONT_USE_PATTERNS: readonly RegExp[] = [/__lpflow_/, /__probe_[pn]_/];

const cache = new Map<string, Liberty>();

export function readLiberty(path: string): Liberty {
  const hit = cache.get(path);
  if (hit) return hit;
  const text = readFileSync(path, 'utf8');
  const name = /library\s*\(\s*"?([\w.]+)"?\s*\)/.exec(text)?.[1] ?? path;
  const cellRe = /\n\s*cell\s*\(\s*"?([\w$]+)"?\s*\)\s*\{/g;
  const starts: { name: string; at: number }[] = [];
  for (let m = cellRe.exec(text); m; m = cellRe.exec(text)) starts.push({ name: m[1], at: m.index });
  const cells = new Map<string, LibCell>();
  starts.forEach((s, i) => {
    const body = text.slice(s.at, i + 1 < starts.length ? starts[i + 1].at : text.length);
    const area = Number(/\barea\s*:\s*([\d.eE+-]+)/.exec(body)?.[1] ?? NaN);
    const kind = /\n\s*ff\s*\(/.test(body) ? 'flop' : /\n\s*latch\s*\(/.test(body) ? 'latch' : 'comb';
    const pins = new Map<string, LibCell['pins'] extends Map<string, infer V> ? V : never>();
    const pinRe = /\n\s*pin\s*\(\s*"?(\w+)"?\s*\)\s*\{[^]*?\bdirection\s*:\s*"?(\w+)"?/g;
    for (let p = pinRe.exec(body); p; p = pinRe.exec(body)) {
      // First declaration wins: scan cells repeat their pins inside test_cell groups.
      if (!pins.has(p[1])) pins.set(p[1], p[2] as 'input' | 'output' | 'inout' | 'internal');
    }
    const clockPins = new Set<string>();
    const pinStarts = [...body.matchAll(/\n\s*pin\s*\(\s*"?(\w+)"?\s*\)\s*\{/g)];
    pinStarts.forEach((m, j) => {
      const pinBody = body.slice(m.index, j + 1 < pinStarts.length ? pinStarts[j + 1].index : body.length);
      if (/\bclock\s*:\s*"?true"?/.test(pinBody)) clockPins.add(m[1]);
    });
    cells.set(s.name, { name: s.name, area, kind, pins, clockPins });
  });
  const lib = { path, name, cells };
  cache.set(path, lib);
  return lib;
}

/** Copy of the liberty with `dont_use : true` added to every DONT_USE_PATTERNS cell. */
export function writeDontUseLiberty(src: string, dest: string): string[] {
  const text = readFileSync(src, 'utf8');
  const marked: string[] = [];
  const out = text.replace(/(\n(\s*)cell\s*\(\s*"?([\w$]+)"?\s*\)\s*\{\n)/g, (all, _h: string, indent: string, cell: string) => {
    if (!DONT_USE_PATTERNS.some((re) => re.test(cell))) return all;
    marked.push(cell);
    return `${all}${indent}    dont_use : true;\n`;
  });
  writeFileSync(dest, out);
  return marked;
}
