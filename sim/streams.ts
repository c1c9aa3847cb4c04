// Groups a port list into AXI4-Stream interfaces by name (<prefix>_tdata/_tvalid/_tready/_tlast/_tuser);
// the remaining inputs (other than clock and reset) are constant inputs set once per run.
import { SimInputError } from './errors.ts';
import type { PortSpec, StreamSpec } from './types.ts';

const SUFFIXES = ['tdata', 'tvalid', 'tready', 'tlast', 'tuser'] as const;

export interface PortGroups {
  streams: StreamSpec[];
  /** Non-stream inputs other than clock/reset. */
  consts: PortSpec[];
  /** Non-stream outputs (ignored by the harness, visible in VCD). */
  otherOutputs: PortSpec[];
}

export function groupPorts(ports: PortSpec[], clock: string | null = 'clk', reset: string | null = 'rst_n', where = 'design'): PortGroups {
  const byName = new Map(ports.map((p) => [p.name, p]));
  for (const [name, dir] of [
    [clock, 'clock'],
    [reset, 'reset'],
  ] as const) {
    if (name === null) continue;
    const p = byName.get(name);
    if (!p) throw new SimInputError(`${where}: no ${dir} port '${name}' (ports: ${ports.map((q) => q.name).join(', ')})`);
    if (p.dir !== 'input' || p.width !== 1) throw new SimInputError(`${where}: ${dir} port '${name}' must be a 1-bit input`);
  }
  const prefixes = new Map<string, Partial<Record<(typeof SUFFIXES)[number], PortSpec>>>();
  const claimed = new Set<string>([clock, reset].filter((n): n is string => n !== null));
  for (const p of ports) {
    const m = /^(.*)_(tdata|tvalid|tready|tlast|tuser)$/.exec(p.name);
    if (!m) continue;
    const g = prefixes.get(m[1]) ?? {};
    g[m[2] as (typeof SUFFIXES)[number]] = p;
    prefixes.set(m[1], g);
  }
  const streams: StreamSpec[] = [];
  for (const [name, g] of prefixes) {
    if (!g.tdata || !g.tvalid) {
      const have = SUFFIXES.filter((s) => g[s]).map((s) => `${name}_${s}`);
      throw new SimInputError(`${where}: stream '${name}' needs ${name}_tdata and ${name}_tvalid; found only ${have.join(', ')}`);
    }
    const dir = g.tdata.dir === 'input' ? 'in' : 'out';
    const fwd = dir === 'in' ? 'input' : 'output';
    for (const s of ['tvalid', 'tlast', 'tuser'] as const) {
      const p = g[s];
      if (p && p.dir !== fwd) throw new SimInputError(`${where}: ${p.name} is an ${p.dir} but ${name}_tdata is an ${g.tdata.dir}`);
    }
    if (g.tvalid.width !== 1) throw new SimInputError(`${where}: ${name}_tvalid is ${g.tvalid.width} bits wide, expected 1`);
    if (g.tlast && g.tlast.width !== 1) throw new SimInputError(`${where}: ${name}_tlast is ${g.tlast.width} bits wide, expected 1`);
    if (g.tready && g.tready.width !== 1) throw new SimInputError(`${where}: ${name}_tready is ${g.tready.width} bits wide, expected 1`);
    if (dir === 'in' && g.tready && g.tready.dir !== 'output')
      throw new SimInputError(`${where}: ${name}_tready must be an output of the DUT for input stream '${name}'`);
    for (const s of SUFFIXES) if (g[s]) claimed.add(g[s]!.name);
    streams.push({
      name,
      dir,
      dataWidth: g.tdata.width,
      userWidth: g.tuser?.width ?? 0,
      hasLast: !!g.tlast,
      hasReady: !!g.tready,
      // An output stream whose tready the DUT drives itself (a debug tap) can only be observed.
      passive: dir === 'out' && (!g.tready || g.tready.dir === 'output'),
    });
  }
  const consts = ports.filter((p) => !claimed.has(p.name) && p.dir === 'input');
  const otherOutputs = ports.filter((p) => !claimed.has(p.name) && p.dir === 'output');
  return { streams, consts, otherOutputs };
}
