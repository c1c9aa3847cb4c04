// Switching activity of a design's top-level inputs from a VCD dump, for
// OpenSTA versions without read_vcd: per-port toggle rate per clock cycle
// and duty, which OpenSTA then propagates through the logic.
import { readFileSync } from 'node:fs';
import { FlowError } from '../errors.ts';

export interface PortActivity {
  port: string;
  /** Toggles per bit per clock cycle. */
  activity: number;
  /** Fraction of time a bit is 1. */
  duty: number;
}

interface Var {
  scope: string;
  name: string;
  width: number;
}

export function vcdInputActivity(path: string, inputs: string[], clockPort: string): PortActivity[] {
  const text = readFileSync(path, 'utf8');
  const defEnd = text.indexOf('$enddefinitions');
  if (defEnd < 0) throw new FlowError('E_BAD_VCD', `'${path}' is not a VCD file (no $enddefinitions)`);
  const vars = new Map<string, Var[]>();
  const scope: string[] = [];
  // Token-wise: identifier codes may themselves contain '$'.
  const toks = text.slice(0, defEnd).split(/\s+/).filter(Boolean);
  for (let i = 0; i < toks.length; i++) {
    if (toks[i] === '$scope') scope.push(toks[i + 2]);
    else if (toks[i] === '$upscope') scope.pop();
    else if (toks[i] === '$var') {
      const [, width, id, name] = toks.slice(i + 1, i + 5);
      vars.set(id, [...(vars.get(id) ?? []), { scope: scope.join('.'), name, width: Number(width) }]);
      i += 4;
    }
  }
  // The DUT scope is the one declaring the clock and the most of the design's inputs.
  const byScope = new Map<string, Map<string, string>>();
  for (const [id, vs] of vars) for (const v of vs) {
    if (!byScope.has(v.scope)) byScope.set(v.scope, new Map());
    byScope.get(v.scope)!.set(v.name, id);
  }
  let best: string | null = null;
  let bestScore = 0;
  for (const [s, names] of byScope) {
    if (!names.has(clockPort)) continue;
    const score = inputs.filter((p) => names.has(p)).length;
    if (score > bestScore || (score === bestScore && best !== null && s.length < best.length)) [best, bestScore] = [s, score];
  }
  if (best === null) throw new FlowError('E_BAD_VCD', `'${path}' has no scope with the clock '${clockPort}' and the design's inputs (${inputs.join(', ')})`);
  const names = byScope.get(best)!;
  const want = new Map<string, { port: string; width: number }>();
  for (const p of inputs) if (p !== clockPort && names.has(p)) want.set(names.get(p)!, { port: p, width: vars.get(names.get(p)!)!.find((v) => v.scope === best)!.width });
  const clkId = names.get(clockPort)!;

  const state = new Map<string, string>();
  const toggles = new Map<string, number>();
  const high = new Map<string, number>();
  let time = 0;
  let start: number | null = null;
  let rises = 0;
  const accumulate = (t: number) => {
    for (const [id] of want) {
      const v = state.get(id);
      if (v) high.set(id, (high.get(id) ?? 0) + [...v].filter((c) => c === '1').length * (t - time));
    }
  };
  const change = (id: string, raw: string) => {
    if (id === clkId) {
      if (raw === '1' && state.get(id) === '0') rises += 1;
      state.set(id, raw);
      return;
    }
    const w = want.get(id);
    if (!w) return;
    const v = raw.padStart(w.width, raw[0] === '1' ? '0' : raw[0]);
    const old = state.get(id);
    if (old !== undefined) {
      let d = 0;
      for (let i = 0; i < w.width; i++) if (old[i] !== v[i] && /[01]/.test(old[i]) && /[01]/.test(v[i])) d += 1;
      toggles.set(id, (toggles.get(id) ?? 0) + d);
    }
    state.set(id, v);
  };
  for (const line of text.slice(defEnd).split('\n').slice(1)) {
    const l = line.trim();
    if (!l || l.startsWith('$')) continue;
    if (l[0] === '#') {
      const t = Number(l.slice(1));
      if (start === null) start = t;
      accumulate(t);
      time = t;
    } else if (l[0] === 'b' || l[0] === 'B') {
      const [val, id] = l.slice(1).split(/\s+/);
      change(id, val.toLowerCase());
    } else if (/^[01xz]/i.test(l)) change(l.slice(1), l[0].toLowerCase());
  }
  if (rises === 0) throw new FlowError('E_BAD_VCD', `'${path}': the clock '${best}.${clockPort}' never rises`);
  const span = time - (start ?? 0);
  return [...want].map(([id, w]) => ({
    port: w.port,
    activity: Math.round(((toggles.get(id) ?? 0) / (w.width * rises)) * 1e6) / 1e6,
    duty: span > 0 ? Math.round(((high.get(id) ?? 0) / (w.width * span)) * 1e6) / 1e6 : 0.5,
  }));
}
