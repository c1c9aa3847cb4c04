// The default weights as a memory init file: the same integer constants the RTL bakes into each
// conv_unit (stage_weights.ts `stageConstants`), laid out as 32-bit words for a loadable variant
// (a weight RAM filled by $readmemh in simulation, or word by word over AXI4-Lite / a stream at
// start-up). `screen gen --design top` writes `screen_top_weights.hex` ($readmemh syntax: `//`
// comments, `@addr` markers, one 8-digit word per line) and `screen_top_weights.json` (the
// manifest: per stage its sections, word addresses and packing). docs/architecture.md "Weights".
import type { NetWeights } from '../../../model/net/weights.ts';
import type { EnginePlan } from './plan.ts';
import { stageConstants, type StageConstants } from './stage_weights.ts';

export const WEIGHT_WORD_BITS = 32;
/** Weights per word: one int8 lane each (wBits <= 8 values sign-extended to 8 bits). */
export const WEIGHTS_PER_WORD = 4;
/** Weight lane width of a stage: int8 for wBits <= 8, int16 (two per word) for the wider head X0 taps (head_x0_bits). */
export const laneBitsFor = (wBits: number): 8 | 16 => (wBits <= 8 ? 8 : 16);
export const WEIGHT_FORMAT = 'screen-weights/1';

export type SectionName = 'weights' | 'bias' | 'M' | 'S' | 'clamp';

export interface WeightSection {
  name: SectionName;
  /** First word address. */
  base: number;
  words: number;
  /** Values stored. */
  count: number;
  layout: string;
}

export interface WeightStage {
  stage: string;
  role: string;
  /** Instance path of the conv unit holding these constants in screen_top. */
  instance: string;
  cout: number;
  /** Operands per output (t = ci*k*k + ky*k + kx). */
  T: number;
  wBits: number;
  /** Bits per weight lane in the words (8: four per word; 16: two per word, for wBits > 8). */
  lane_bits: 8 | 16;
  base: number;
  words: number;
  sections: WeightSection[];
}

export interface WeightManifest {
  format: typeof WEIGHT_FORMAT;
  net: string;
  quant_bits: number;
  word_bits: number;
  words: number;
  /** FNV-1a over the words, hex: a loader can check it got the image it expects. */
  checksum: string;
  stages: WeightStage[];
}

export class WeightMemoryError extends Error {
  readonly code = 'E_WEIGHT_MEM';
  readonly exitCode = 2;
}

const WEIGHT_LAYOUT = (lane: 8 | 16) => {
  const n = WEIGHT_WORD_BITS / lane;
  return `cout*T values in [co][t] order, ${n} per word: value i in bits [${lane}*(i%${n})+${lane - 1} : ${lane}*(i%${n})], int${lane} two's complement (wBits-bit values sign-extended); the last word zero-padded`;
};
const LAYOUT: Record<Exclude<SectionName, 'weights'>, string> = {
  bias: 'one int32 (two\'s complement) per output channel',
  M: 'one unsigned requant multiplier per output channel (2^14 <= M < 2^15)',
  S: 'one unsigned requant shift per output channel',
  clamp: 'one word: lo in bits [7:0], hi in bits [15:8], int8 two\'s complement',
};

export const convInstanceName = (stage: string) => `u_${stage.replace('.', '_')}`;

export function checksum(words: readonly number[]): string {
  let h = 0x811c9dc5;
  for (const w of words) {
    for (let b = 0; b < 4; b++) {
      h ^= (w >>> (8 * b)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

function stageWords(c: StageConstants, where: string): Record<SectionName, number[]> {
  const lane = (v: number, what: string, bits: number) => {
    if (!Number.isInteger(v) || v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1)) throw new WeightMemoryError(`${where}: ${what} = ${v} does not fit int${bits}`);
    return v & (2 ** bits - 1);
  };
  const int8 = (v: number, what: string) => lane(v, what, 8);
  const lb = laneBitsFor(c.wBits), per = WEIGHT_WORD_BITS / lb;
  const weights: number[] = [];
  for (let i = 0; i < c.weights.length; i += per) {
    let w = 0;
    for (let k = 0; k < per && i + k < c.weights.length; k++) w |= lane(c.weights[i + k], `weights[${i + k}]`, lb) << (lb * k);
    weights.push(w >>> 0);
  }
  return {
    weights,
    bias: c.bias.map((b) => b >>> 0),
    M: c.M.map((m) => m >>> 0),
    S: c.S.map((s) => s >>> 0),
    clamp: [(int8(c.lo, 'lo') | (int8(c.hi, 'hi') << 8)) >>> 0],
  };
}

/** The word image and its manifest, from the constants of every stage of the plan. */
export function weightMemory(net: NetWeights, plan: EnginePlan): { words: number[]; manifest: WeightManifest } {
  const words: number[] = [];
  const stages: WeightStage[] = [];
  for (const st of plan.stages) {
    const c = stageConstants(net, st);
    const parts = stageWords(c, `network '${net.name}' (${net.path}) stage ${st.name}`);
    const base = words.length;
    const sections: WeightSection[] = [];
    for (const name of ['weights', 'bias', 'M', 'S', 'clamp'] as const) {
      const count = name === 'weights' ? c.weights.length : name === 'clamp' ? 2 : c[name].length;
      sections.push({ name, base: words.length, words: parts[name].length, count, layout: name === 'weights' ? WEIGHT_LAYOUT(laneBitsFor(c.wBits)) : LAYOUT[name] });
      words.push(...parts[name]);
    }
    stages.push({ stage: st.name, role: st.role, instance: `u_core.${convInstanceName(st.name)}`, cout: st.cout, T: st.T, wBits: c.wBits, lane_bits: laneBitsFor(c.wBits), base, words: words.length - base, sections });
  }
  return { words, manifest: { format: WEIGHT_FORMAT, net: net.name, quant_bits: net.quantBits, word_bits: WEIGHT_WORD_BITS, words: words.length, checksum: checksum(words), stages } };
}

export function weightHex(words: readonly number[], m: WeightManifest): string {
  const out = [`// ${m.format}: default weights of '${m.net}' for screen_top, ${m.words} x ${m.word_bits}-bit words, checksum ${m.checksum}`, '// layout: screen_top_weights.json; docs/architecture.md "Weights"'];
  for (const st of m.stages) {
    for (const s of st.sections) {
      out.push(`// ${st.stage} ${s.name}: ${s.count} values, words 0x${s.base.toString(16)}..0x${(s.base + s.words - 1).toString(16)}`, `@${s.base.toString(16)}`);
      for (let i = s.base; i < s.base + s.words; i++) out.push(words[i].toString(16).padStart(8, '0'));
    }
  }
  return out.join('\n') + '\n';
}

/** The files `screen gen --design top` adds next to the Verilog. */
export function weightMemoryFiles(net: NetWeights, plan: EnginePlan): Map<string, string> {
  const { words, manifest } = weightMemory(net, plan);
  return new Map([
    ['screen_top_weights.hex', weightHex(words, manifest)],
    ['screen_top_weights.json', JSON.stringify(manifest, null, 2) + '\n'],
  ]);
}

/** Reads a $readmemh file of 32-bit words (comments, `@addr` markers); `name` is for messages. */
export function parseWeightHex(text: string, name = 'weights.hex'): number[] {
  const words: number[] = [];
  let addr = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) return;
    for (const tok of line.split(/\s+/)) {
      if (tok.startsWith('@')) {
        if (!/^@[0-9a-fA-F]+$/.test(tok)) throw new WeightMemoryError(`${name}:${i + 1}: bad address marker '${tok}'`);
        addr = parseInt(tok.slice(1), 16);
      } else {
        if (!/^[0-9a-fA-F]{1,8}$/.test(tok)) throw new WeightMemoryError(`${name}:${i + 1}: '${tok}' is not a 32-bit hex word`);
        words[addr++] = parseInt(tok, 16) >>> 0;
      }
    }
  });
  return words;
}

/** The per-stage constants back from a word image (the inverse of weightMemory). */
export function decodeWeightMemory(words: readonly number[], m: WeightManifest): Map<string, StageConstants> {
  const out = new Map<string, StageConstants>();
  const s32 = (w: number) => w | 0;
  const s8 = (w: number, k: number) => ((w >>> (8 * k)) & 0xff) << 24 >> 24;
  for (const st of m.stages) {
    const sec = (n: SectionName) => {
      const s = st.sections.find((x) => x.name === n);
      if (!s) throw new WeightMemoryError(`manifest stage ${st.stage} has no '${n}' section`);
      const ws = words.slice(s.base, s.base + s.words);
      if (ws.length !== s.words || ws.some((w) => w === undefined)) throw new WeightMemoryError(`stage ${st.stage} ${n}: words 0x${s.base.toString(16)}..0x${(s.base + s.words - 1).toString(16)} are missing from the image (${words.length} words)`);
      return { s, ws };
    };
    const w = sec('weights');
    const lb = st.lane_bits ?? 8, per = WEIGHT_WORD_BITS / lb;
    const lane = (x: number, k: number) => (lb === 8 ? s8(x, k) : ((x >>> (16 * k)) & 0xffff) << 16 >> 16);
    const weights = Array.from({ length: w.s.count }, (_, i) => lane(w.ws[Math.floor(i / per)], i % per));
    const bias = sec('bias').ws.map(s32);
    const M = sec('M').ws.map((x) => x >>> 0);
    const S = sec('S').ws.map((x) => x >>> 0);
    const clamp = sec('clamp').ws[0];
    out.set(st.stage, { wBits: st.wBits, weights, bias, M, S, lo: s8(clamp, 0), hi: s8(clamp, 1) });
  }
  return out;
}
