// Adapter from the DSL core's elaborated Design (generators/core/elaborate.ts) to a SimDesign:
// the emitted Verilog goes to a content-addressed folder under the sim cache, the port list comes
// straight from the DSL, and the combinational-dependency table is used to check the one stream
// rule a simulation cannot observe: no tvalid may depend combinationally on its own tready.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Design } from '../generators/core/elaborate.ts';
import { cacheRoot } from './build.ts';
import { SimError } from './errors.ts';
import { groupPorts } from './streams.ts';
import type { PortSpec, SimDesign } from './types.ts';

/** True for the core's Design (as opposed to a SimDesign). */
export function isCoreDesign(d: SimDesign | Design): d is Design {
  return typeof (d as Design).infoOf === 'function' && Array.isArray((d as Design).modules);
}

/**
 * Rule 2 of generators/blocks/axis/README.md, checked statically on the top module:
 * returns one message per output stream whose tvalid reads its own tready combinationally.
 */
export function combValidOnReadyViolations(design: Design): string[] {
  const top = design.top;
  const ports: PortSpec[] = top.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width }));
  const groups = groupPorts(ports, top.needsClk ? 'clk' : null, top.needsRst ? 'rst_n' : null, top.name);
  const out: string[] = [];
  for (const s of groups.streams) {
    if (s.dir !== 'out' || !s.hasReady || s.passive) continue;
    if (top.combDeps.get(`${s.name}_tvalid`)?.has(`${s.name}_tready`))
      out.push(`${top.name}: ${s.name}_tvalid depends combinationally on ${s.name}_tready (a source must raise tvalid whatever tready is)`);
  }
  return out;
}

/** Writes the design's Verilog (once per content) and returns the SimDesign to run. */
export function designFromCore(design: Design, opts: { cacheDir?: string } = {}): SimDesign {
  const bad = combValidOnReadyViolations(design);
  if (bad.length) throw new SimError('E_SIM_PROTOCOL', bad.join('\n'), 1);
  const h = createHash('sha256');
  for (const m of design.modules) h.update(m.file).update('\0').update(m.text).update('\0');
  const dir = join(cacheRoot(opts), 'rtl', `${design.top.name}-${h.digest('hex').slice(0, 16)}`);
  if (!existsSync(dir)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    mkdirSync(tmp, { recursive: true });
    for (const m of design.modules) writeFileSync(join(tmp, m.file), m.text);
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // A concurrent writer produced the same content first.
      rmSync(tmp, { recursive: true, force: true });
      if (!existsSync(dir)) throw e;
    }
  }
  return {
    top: design.top.name,
    files: design.modules.map((m) => join(dir, m.file)),
    ports: design.top.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width })),
    clock: design.top.needsClk ? 'clk' : null,
    reset: design.top.needsRst ? 'rst_n' : null,
  };
}
