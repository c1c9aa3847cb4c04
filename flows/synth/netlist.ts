// Area, cell and flop counts per module, and net fanout, computed from the
// Yosys JSON netlist of the mapped design and the liberty. Hierarchy is kept,
// so each module is counted once and multiplied by its instance count.
import { readFileSync } from 'node:fs';
import { FlowError } from '../errors.ts';
import type { Liberty } from '../liberty.ts';

type Bit = number | '0' | '1' | 'x' | 'z';
interface JsonModule {
  attributes?: Record<string, string>;
  ports: Record<string, { direction: 'input' | 'output' | 'inout'; bits: Bit[] }>;
  cells: Record<string, { type: string; parameters?: Record<string, string>; connections: Record<string, Bit[]> }>;
  netnames: Record<string, { bits: Bit[]; hide_name: number }>;
}
export interface JsonNetlist {
  modules: Record<string, JsonModule>;
}

export interface ModuleArea {
  module: string;
  /** How many times it occurs in the hierarchy under the top. */
  instances: number;
  /** Standard cells directly in this module (one instance). */
  cells: number;
  flops: number;
  latches: number;
  /** Area of the cells directly in this module, one instance, µm². */
  own_area_um2: number;
  /** Including submodules, one instance, µm². */
  total_area_um2: number;
  /** Memory macros in total_area_um2 (one instance, including submodules), µm². */
  macro_area_um2: number;
}

export interface FanoutNet {
  /** Module-local net name; `module` says where it lives. */
  net: string;
  module: string;
  /** Leaf standard-cell input pins reached, through submodule ports, plus top output ports. */
  fanout: number;
  driver: string;
}

export interface NetlistSummary {
  top: string;
  area_um2: number;
  /** Memory macros (black boxes with a liberty cell) in area_um2. */
  macro_area_um2: number;
  macros: number;
  cells: number;
  flops: number;
  latches: number;
  cell_types: Record<string, number>;
  modules: ModuleArea[];
  /** Largest fanout anywhere in the hierarchy, clocks and tie-cell constants aside. */
  max_fanout: FanoutNet;
  /** The five largest non-clock nets. */
  top_fanout: FanoutNet[];
  /** Leaf loads of every top-level input port (bus ports: their largest bit). */
  input_fanout: Record<string, number>;
  /** The largest clock net (clock pins only; CTS buffers it in place and route). */
  clock_fanout: FanoutNet | null;
  inputs: string[];
  outputs: string[];
}

const strip = (n: string) => (n.startsWith('\\') ? n.slice(1) : n);

export function readNetlistJson(path: string): JsonNetlist {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JsonNetlist;
  } catch (e) {
    throw new FlowError('E_NETLIST', `cannot read the Yosys JSON netlist '${path}': ${(e as Error).message}`, 1);
  }
}

export function summarizeNetlist(nl: JsonNetlist, top: string, lib: Liberty): NetlistSummary {
  const mods = nl.modules;
  if (!mods[top]) throw new FlowError('E_NETLIST', `top module '${top}' is not in the netlist (modules: ${Object.keys(mods).join(', ')})`, 1);
  const unknown = new Set<string>();
  const isSub = (t: string) => isHierarchical(mods, t);

  // Area and counts, bottom-up.
  type Acc = { cells: number; flops: number; latches: number; macros: number; area: number; macroArea: number; types: Record<string, number> };
  const own = new Map<string, Acc>();
  const total = new Map<string, Acc>();
  const visiting = new Set<string>();
  const totalOf = (m: string): Acc => {
    const hit = total.get(m);
    if (hit) return hit;
    if (visiting.has(m)) throw new FlowError('E_NETLIST', `recursive module hierarchy at '${m}'`, 1);
    visiting.add(m);
    const o: Acc = { cells: 0, flops: 0, latches: 0, macros: 0, area: 0, macroArea: 0, types: {} };
    const t: Acc = { cells: 0, flops: 0, latches: 0, macros: 0, area: 0, macroArea: 0, types: {} };
    for (const c of Object.values(mods[m].cells)) {
      if (isSub(c.type)) {
        const s = totalOf(c.type);
        t.cells += s.cells;
        t.flops += s.flops;
        t.latches += s.latches;
        t.macros += s.macros;
        t.area += s.area;
        t.macroArea += s.macroArea;
        for (const [k, v] of Object.entries(s.types)) t.types[k] = (t.types[k] ?? 0) + v;
        continue;
      }
      const lc = lib.cells.get(c.type);
      if (!lc) {
        unknown.add(`${c.type} (in ${strip(m)})`);
        continue;
      }
      for (const acc of [o, t]) {
        // `cells` counts standard cells; memory macros are counted in `macros`.
        if (lc.kind !== 'macro') acc.cells += 1;
        acc.area += lc.area;
        if (lc.kind === 'flop') acc.flops += 1;
        if (lc.kind === 'latch') acc.latches += 1;
        if (lc.kind === 'macro') {
          acc.macros += 1;
          acc.macroArea += lc.area;
        }
        acc.types[c.type] = (acc.types[c.type] ?? 0) + 1;
      }
    }
    visiting.delete(m);
    own.set(m, o);
    total.set(m, t);
    return t;
  };
  const all = totalOf(top);
  if (unknown.size) {
    throw new FlowError('E_UNMAPPED_CELLS', `the netlist has cells that are neither modules nor ${lib.name} cells: ${[...unknown].slice(0, 10).join(', ')} — a blackbox or an unmapped Yosys cell`, 1);
  }
  const instances = new Map<string, number>([[top, 1]]);
  const order: string[] = [];
  const walk = (m: string, k: number) => {
    if (!order.includes(m)) order.push(m);
    for (const c of Object.values(mods[m].cells)) {
      if (!isSub(c.type)) continue;
      instances.set(c.type, (instances.get(c.type) ?? 0) + k);
      walk(c.type, k);
    }
  };
  walk(top, 1);
  const modules: ModuleArea[] = order.map((m) => ({
    module: strip(m),
    instances: instances.get(m) ?? 0,
    cells: own.get(m)!.cells,
    flops: own.get(m)!.flops,
    latches: own.get(m)!.latches,
    own_area_um2: round(own.get(m)!.area),
    total_area_um2: round(total.get(m)!.area),
    macro_area_um2: round(total.get(m)!.macroArea),
  }));

  const fan = fanout(mods, top, lib);
  const ports = Object.entries(mods[top].ports);
  return {
    top: strip(top),
    area_um2: round(all.area),
    macro_area_um2: round(all.macroArea),
    macros: all.macros,
    cells: all.cells,
    flops: all.flops,
    latches: all.latches,
    cell_types: Object.fromEntries(Object.entries(all.types).sort((a, b) => b[1] - a[1])),
    modules,
    ...fan,
    inputs: ports.filter(([, p]) => p.direction === 'input').map(([n]) => strip(n)),
    outputs: ports.filter(([, p]) => p.direction !== 'input').map(([n]) => strip(n)),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A module to descend into; black boxes (memory macros) are leaf cells looked up in the liberty. */
function isHierarchical(mods: Record<string, JsonModule>, type: string): boolean {
  const m = mods[type];
  return !!m && !(m.attributes?.blackbox !== undefined && /1$/.test(String(m.attributes.blackbox)));
}

interface Loads {
  data: number;
  clock: number;
}

/** Leaf loads per net in every module, following nets down through submodule input ports. */
function fanout(mods: Record<string, JsonModule>, top: string, lib: Liberty) {
  // loadsOf(m) maps each bit of m to the leaf loads it reaches inside m.
  const memo = new Map<string, Map<number, Loads>>();
  const loadsOf = (m: string): Map<number, Loads> => {
    const hit = memo.get(m);
    if (hit) return hit;
    const acc = new Map<number, Loads>();
    const add = (b: Bit, l: Loads) => {
      if (typeof b !== 'number') return;
      const cur = acc.get(b) ?? { data: 0, clock: 0 };
      cur.data += l.data;
      cur.clock += l.clock;
      acc.set(b, cur);
    };
    for (const c of Object.values(mods[m].cells)) {
      const sub = isHierarchical(mods, c.type) ? mods[c.type] : undefined;
      if (sub) {
        const inner = loadsOf(c.type);
        for (const [port, bits] of Object.entries(c.connections)) {
          const p = sub.ports[port];
          if (!p || p.direction === 'output') continue;
          bits.forEach((b, i) => {
            const ib = p.bits[i];
            const l = typeof ib === 'number' ? inner.get(ib) : undefined;
            if (l) add(b, l);
          });
        }
        continue;
      }
      const lc = lib.cells.get(c.type)!;
      for (const [port, bits] of Object.entries(c.connections)) {
        if (lc.pins.get(port) !== 'input') continue;
        const isClock = lc.clockPins.has(port);
        for (const b of bits) add(b, { data: isClock ? 0 : 1, clock: isClock ? 1 : 0 });
      }
    }
    if (m === top) {
      for (const p of Object.values(mods[m].ports)) if (p.direction !== 'input') for (const b of p.bits) add(b, { data: 1, clock: 0 });
    }
    memo.set(m, acc);
    return acc;
  };

  const nets: (FanoutNet & { clock: boolean })[] = [];
  const seen = new Set<string>();
  const visit = (m: string) => {
    if (seen.has(m)) return;
    seen.add(m);
    const loads = loadsOf(m);
    const names = new Map<number, string>();
    // Prefer user-visible names for each bit.
    for (const [name, n] of Object.entries(mods[m].netnames).sort((a, b) => a[1].hide_name - b[1].hide_name)) {
      n.bits.forEach((b, i) => {
        if (typeof b === 'number' && !names.has(b)) names.set(b, n.bits.length > 1 ? `${strip(name)}[${i}]` : strip(name));
      });
    }
    const drivers = new Map<number, string>();
    for (const [pname, p] of Object.entries(mods[m].ports)) {
      if (p.direction === 'input') for (const b of p.bits) if (typeof b === 'number') drivers.set(b, `input port ${strip(pname)}`);
    }
    for (const [cname, c] of Object.entries(mods[m].cells)) {
      const sub = isHierarchical(mods, c.type) ? mods[c.type] : undefined;
      for (const [port, bits] of Object.entries(c.connections)) {
        const dir = sub ? sub.ports[port]?.direction : lib.cells.get(c.type)?.pins.get(port);
        if (dir !== 'output') continue;
        for (const b of bits) if (typeof b === 'number') drivers.set(b, `${strip(cname)}/${port} (${strip(c.type)})`);
      }
      if (sub) visit(c.type);
    }
    for (const [b, l] of loads) {
      // A module input bit is counted where its driver lives (the parent), not again here.
      if (m !== top && drivers.get(b)?.startsWith('input port')) continue;
      nets.push({ net: names.get(b) ?? `bit ${b}`, module: strip(m), fanout: l.data + l.clock, driver: drivers.get(b) ?? 'undriven', clock: l.clock > 0 });
    }
  };
  visit(top);
  const byFan = (a: FanoutNet, b: FanoutNet) => b.fanout - a.fanout || a.net.localeCompare(b.net);
  // Tie-cell outputs (hilomap's conb_1, one per module) are constants: no timing, left out.
  const data = nets.filter((n) => !n.clock && !/__conb_\d+\)$/.test(n.driver)).sort(byFan).map(({ clock: _c, ...n }) => n);
  const clocks = nets.filter((n) => n.clock).sort(byFan).map(({ clock: _c, ...n }) => n);
  const none: FanoutNet = { net: '', module: strip(top), fanout: 0, driver: '' };
  const topLoads = loadsOf(top);
  const input_fanout: Record<string, number> = {};
  for (const [pname, p] of Object.entries(mods[top].ports)) {
    if (p.direction !== 'input') continue;
    input_fanout[strip(pname)] = Math.max(0, ...p.bits.map((b) => (typeof b === 'number' ? (topLoads.get(b)?.data ?? 0) + (topLoads.get(b)?.clock ?? 0) : 0)));
  }
  return { max_fanout: data[0] ?? none, top_fanout: data.slice(0, 5), clock_fanout: clocks[0] ?? null, input_fanout };
}
