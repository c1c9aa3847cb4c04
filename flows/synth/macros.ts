// Inferred memories kept as SRAM macros instead of flip-flops. Between Yosys's
// coarse synthesis (which leaves every RAM as one `$mem_v2` cell) and its
// mapping, each eligible `$mem_v2` is replaced by an instance of a black-box
// macro cell `screen_sram_<depth>x<width>_<R>r<W>w`. The macro's area comes from
// the published figure in memory.ts (MACRO_FIGURES); for OpenSTA the flow writes
// a liberty in which the macro's outputs launch from its clock like a flop's Q
// and its inputs are checked like a flop's D (timing copied from the sky130 hd
// flop DFF_TIMING_CELL), so RAM outputs are timing start points and RAM inputs
// end points. The macro's own access time is not in STA: the report compares
// the published minimum period with the clock instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { FlowError } from '../errors.ts';
import type { LibCell, Liberty } from '../liberty.ts';
import { MACRO_FIGURES, type MacroKind } from './memory.ts';
import type { JsonNetlist } from './netlist.ts';

export type MemoryImpl = 'macro' | 'flops';
export const MEMORY_IMPLS: readonly MemoryImpl[] = ['macro', 'flops'];

/** Designs whose RAMs are SRAM macros unless told otherwise: the accelerator (line buffers, FIFOs, pack/unpack rows). */
export const MACRO_DESIGNS: readonly string[] = ['top', 'screen-core'];

/** Shallower memories stay flip-flops: small pipeline FIFOs are register files, not SRAMs. */
export const MACRO_MIN_DEPTH = 16;

/** The flop whose CLK->Q and D setup/hold the macro pins borrow (strong output drive, like a RAM's dout buffer). */
export const DFF_TIMING_CELL = 'sky130_fd_sc_hd__dfxtp_4';

type Bit = number | '0' | '1' | 'x' | 'z';

/** One `$mem_v2` cell of one module, with every instance path it has under the top. */
export interface InferredMemory {
  module: string;
  /** Memory name in the RTL (Yosys MEMID). */
  name: string;
  /** The `$mem_v2` cell's key in the module (for the rewrite). */
  cellKey: string;
  /** Hierarchical paths `top/inst/.../mem`, one per instance. */
  paths: string[];
  depth: number;
  width: number;
  abits: number;
  readPorts: number;
  writePorts: number;
  /** Bits of one instance (depth x width). */
  bits: number;
  /** Why it cannot be a macro (null: it can). */
  ineligible: string | null;
  /** Behaviour a real SRAM macro would need help for (transparent read, bit mask, ...). */
  caveats: string[];
}

export interface MacroCell {
  name: string;
  depth: number;
  width: number;
  abits: number;
  readPorts: number;
  writePorts: number;
  /** Per-bit write enables (a mask) instead of one enable per write port. */
  mask: boolean;
  pins: { name: string; dir: 'input' | 'output'; width: number; clock?: boolean }[];
  area_um2: number;
}

const strip = (n: string) => (n.startsWith('\\') ? n.slice(1) : n);

function paramInt(v: string | number | undefined): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  return /^[01]+$/.test(v) ? parseInt(v, 2) : Number(v);
}
/** Bit i (LSB first) of a Yosys binary-string parameter. */
function paramBit(v: string | number | undefined, i: number): boolean {
  if (v === undefined) return false;
  if (typeof v === 'number') return ((v >> i) & 1) === 1;
  return v[v.length - 1 - i] === '1';
}

/** Every `$mem_v2` under `top` in a Yosys JSON netlist (taken after `synth -run :fine`). */
export function listMemories(nl: JsonNetlist, top: string, minDepth = MACRO_MIN_DEPTH): InferredMemory[] {
  const mods = nl.modules;
  if (!mods[top]) throw new FlowError('E_NETLIST', `top module '${top}' is not in the netlist`, 1);
  const paths = new Map<string, string[]>();
  const walk = (m: string, path: string) => {
    const list = paths.get(m) ?? [];
    list.push(path);
    paths.set(m, list);
    for (const [cn, c] of Object.entries(mods[m].cells)) if (mods[c.type]) walk(c.type, `${path}/${strip(cn)}`);
  };
  walk(top, strip(top));
  const out: InferredMemory[] = [];
  for (const [m, instPaths] of paths) {
    for (const [key, c] of Object.entries(mods[m].cells)) {
      if (c.type === '$mem') throw new FlowError('E_NETLIST', `module ${strip(m)}: old-style $mem cell '${strip(key)}' (run memory_collect with Yosys >= 0.10)`, 1);
      if (c.type !== '$mem_v2') continue;
      const p = c.parameters ?? {};
      const name = strip(String(p.MEMID ?? key));
      const width = paramInt(p.WIDTH);
      const depth = paramInt(p.SIZE);
      const rd = paramInt(p.RD_PORTS);
      const wr = paramInt(p.WR_PORTS);
      const conn = c.connections;
      const clocks = new Set<string>();
      let why: string | null = null;
      for (let i = 0; i < rd; i++) {
        if (!paramBit(p.RD_CLK_ENABLE, i)) why ??= `read port ${i} is asynchronous (combinational read)`;
        else if (!paramBit(p.RD_CLK_POLARITY, i)) why ??= `read port ${i} uses the falling clock edge`;
        else clocks.add(String(conn.RD_CLK[i]));
        if (conn.RD_SRST?.[i] !== '0' || conn.RD_ARST?.[i] !== '0') why ??= `read port ${i} has an output reset`;
      }
      for (let i = 0; i < wr; i++) {
        if (!paramBit(p.WR_CLK_ENABLE, i) || !paramBit(p.WR_CLK_POLARITY, i)) why ??= `write port ${i} is not on the rising clock edge`;
        else clocks.add(String(conn.WR_CLK[i]));
      }
      if (clocks.size > 1) why ??= `ports on ${clocks.size} different clocks`;
      if (paramInt(p.OFFSET) !== 0) why ??= `address offset ${paramInt(p.OFFSET)}`;
      if (rd === 0 || wr === 0) why ??= rd === 0 ? 'no read port (a ROM or unused)' : 'no write port (a ROM)';
      if (!why && depth < minDepth) why = `${depth} words deep (< ${minDepth}): kept as a register file`;
      const caveats: string[] = [];
      for (let i = 0; i < rd; i++) {
        // RD_TRANSPARENCY_MASK bit i*WR_PORTS+j: read port i sees write port j's data in the same cycle.
        if (Array.from({ length: wr }, (_, j) => paramBit(p.RD_TRANSPARENCY_MASK, i * wr + j)).some(Boolean)) {
          caveats.push(`read port ${i} is transparent (returns the word written in the same cycle): a macro needs a write-through bypass`);
        }
      }
      if (wr && !writeEnableUniform(conn.WR_EN, width, wr)) caveats.push('bit-level write enables: needs a macro with a write mask');
      if (rd + wr > 2) caveats.push(`${rd} read + ${wr} write ports: more than a 1rw1r macro has`);
      out.push({
        module: strip(m),
        name,
        cellKey: key,
        paths: instPaths.map((ip) => `${ip}/${name}`),
        depth,
        width,
        abits: paramInt(p.ABITS),
        readPorts: rd,
        writePorts: wr,
        bits: depth * width,
        ineligible: why,
        caveats,
      });
    }
  }
  return out.sort((a, b) => a.paths[0].localeCompare(b.paths[0]));
}

function writeEnableUniform(en: Bit[], width: number, ports: number): boolean {
  for (let p = 0; p < ports; p++) {
    const s = en.slice(p * width, (p + 1) * width);
    if (s.some((b) => b !== s[0])) return false;
  }
  return true;
}

export function macroCellName(m: InferredMemory, mask: boolean): string {
  return `screen_sram_${m.depth}x${m.width}_${m.readPorts}r${m.writePorts}w${mask ? '_mask' : ''}`;
}

/**
 * Replace the given memories by macro instances in a copy of the netlist, and
 * add one black-box module per macro shape. Returns the new netlist and the cells.
 */
export function macroizeNetlist(nl: JsonNetlist, mems: InferredMemory[], kind: MacroKind): { netlist: JsonNetlist; cells: MacroCell[] } {
  const out = JSON.parse(JSON.stringify(nl)) as JsonNetlist;
  const cells = new Map<string, MacroCell>();
  for (const m of mems) {
    if (m.ineligible) throw new Error(`macroizeNetlist: ${m.paths[0]} cannot be a macro: ${m.ineligible}`);
    const mod = out.modules[`\\${m.module}`] ?? out.modules[m.module];
    const c = mod?.cells[m.cellKey];
    if (!c || c.type !== '$mem_v2') throw new FlowError('E_NETLIST', `memory ${m.name} ($mem_v2 '${m.cellKey}') not found in module ${m.module}`, 1);
    const mask = !writeEnableUniform(c.connections.WR_EN, m.width, m.writePorts);
    const name = macroCellName(m, mask);
    if (!cells.has(name)) cells.set(name, macroCell(name, m, mask, kind));
    const cn = c.connections;
    const conns: Record<string, Bit[]> = { CLK: [cn.WR_CLK[0]] };
    for (let i = 0; i < m.readPorts; i++) {
      conns[`R${i}_EN`] = [cn.RD_EN[i]];
      conns[`R${i}_ADDR`] = cn.RD_ADDR.slice(i * m.abits, (i + 1) * m.abits);
      conns[`R${i}_DATA`] = cn.RD_DATA.slice(i * m.width, (i + 1) * m.width);
    }
    for (let i = 0; i < m.writePorts; i++) {
      conns[mask ? `W${i}_MASK` : `W${i}_EN`] = mask ? cn.WR_EN.slice(i * m.width, (i + 1) * m.width) : [cn.WR_EN[i * m.width]];
      conns[`W${i}_ADDR`] = cn.WR_ADDR.slice(i * m.abits, (i + 1) * m.abits);
      conns[`W${i}_DATA`] = cn.WR_DATA.slice(i * m.width, (i + 1) * m.width);
    }
    const cell = cells.get(name)!;
    delete mod.cells[m.cellKey];
    mod.cells[`\\${m.name}_macro`] = {
      type: name,
      parameters: {},
      connections: conns,
      ...({ hide_name: 0, attributes: { screen_memory: m.name }, port_directions: Object.fromEntries(cell.pins.map((p) => [p.name, p.dir])) } as object),
    } as JsonNetlist['modules'][string]['cells'][string];
  }
  // Yosys's read_json does not advance the counter behind auto-generated names ($auto$...$N,
  // $techmapN...), so names made after it could collide with names already in the netlist:
  // move every private name into its own namespace.
  for (const mod of Object.values(out.modules)) {
    mod.cells = Object.fromEntries(Object.entries(mod.cells).map(([k, v]) => [k.startsWith('$') ? `$pm${k}` : k, v]));
    mod.netnames = Object.fromEntries(Object.entries(mod.netnames).map(([k, v]) => [k.startsWith('$') ? `$pm${k}` : k, v]));
  }
  for (const cell of cells.values()) {
    let next = 2;
    const ports: Record<string, { direction: 'input' | 'output'; bits: Bit[] }> = {};
    for (const p of cell.pins) {
      ports[p.name] = { direction: p.dir, bits: Array.from({ length: p.width }, () => next++) };
    }
    out.modules[cell.name] = { attributes: { blackbox: '00000000000000000000000000000001' }, ports, cells: {}, netnames: {} };
  }
  return { netlist: out, cells: [...cells.values()] };
}

function macroCell(name: string, m: InferredMemory, mask: boolean, kind: MacroKind): MacroCell {
  const pins: MacroCell['pins'] = [{ name: 'CLK', dir: 'input', width: 1, clock: true }];
  for (let i = 0; i < m.readPorts; i++) {
    pins.push({ name: `R${i}_EN`, dir: 'input', width: 1 }, { name: `R${i}_ADDR`, dir: 'input', width: m.abits }, { name: `R${i}_DATA`, dir: 'output', width: m.width });
  }
  for (let i = 0; i < m.writePorts; i++) {
    pins.push(
      mask ? { name: `W${i}_MASK`, dir: 'input', width: m.width } : { name: `W${i}_EN`, dir: 'input', width: 1 },
      { name: `W${i}_ADDR`, dir: 'input', width: m.abits },
      { name: `W${i}_DATA`, dir: 'input', width: m.width },
    );
  }
  const area = Math.round(m.bits * MACRO_FIGURES[kind].um2PerBit * 1000) / 1000;
  return { name, depth: m.depth, width: m.width, abits: m.abits, readPorts: m.readPorts, writePorts: m.writePorts, mask, pins, area_um2: area };
}

/** The macros as liberty cells for the netlist summary (area, pins, clock pin). */
export function withMacroCells(lib: Liberty, cells: MacroCell[]): Liberty {
  const all = new Map(lib.cells);
  for (const c of cells) {
    const lc: LibCell = { name: c.name, area: c.area_um2, kind: 'macro', pins: new Map(c.pins.map((p) => [p.name, p.dir])), clockPins: new Set(['CLK']) };
    all.set(c.name, lc);
  }
  return { ...lib, cells: all };
}

/** Text of the brace-balanced group that starts at the header matched by `re` (from `from`). */
function group(text: string, re: RegExp, from = 0): { text: string; start: number; end: number } | null {
  const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  r.lastIndex = from;
  const m = r.exec(text);
  if (!m) return null;
  const open = text.indexOf('{', m.index + m[0].length - 1);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return { text: text.slice(m.index, i + 1), start: m.index, end: i + 1 };
  }
  return null;
}

/** The `timing () {...}` groups inside a pin group (internal_power and others dropped). */
function timingGroups(pinText: string): string[] {
  const out: string[] = [];
  for (let at = 0; ; ) {
    const g = group(pinText, /\btiming\s*\(\s*\)\s*\{/, at);
    if (!g) return out;
    out.push(g.text);
    at = g.end;
  }
}

/**
 * A liberty for the macro cells, in the units and with the table templates of
 * the standard-cell liberty `stdLib` (same corner): outputs get the CLK->Q
 * arcs of DFF_TIMING_CELL's Q, inputs its D setup/hold checks and capacitance.
 */
export function macroLiberty(stdLib: string, cells: MacroCell[], libName = 'screen_sram_macros'): string {
  const text = readFileSync(stdLib, 'utf8');
  const firstCell = text.search(/\n\s*cell\s*\(/);
  if (firstCell < 0) throw new FlowError('E_LIBERTY', `no cells in liberty ${stdLib}`, 1);
  const header = text.slice(0, firstCell).replace(/library\s*\(\s*"?[\w.]+"?\s*\)/, `library ("${libName}")`);
  const ff = group(text, new RegExp(`\\n\\s*cell\\s*\\(\\s*"?${DFF_TIMING_CELL}"?\\s*\\)\\s*\\{`));
  if (!ff) throw new FlowError('E_LIBERTY', `liberty ${stdLib} has no ${DFF_TIMING_CELL} (needed for macro pin timing)`, 1);
  const pin = (n: string) => {
    const g = group(ff.text, new RegExp(`\\bpin\\s*\\(\\s*"?${n}"?\\s*\\)\\s*\\{`));
    if (!g) throw new FlowError('E_LIBERTY', `${DFF_TIMING_CELL} in ${stdLib} has no pin ${n}`, 1);
    return g.text;
  };
  const cap = (p: string) => /\bcapacitance\s*:\s*([\d.eE+-]+)/.exec(p)?.[1] ?? '0.002';
  const dPin = pin('D');
  const qPin = pin('Q');
  const clkPin = pin('CLK');
  const dTiming = timingGroups(dPin);
  const qTiming = timingGroups(qPin);
  if (!dTiming.length || !qTiming.length) throw new FlowError('E_LIBERTY', `${DFF_TIMING_CELL} in ${stdLib}: no timing groups on D or Q`, 1);
  const maxCap = /\bmax_capacitance\s*:\s*([\d.eE+-]+)/.exec(qPin)?.[1];
  const maxTran = /\bmax_transition\s*:\s*([\d.eE+-]+)/.exec(qPin)?.[1];
  const widths = [...new Set(cells.flatMap((c) => c.pins.filter((p) => p.width > 1).map((p) => p.width)))].sort((a, b) => a - b);
  const lines: string[] = [header.trimEnd(), `    /* Generated by screen-hdl flows/synth/macros.ts: black-box SRAM macros, pin timing of ${DFF_TIMING_CELL} */`];
  for (const w of widths) {
    lines.push(`    type ("screen_bus_${w}") {`, '        base_type : "array";', '        data_type : "bit";', `        bit_width : ${w};`, `        bit_from : ${w - 1};`, '        bit_to : 0;', '        downto : "true";', '    }');
  }
  for (const c of cells) {
    lines.push(`    cell ("${c.name}") {`, `        area : ${c.area_um2};`, '        dont_use : "true";', '        dont_touch : "true";', '        interface_timing : "true";');
    for (const p of c.pins) {
      const body: string[] = [`direction : "${p.dir}";`];
      if (p.clock) body.push('clock : "true";', `capacitance : ${cap(clkPin)};`);
      else if (p.dir === 'input') body.push(`capacitance : ${cap(dPin)};`, ...dTiming);
      else body.push(...(maxCap ? [`max_capacitance : ${maxCap};`] : []), ...(maxTran ? [`max_transition : ${maxTran};`] : []), ...qTiming);
      const head = p.width > 1 ? `bus ("${p.name}") {\n bus_type : "screen_bus_${p.width}";` : `pin ("${p.name}") {`;
      lines.push(`        ${head}`, ...body.map((b) => b.replace(/^\s*/gm, '            ')), '        }');
    }
    lines.push('    }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function writeMacroLiberty(stdLib: string, cells: MacroCell[], dest: string): void {
  writeFileSync(dest, macroLiberty(stdLib, cells));
}
