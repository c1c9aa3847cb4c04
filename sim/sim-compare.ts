// SimCompare (after ROHD's SimCompare): one input vector list goes through the TypeScript
// reference model and through the RTL (under one or more backpressure/seed variants), and every
// output stream is compared bit-exactly, reporting the first differing beat.
import { compareBeats, type CompareOptions, type CompareReport } from './compare.ts';
import { BeatMismatchError, SimInputError } from './errors.ts';
import { runStreamSim, toSimDesign, type StreamSimOptions } from './run.ts';
import type { Backpressure, Beat, BeatIn, SimResult } from './types.ts';

export type ReferenceModel = (inputs: Record<string, BeatIn[]>) => Record<string, readonly (BeatIn | Beat)[]>;

export interface SimCompareOptions extends Omit<StreamSimOptions, 'expect' | 'seed' | 'backpressure'> {
  /** The TypeScript reference: input beats per stream -> expected beats per output stream. */
  model: ReferenceModel;
  /** Seeds and backpressure settings to run the RTL under (default: one full-speed run, seed 1). */
  variants?: { seed?: number; backpressure?: Backpressure }[];
  /** Comparison options for all outputs, or per output stream name. */
  compare?: CompareOptions | Record<string, CompareOptions>;
}

export interface SimCompareRun {
  seed: number;
  backpressure: Backpressure;
  reports: Record<string, CompareReport>;
  cycles: number;
  result: SimResult;
}

export interface SimCompareReport {
  ok: boolean;
  runs: SimCompareRun[];
  /** The first failing comparison's message, or a summary. */
  message: string;
}

const COMPARE_KEYS = new Set(['label', 'compareLast', 'compareUser', 'image']);

function compareOptsFor(c: SimCompareOptions['compare'], port: string): CompareOptions {
  if (!c) return {};
  const isShared = Object.keys(c).every((k) => COMPARE_KEYS.has(k));
  return isShared ? (c as CompareOptions) : ((c as Record<string, CompareOptions>)[port] ?? {});
}

export async function simCompare(opts: SimCompareOptions): Promise<SimCompareReport> {
  const design = toSimDesign(opts.design);
  const expected = opts.model(opts.inputs);
  if (!Object.keys(expected).length) throw new SimInputError(`simCompare(${design.top}): the reference model returned no output streams`);
  const expect = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, v.length]));
  const variants = opts.variants?.length ? opts.variants : [{ seed: 1, backpressure: {} }];
  const runs: SimCompareRun[] = [];
  for (const v of variants) {
    const seed = v.seed ?? 1;
    const backpressure = v.backpressure ?? {};
    const result = await runStreamSim({ ...opts, design, expect, seed, backpressure });
    const reports: Record<string, CompareReport> = {};
    for (const [port, exp] of Object.entries(expected)) {
      const c = compareOptsFor(opts.compare, port);
      const label = `${c.label ?? `${design.top}.${port}`} [seed ${seed}, gap ${JSON.stringify(backpressure.inputGap ?? 0)}, stall ${JSON.stringify(backpressure.outputStall ?? 0)}]`;
      reports[port] = compareBeats(exp, result.outputs[port], { ...c, label });
    }
    runs.push({ seed, backpressure, reports, cycles: result.cycles, result });
  }
  const bad = runs.flatMap((r) => Object.values(r.reports)).find((r) => !r.ok);
  const ports = Object.keys(expected).join(', ');
  return {
    ok: !bad,
    runs,
    message: bad ? bad.message : `${design.top}: ${ports} match the reference model in ${runs.length} run(s)`,
  };
}

/** simCompare, throwing BeatMismatchError with the first difference when RTL and model disagree. */
export async function assertSimCompare(opts: SimCompareOptions): Promise<SimCompareReport> {
  const r = await simCompare(opts);
  if (!r.ok) throw new BeatMismatchError(r.message, r);
  return r;
}
