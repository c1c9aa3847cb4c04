// The sweep grid: lists of knob values from the command line, checked value by value with the
// same parameter specs the profiler uses (hwParams, netParams), expanded into configs.
import { hwParams, netKnobs, netParams } from '../../generators/designs/upscaler/config.ts';
import type { HwConfig } from '../../generators/designs/upscaler/config.ts';
import type { NetConfig } from '../../model/net/weights.ts';
import type { Corner } from '../pdk.ts';
import { FlowError } from '../errors.ts';

/** The swept knobs, each a list of values (CLI flag name -> spec that checks one value). */
export const GRID_KNOBS = {
  cell_cycles: { flag: 'cell-cycles', spec: hwParams.specs.cellCycles },
  stripe: { flag: 'stripe', spec: hwParams.specs.stripeCells },
  quant_bits: { flag: 'quant-bits', spec: netParams.specs.quant_bits },
  hidden_c: { flag: 'hidden-c', spec: netParams.specs.hidden_c },
  n_gcr: { flag: 'n-gcr', spec: netParams.specs.n_gcr },
} as const;
export type KnobName = keyof typeof GRID_KNOBS;

export interface SweepGrid {
  cell_cycles: number[];
  stripe: number[];
  quant_bits: number[];
  hidden_c: number[];
  n_gcr: number[];
  corner: Corner;
  clock_mhz: number;
  target_fps: number;
  lr_width: number;
  lr_height: number;
  /** Weights (or network config) file whose network the swept knobs override. */
  base_net: string;
  /** The MAC array synthesised (per quant_bits) for the area and fmax of one MAC. */
  array_rows: number;
  array_cols: number;
}

export interface SweepConfig {
  /** Stable short name, e.g. c16-s64-q8-h12-g1. */
  id: string;
  cell_cycles: number;
  stripe: number;
  quant_bits: number;
  hidden_c: number;
  n_gcr: number;
  net: NetConfig;
  hw: HwConfig;
}

/**
 * Parse "8,16" into numbers. Returns the values and, for anything malformed, a message;
 * duplicates are dropped and the list is sorted so the grid order is deterministic.
 */
export function parseList(flag: string, text: string): { values: number[]; bad: string[] } {
  if (text.trim() === '') return { values: [], bad: [`--${flag} is empty`] };
  const bad: string[] = [];
  const values: number[] = [];
  for (const p of text.split(',').map((s) => s.trim())) {
    if (!/^-?\d+$/.test(p)) bad.push(`--${flag} '${p}': not an integer`);
    else values.push(Number(p));
  }
  return { values: [...new Set(values)].sort((a, b) => a - b), bad };
}

/** Check every value of every list against its parameter spec; one error lists them all. */
export function checkGridValues(lists: Record<KnobName, number[]>, parseProblems: string[] = []): void {
  const bad = [...parseProblems];
  for (const [k, { flag, spec }] of Object.entries(GRID_KNOBS) as [KnobName, (typeof GRID_KNOBS)[KnobName]][]) {
    for (const v of lists[k]) {
      const why = spec.check(v);
      if (why) bad.push(`--${flag} ${v}: ${why}`);
    }
  }
  if (bad.length) throw new FlowError('E_SWEEP_KNOB', `bad sweep knob value${bad.length > 1 ? 's' : ''}:\n  ${bad.join('\n  ')}`, 2);
}

export function configId(c: Pick<SweepConfig, 'cell_cycles' | 'stripe' | 'quant_bits' | 'hidden_c' | 'n_gcr'>): string {
  return `c${c.cell_cycles}-s${c.stripe}-q${c.quant_bits}-h${c.hidden_c}-g${c.n_gcr}`;
}

/**
 * Every combination, in a fixed order (quant_bits, hidden_c, n_gcr, cell_cycles, stripe).
 * Each config goes through hwParams.validate / netKnobs, so cross-parameter rules apply too.
 */
export function expandGrid(g: SweepGrid, baseNet: Record<string, unknown>): SweepConfig[] {
  const out: SweepConfig[] = [];
  for (const quant_bits of g.quant_bits)
    for (const hidden_c of g.hidden_c)
      for (const n_gcr of g.n_gcr)
        for (const cell_cycles of g.cell_cycles)
          for (const stripe of g.stripe) {
            const net = netKnobs({ ...baseNet, quant_bits, hidden_c, n_gcr } as Record<string, unknown>);
            const hw = hwParams.validate({ cellCycles: cell_cycles, stripeCells: stripe, clockMhz: g.clock_mhz, lrWidth: g.lr_width, lrHeight: g.lr_height });
            const k = { cell_cycles, stripe, quant_bits, hidden_c, n_gcr };
            out.push({ id: configId(k), ...k, net, hw });
          }
  return out;
}

/** What synthesis must provide for these configs: the reference array at each config's weight width. */
export function synthPoints(g: SweepGrid, configs: SweepConfig[]): { rows: number; cols: number; quant_bits: number }[] {
  return configs.map((c) => ({ rows: g.array_rows, cols: g.array_cols, quant_bits: c.quant_bits }));
}

/** The command-line flags that reproduce this grid (used by the emitted Makefile's merge step). */
export function gridArgs(g: SweepGrid): string[] {
  const args: string[] = [];
  for (const [k, { flag }] of Object.entries(GRID_KNOBS) as [KnobName, (typeof GRID_KNOBS)[KnobName]][]) args.push(`--${flag}`, g[k].join(','));
  args.push('--corner', g.corner, '--clock-mhz', String(g.clock_mhz), '--fps', String(g.target_fps));
  args.push('--width', String(g.lr_width), '--height', String(g.lr_height), '--weights', g.base_net);
  args.push('--array-rows', String(g.array_rows), '--array-cols', String(g.array_cols));
  return args;
}
